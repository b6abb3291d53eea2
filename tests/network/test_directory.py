"""The service directory: checks of an entry, versions, the list, map and
detail for every signed-in user, editing for its editors, import with a
row-level report (nothing half-imported) and export."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.network import directory_io, services
from parcours.network.hours import clean_hours, is_open_at
from parcours.network.models import Service
from parcours.network.validation import clean_service
from tests.network.routes import make_service

GOOD = {
    "name": "Secours populaire Calais",
    "type": "food",
    "city": "Calais",
    "latitude": "50.95",
    "longitude": "1.85",
    "opening_hours": {"tue": "09:00-12:00, 14:00-17:00"},
    "languages": "fr, en, ar",
    "eligibility": ["everyone"],
}


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "91"), ("latitude", "-90.5"), ("longitude", "181"), ("longitude", "abc")],
)
def test_coordinates_out_of_range_are_refused(field, value):
    with pytest.raises(ValidationError) as refused:
        clean_service({**GOOD, field: value})
    assert field in refused.value.message_dict


def test_hours_ending_before_they_start_are_refused():
    with pytest.raises(ValidationError) as refused:
        clean_hours({"mon": "14:00-09:00"})
    assert "ends before it starts" in refused.value.message_dict["hours_mon"][0]
    with pytest.raises(ValidationError, match="overlap"):
        clean_hours({"fri": "09:00-12:00, 11:00-13:00"})
    assert clean_hours({"mon": "9h-12h, 14:00-17:30", "sun": ""}) == {
        "mon": [["09:00", "12:00"], ["14:00", "17:30"]]
    }


def test_unknown_language_and_eligibility_are_refused():
    with pytest.raises(ValidationError) as refused:
        clean_service({**GOOD, "languages": "fr, xx1", "eligibility": ["men"]})
    assert {"languages", "eligibility"} <= set(refused.value.message_dict)


def test_open_at_follows_the_ranges():
    hours = clean_hours({"tue": "09:00-12:00"})
    tuesday = timezone.localtime().replace(hour=10, minute=0)
    tuesday += timedelta(days=(1 - tuesday.weekday()) % 7)
    assert is_open_at(hours, tuesday)
    assert not is_open_at(hours, tuesday.replace(hour=12))
    assert not is_open_at(hours, tuesday + timedelta(days=1))


def test_entries_not_verified_for_six_months_are_flagged(db):
    today = timezone.localdate()
    assert make_service(last_verified_on=today - timedelta(days=200)).needs_verification()
    assert not make_service(last_verified_on=today - timedelta(days=30)).needs_verification()
    assert make_service(last_verified_on=None).needs_verification()


def test_save_is_versioned_and_audited(world):
    service = services.service_save(actor=world.social_worker, data=GOOD)
    changed = services.service_save(
        actor=world.coordinator, service=service, version=1, data={**GOOD, "city": "Coquelles"}
    )
    assert changed.version == 2
    with pytest.raises(services.Stale):
        services.service_save(actor=world.coordinator, service=service, version=1, data=GOOD)
    assert AuditEvent.objects.filter(event__startswith="service.").count() == 2


def test_reception_does_not_edit_the_directory(world):
    with pytest.raises(PermissionDenied):
        services.service_save(actor=world.reception, data=GOOD)


def test_form_shows_the_errors_and_saves_nothing(world, client):
    client.force_login(world.social_worker)
    page = client.post(
        reverse("network:service_new"),
        {
            "name": "Halte de nuit",
            "type": "shelter",
            "latitude": "95",
            "longitude": "2",
            "hours_mon": "22:00-08:00",
        },
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Must be between -90 and 90" in text and "ends before it starts" in text
    assert not Service.objects.exists()


def test_list_filters_and_shows_staleness(world, client):
    make_service(name="Douches Calais", type="showers", last_verified_on=None)
    make_service(name="PASS Dunkerque", city="Dunkerque", last_verified_on=timezone.localdate())
    client.force_login(world.nobody)
    page = client.get(reverse("network:service_list"), {"type": "showers"}).content.decode()
    assert "Douches Calais" in page and "PASS Dunkerque" not in page
    assert "to verify" in page
    page = client.get(reverse("network:service_list"), {"stale": "on"}).content.decode()
    assert "PASS Dunkerque" not in page


def test_map_page_carries_the_markers_and_works_without_tiles(world, client, settings):
    settings.PARCOURS_MAP_TILES_URL = ""
    make_service(name="Accueil de jour Dunkerque", city="Dunkerque")
    client.force_login(world.reception)
    page = client.get(reverse("network:service_map")).content.decode()
    assert "Accueil de jour Dunkerque" in page
    assert "network/leaflet/leaflet.js" in page
    assert "tile.openstreetmap.org" in page  # the default when the setting is empty


# --- import / export -----------------------------------------------------------------


def upload(text: str, name: str):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def csv_of(*rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=directory_io.CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_import_with_bad_rows_reports_each_and_imports_nothing(world, client):
    text = csv_of(
        {"name": "Bonne adresse", "type": "food", "city": "Calais"},
        {"name": "Mauvaise latitude", "type": "food", "latitude": "123", "longitude": "2"},
        {"name": "Horaires à l'envers", "type": "showers", "hours_wed": "18:00-10:00"},
    )
    client.force_login(world.coordinator)
    page = client.post(reverse("network:service_import"), {"file": upload(text, "s.csv")})
    body = page.content.decode()
    assert page.status_code == 200 and "Nothing was imported" in body
    assert "<td>3</td><td>latitude</td>" in body
    assert "<td>4</td><td>hours_wed</td>" in body
    assert not Service.objects.exists()


def test_import_then_export_round_trip_csv_and_geojson(world, client):
    text = csv_of(
        {
            "name": "PASS Calais",
            "type": "pass",
            "city": "Calais",
            "latitude": "50.948",
            "longitude": "1.87",
            "hours_mon": "08:30-12:00",
            "languages": "fr, en",
            "eligibility": "everyone",
            "notes": "=HYPERLINK(1)",
        },
        {"name": "Maison des femmes", "type": "women", "eligibility": "women, families"},
    )
    client.force_login(world.doctor)
    response = client.post(reverse("network:service_import"), {"file": upload(text, "s.csv")})
    assert response.status_code == 302
    assert Service.objects.count() == 2
    exported = client.get(reverse("network:service_export"), {"format": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in exported  # never a formula in a spreadsheet
    # Importing the export again changes nothing (ids update their entries).
    services.services_import(actor=world.doctor, rows=directory_io.read_csv(exported))
    assert Service.objects.count() == 2
    assert Service.objects.get(name="PASS Calais").notes == "=HYPERLINK(1)"
    geojson = client.get(reverse("network:service_export"), {"format": "geojson"}).json()
    assert geojson["type"] == "FeatureCollection"
    pass_calais = next(f for f in geojson["features"] if f["properties"]["name"] == "PASS Calais")
    assert pass_calais["geometry"]["coordinates"] == [1.87, 50.948]
    assert next(f for f in geojson["features"] if f["geometry"] is None)
    Service.objects.all().delete()
    report = services.services_import(
        actor=world.doctor, rows=directory_io.read_geojson(json.dumps(geojson))
    )
    assert report.errors[0][1:] == ("id", "No directory entry has this id.")
    assert not Service.objects.exists()
    for feature in geojson["features"]:
        del feature["properties"]["id"]
    report = services.services_import(
        actor=world.doctor, rows=directory_io.read_geojson(json.dumps(geojson))
    )
    assert report.created == 2
    assert Service.objects.get(name="PASS Calais").opening_hours == {"mon": [["08:30", "12:00"]]}


def test_geojson_import_with_a_bad_feature_imports_nothing(world):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
                "properties": {"name": "Cimade Paris", "type": "legal_aid"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [200, 48.85]},
                "properties": {"name": "Nulle part", "type": "food"},
            },
        ],
    }
    report = services.services_import(
        actor=world.coordinator, rows=directory_io.read_geojson(json.dumps(collection))
    )
    assert report.errors == [(2, "longitude", "Must be between -180 and 180.")]
    assert not Service.objects.exists()
    collection["features"].pop()
    report = services.services_import(
        actor=world.coordinator, rows=directory_io.read_geojson(json.dumps(collection))
    )
    assert report.created == 1
    assert str(Service.objects.get().latitude) == "48.85000"


def test_unreadable_file_is_refused_with_a_message(world, client):
    client.force_login(world.coordinator)
    page = client.post(
        reverse("network:service_import"),
        {"file": SimpleUploadedFile("x.json", b"{not json", content_type="application/json")},
    )
    assert "not valid JSON" in page.content.decode()


def test_stale_edit_page_says_so_and_keeps_the_newer_entry(world, client):
    service = make_service(name="Douches Calais", type="showers")
    services.service_save(
        actor=world.coordinator,
        service=service,
        version=1,
        data={"name": "Douches", "type": "showers"},
    )
    client.force_login(world.social_worker)
    page = client.post(
        reverse("network:service_edit", args=[service.pk]),
        {"name": "Douches du port", "type": "showers", "version": 1},
    )
    assert "Someone else changed this entry" in page.content.decode()
    assert Service.objects.get().name == "Douches"
