// The directory's map: markers from the GeoJSON embedded in the page; the
// tile layer is optional (a field laptop offline still sees the markers).
(function () {
  var element = document.getElementById("service-map");
  if (!element || !window.L) { return; }
  var data = JSON.parse(document.getElementById("services-geojson").textContent);
  var map = L.map(element, { preferCanvas: true }).setView([48.5, 2.5], 6);
  var tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: "© OpenStreetMap" }).addTo(map);
  }
  var layer = L.geoJSON(data, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, {
        radius: 8, weight: 2, color: feature.properties.needs_verification ? "#b35c00" : "#0b5e6b",
        fillOpacity: 0.7
      });
    },
    onEachFeature: function (feature, marker) {
      var p = feature.properties;
      var box = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = p.name;
      box.appendChild(title);
      var lines = [p.type_label, [p.address, p.city].filter(Boolean).join(", "), p.phone];
      lines.forEach(function (text) {
        if (!text) { return; }
        var line = document.createElement("div");
        line.textContent = text;
        box.appendChild(line);
      });
      var link = document.createElement("a");
      link.href = "../" + p.id + "/";
      link.textContent = element.dataset.open;
      box.appendChild(link);
      marker.bindPopup(box);
    }
  }).addTo(map);
  if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [20, 20] }); }
})();
