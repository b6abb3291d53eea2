// The encounter form: the tally's total, the ICD-10 picker.
(function () {
  function total() {
    var out = document.getElementById("tally-total");
    if (!out) return;
    var sum = 0;
    document.querySelectorAll("input.tally").forEach(function (input) {
      sum += parseInt(input.value || "0", 10) || 0;
    });
    out.textContent = sum;
  }
  document.addEventListener("input", function (event) {
    if (event.target.classList && event.target.classList.contains("tally")) total();
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("#icd10-results input[name=diagnoses]")) return;
    var chosen = document.getElementById("icd10-chosen");
    var label = box.closest("label");
    if (chosen.querySelector('input[value="' + box.value + '"]')) { label.remove(); return; }
    if (box.checked) chosen.appendChild(label);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.id === "icd10-q") event.preventDefault();
  });
  total();
})();
