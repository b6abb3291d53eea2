"""Mano contacts (its "Structures" directory) into the service directory of
the network app: dry run, row report, idempotent re-runs, corrections,
errors by row, who may import them, undo."""

import pytest

from parcours.imports import services
from parcours.imports.models import ImportedRow
from parcours.network.models import Service
from tests.imports.conftest import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "Nom",
    "Description",
    "Adresse",
    "Code postal",
    "Ville",
    "Téléphone",
    "Email",
    "Catégories",
]
PASS = ["PASS Calais", "Consultations sans rendez-vous", "1 rue de l'Hôpital", "62100", "Calais"]
SECOURS = ["Secours Populaire", "", "5 rue Royale", "62100", "Calais", "03 21 00 00 00"]


def contacts_file(tmp_path, *rows):
    return write_xlsx(tmp_path / "contacts.xlsx", {"contacts": [HEADER, *rows]})


def outcomes(batch) -> dict:
    return dict(batch.rows.values_list("source_key", "outcome"))


def test_a_dry_run_reports_the_contacts_and_writes_nothing(run_import, tmp_path):
    path = contacts_file(
        tmp_path, [*PASS, "", "", "PASS, Santé"], [*SECOURS, "", "Aide alimentaire"]
    )
    batch = run_import(path, dry_run=True)
    assert batch.counts == {"imported": 2}
    assert not Service.objects.exists()
    assert not ImportedRow.objects.exists()


def test_contacts_become_directory_entries_once(run_import, tmp_path):
    path = contacts_file(
        tmp_path, [*PASS, "", "pass@example.org", "PASS, Santé"], [*SECOURS, "", "Aide alimentaire"]
    )
    assert run_import(path).counts == {"imported": 2}
    entries = {s.name: s for s in Service.objects.all()}
    assert entries["PASS Calais"].type == "pass"
    assert entries["PASS Calais"].address == "1 rue de l'Hôpital, 62100"
    assert entries["PASS Calais"].city == "Calais"
    assert entries["PASS Calais"].email == "pass@example.org"
    assert "Mano categories: PASS, Santé" in entries["PASS Calais"].notes
    assert entries["Secours Populaire"].type == "food"
    assert entries["Secours Populaire"].phone == "03 21 00 00 00"
    assert run_import(path).counts == {"unchanged": 2}
    assert Service.objects.count() == 2


def test_a_corrected_contact_updates_its_entry_unless_edited_in_parcours(
    run_import, tmp_path, world
):
    from parcours.network.services import service_save

    run_import(contacts_file(tmp_path, PASS, SECOURS))
    corrected = contacts_file(tmp_path, [*PASS, "03 21 11 11 11"], [*SECOURS[:5], "03 21 22 22 22"])
    secours = Service.objects.get(name="Secours Populaire")
    service_save(
        actor=world.coordinator,
        data={"name": "Secours Populaire", "type": "food", "city": "Calais"},
        service=secours,
        version=secours.version,
    )
    batch = run_import(corrected)
    assert sorted(batch.counts.items()) == [("skipped", 1), ("updated", 1)]
    assert Service.objects.get(name="PASS Calais").phone == "03 21 11 11 11"
    assert Service.objects.get(name="Secours Populaire").phone == ""


def test_a_bad_contact_is_reported_with_its_column_and_the_others_imported(run_import, tmp_path):
    batch = run_import(
        contacts_file(tmp_path, [*PASS, "", "not-an-address"], ["", "sans nom"], SECOURS)
    )
    rows = list(batch.rows.order_by("row_number").values_list("outcome", "column", "value"))
    assert rows == [
        ("error", "email", "not-an-address"),
        ("error", "Nom", ""),
        ("imported", "", ""),
    ]
    assert list(Service.objects.values_list("name", flat=True)) == ["Secours Populaire"]


def test_who_does_not_keep_the_directory_imports_no_contact(run_import, tmp_path, world):
    batch = run_import(contacts_file(tmp_path, PASS), actor=world.meal)
    assert batch.counts == {"skipped": 1}
    assert not Service.objects.exists()


def test_undoing_the_import_takes_its_entries_out_of_use(run_import, tmp_path, world):
    batch = run_import(contacts_file(tmp_path, PASS))
    services.batch_undo(actor=world.coordinator, batch=batch)
    assert list(Service.objects.values_list("name", "is_active")) == [("PASS Calais", False)]
    assert not ImportedRow.objects.exists()
