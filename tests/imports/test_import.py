"""Re-runs, corrections, undo, dry runs, duplicates, atomicity and the bad
inputs of the issue: each gets a clear message and changes nothing."""

import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from parcours.audit.models import AuditEvent
from parcours.care.models import Encounter
from parcours.imports import services
from parcours.imports.models import ImportBatch, ImportedRow
from parcours.imports.readers import ImportFileError
from parcours.people import services as people_services
from parcours.people.models import Alias, NameKey, Person
from tests.imports.conftest import (
    MANO_PERSON_HEADER,
    mano_person,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def state() -> tuple:
    return (
        Person.objects.count(),
        Encounter.objects.count(),
        ImportedRow.objects.count(),
        Alias.objects.count(),
        NameKey.objects.count(),
        AuditEvent.objects.exclude(event="import.run").count(),
    )


def persons_file(tmp_path, *rows, name="data.xlsx", **sheets):
    return write_xlsx(tmp_path / name, {"personnes suivies": [MANO_PERSON_HEADER, *rows], **sheets})


CONSULTATIONS = [
    [
        "_id",
        "status",
        "completedAt",
        "Description",
        "type",
        "person",
        "constantes-frequence-cardiaque",
    ],
    ["c1", "FAIT", "2024-02-02T10:00:00.000Z", "Toux", "Médicale", "p-1", "80"],
]


def test_re_running_the_same_file_changes_nothing(run_import, tmp_path):
    path = persons_file(
        tmp_path,
        mano_person(),
        mano_person(_id="p-2", name="Hawa Diallo"),
        consultations=CONSULTATIONS,
    )
    first = run_import(path)
    assert first.counts == {"imported": 3}
    before = state()
    again = run_import(path)
    assert again.counts == {"unchanged": 3}
    assert state() == before


def test_a_corrected_file_updates_what_changed(run_import, tmp_path, world):
    run_import(persons_file(tmp_path, mano_person(birthdate="1990-05-11T22:00:00.000Z")))
    person = Person.objects.get()
    corrected = run_import(
        persons_file(
            tmp_path, mano_person(name="Amanuel Tesfaye", birthdate="1991-05-11T22:00:00.000Z")
        )
    )
    assert corrected.counts == {"updated": 1}
    person.refresh_from_db()
    assert (person.given_name, person.birth_date, person.version) == (
        "Amanuel Tesfaye",
        date(1991, 5, 12),
        2,
    )
    event = AuditEvent.objects.filter(event="import.update").get()
    assert event.changes["birth_date"] == ["1990-05-12", "1991-05-12"]


def test_a_record_edited_in_parcours_is_not_overwritten(run_import, tmp_path, world):
    run_import(persons_file(tmp_path, mano_person()))
    person = Person.objects.get()
    people_services.person_update(
        actor=world.coordinator,
        person_id=person.pk,
        version=person.version,
        data={"family_name": "Corrigé"},
    )
    batch = run_import(persons_file(tmp_path, mano_person(name="Autre nom")))
    assert batch.rows.get().outcome == "skipped"
    person.refresh_from_db()
    assert person.family_name == "Corrigé" and person.given_name == "Amanuel Tesfay"


def test_dry_run_writes_nothing_but_its_report(run_import, tmp_path):
    before = state()
    batch = run_import(
        persons_file(tmp_path, mano_person(), consultations=CONSULTATIONS), dry_run=True
    )
    assert batch.dry_run and batch.status == "done"
    assert batch.counts == {"imported": 2}
    assert state() == before
    assert batch.rows.count() == 2


def test_batch_undo_removes_everything_it_created(run_import, tmp_path, world):
    before = state()
    batch = run_import(persons_file(tmp_path, mano_person(), consultations=CONSULTATIONS))
    assert Person.objects.count() == 1
    services.batch_undo(actor=world.coordinator, batch=batch)
    assert state()[:5] == before[:5]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert AuditEvent.objects.filter(event="import.undo").exists()


def test_undo_is_refused_once_a_record_was_edited(run_import, tmp_path, world):
    batch = run_import(persons_file(tmp_path, mano_person()))
    person = Person.objects.get()
    people_services.person_update(
        actor=world.coordinator, person_id=person.pk, version=1, data={"family_name": "X"}
    )
    with pytest.raises(Exception, match="edited since"):
        services.batch_undo(actor=world.coordinator, batch=batch)
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_failed_row_leaves_nothing_half_written(run_import, tmp_path):
    # A negative pulse breaks the medical details' CHECK constraint after the
    # encounter row was written: that row's encounter must go too, and only it.
    consultations = [
        CONSULTATIONS[0],
        ["c1", "FAIT", "2024-02-02T10:00:00.000Z", "Toux", "Médicale", "p-1", "80"],
        ["c2", "FAIT", "2024-02-03T10:00:00.000Z", "Fièvre", "Médicale", "p-1", "-5"],
        ["c3", "FAIT", "2024-02-04T10:00:00.000Z", "Plaie", "Médicale", "p-1", "70"],
    ]
    batch = run_import(persons_file(tmp_path, mano_person(), consultations=consultations))
    outcomes = dict(batch.rows.filter(sheet="consultations").values_list("source_key", "outcome"))
    assert outcomes == {"c1": "imported", "c2": "error", "c3": "imported"}
    notes = sorted(e.confidential_note for e in Encounter.objects.all())
    assert notes == ["Description: Plaie", "Description: Toux"]
    assert not ImportedRow.objects.filter(source_key="c2").exists()
    assert Person.objects.count() == 1


def test_suspected_duplicates_are_listed_not_merged(run_import, tmp_path, world, make_person):
    existing = make_person(given_name="Mohamed", family_name="Ali", birth_date=date(1995, 1, 1))
    path = persons_file(
        tmp_path,
        mano_person(_id="p-1", name="ALI Mohammed", birthdate="1994-12-31T23:00:00.000Z"),
        mano_person(_id="p-2", name="Awet Kidane"),
        mano_person(_id="p-3", name="Kidane Awet"),
    )
    batch = run_import(path)
    rows = {r.source_key: r for r in batch.rows.all()}
    assert rows["p-1"].outcome == "duplicate" and rows["p-1"].candidate_id == existing.pk
    assert rows["p-2"].outcome == "imported"
    assert rows["p-3"].outcome == "duplicate" and rows["p-3"].candidate_row == 3
    assert Person.objects.count() == 2  # the existing one and Awet
    services.duplicate_decide(
        actor=world.coordinator, batch=batch, row=rows["p-1"], decision="link"
    )
    services.duplicate_decide(
        actor=world.coordinator, batch=batch, row=rows["p-3"], decision="create"
    )
    assert Person.objects.count() == 3
    assert ImportedRow.objects.get(source_key="p-1").target_id == existing.pk
    assert run_import(path).counts == {"unchanged": 3}


def test_a_duplicate_of_an_earlier_row_of_its_group_names_that_row_s_person(
    run_import, tmp_path, world
):
    """The earlier row's person is written with its group, after the later
    row was reported: the report still names it, so that it can be linked
    (a dry run names none: its persons are rolled back)."""
    path = persons_file(
        tmp_path,
        mano_person(_id="p-1", name="Awet Kidane"),
        mano_person(_id="p-2", name="Kidane Awet"),
    )
    dry = run_import(path, dry_run=True)
    assert dry.rows.get(source_key="p-2").candidate_id is None
    batch = run_import(path)
    rows = {r.source_key: r for r in batch.rows.all()}
    awet = ImportedRow.objects.get(source_key="p-1").target_id
    assert rows["p-2"].outcome == "duplicate" and rows["p-2"].candidate_row == 2
    assert rows["p-2"].candidate_id == awet
    services.duplicate_decide(
        actor=world.coordinator, batch=batch, row=rows["p-2"], decision="link"
    )
    assert ImportedRow.objects.get(source_key="p-2").target_id == awet
    assert Person.objects.count() == 1


def test_cross_script_duplicate(run_import, tmp_path, make_person):
    existing = make_person(given_name="محمد", family_name="علي")
    batch = run_import(persons_file(tmp_path, mano_person(name="Mohamed Ali")))
    assert batch.rows.get().candidate_id == existing.pk


def test_report_downloads_as_xlsx(run_import, tmp_path, world, client):
    batch = run_import(persons_file(tmp_path, mano_person(birthdate="demain")), dry_run=True)
    client.force_login(world.coordinator)
    response = client.get(f"/imports/{batch.pk}/report.xlsx")
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).worksheets[1].values)
    assert rows[1][3:7] == ("Error", "“demain” is not a date.", "birthdate", "demain")


# --- CSV of a team ------------------------------------------------------------------

HEADER = ["Prénom", "Nom", "Date de naissance", "Sexe", "Nationalité", "Téléphone"]


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ",")],
)
def test_csv_encoding_and_separator_are_detected(run_import, tmp_path, encoding, sep):
    path = write_csv(
        tmp_path / "equipe.csv",
        [
            HEADER,
            ["Hélène", "Kébédé", "03/04/1999", "F", "Éthiopie", ""],
            ["Dawit", "Girma", "1998-02-01", "M", "ER", ""],
            ["Saïd", "Omar", "01/02/03", "H", "soudanaise", ""],
        ],
        sep=sep,
        encoding=encoding,
    )
    batch = run_import(path)
    assert batch.counts == {"imported": 3}, list(batch.rows.values_list("reason", "value"))
    people = {p.given_name: p for p in Person.objects.all()}
    assert people["Hélène"].birth_date == date(1999, 4, 3)
    assert str(people["Hélène"].nationality) == "ET"
    assert people["Saïd"].birth_date == date(2003, 2, 1)
    assert str(people["Saïd"].nationality) == "SD"


def test_saved_mapping_yaml_is_reused(run_import, tmp_path, world):
    path = write_csv(
        tmp_path / "equipe.csv", [["Identifiant", "Pseudo", "Statut"], ["17", "Petit Ali", "suivi"]]
    )
    from parcours.imports.mapping import dump_yaml, load_yaml

    mapping = load_yaml(
        dump_yaml(
            {
                "source": "tableur-calais",
                "columns": {
                    "Identifiant": "source_key",
                    "Pseudo": "full_name",
                    "Statut": {"field": "imported", "category": "social"},
                },
            }
        )
    )
    batch = run_import(path, mapping=mapping)
    assert batch.counts == {"imported": 1}
    assert ImportedRow.objects.get().source == "tableur-calais"


def test_cli_dry_run_then_import(world, tmp_path, media, capsys):
    path = write_csv(
        tmp_path / "equipe.csv", [HEADER, ["Hélène", "Kébédé", "03/04/1999", "F", "", ""]]
    )
    call_command("import", str(path), "--project", "CAL", "--dry-run", "--user", "coordinator")
    assert Person.objects.count() == 0
    assert (tmp_path / "equipe.report.xlsx").exists()
    call_command("import", str(path), "--project", "CAL", "--user", "coordinator")
    assert Person.objects.count() == 1
    assert "Imported" in capsys.readouterr().out


def test_cli_refuses_a_user_who_may_not_import(world, tmp_path, media):
    path = write_csv(tmp_path / "equipe.csv", [HEADER, ["Hélène", "Kébédé", "", "", "", ""]])
    with pytest.raises(CommandError, match="may not import"):
        call_command("import", str(path), "--project", "CAL", "--user", "doctor")


# --- bad input: a clear message, nothing changed ----------------------------------------


def refused(run_import, path, **kwargs) -> str:
    before = state()
    try:
        batch = run_import(path, **kwargs)
    except ImportFileError as error:
        message = error.message
    else:
        assert batch.status == "failed"
        message = batch.message
    assert state() == before
    return message


def test_empty_file(run_import, tmp_path):
    path = tmp_path / "vide.csv"
    path.write_bytes(b"")
    assert refused(run_import, path) == "The file is empty."


def test_a_200_mb_file_is_refused_by_its_size(run_import, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    assert refused(run_import, path) == "The file is 200 MB; files of at most 50 MB are imported."


def test_an_upload_of_200_mb_is_refused_before_reading(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        "/imports/",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 302
    assert Person.objects.count() == 0


def test_an_xlsx_that_is_a_zip_of_something_else(run_import, tmp_path):
    path = tmp_path / "data.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")
    assert "not an Excel workbook" in refused(run_import, path)


def test_a_file_named_xlsx_that_is_not_one(run_import, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("Nom;Prénom\nA;B\n")
    assert "not an Excel workbook" in refused(run_import, path)


def test_a_csv_with_mixed_encodings(run_import, tmp_path):
    path = tmp_path / "mixte.csv"
    path.write_bytes("Prénom;Nom\nHélène;Kébédé\n".encode() + "Zoë;Müller\n".encode("cp1252"))
    assert "mixes text encodings" in refused(run_import, path)


def test_a_date_column_full_of_text(run_import, tmp_path):
    path = write_csv(
        tmp_path / "dates.csv",
        [["Prénom", "Date de naissance"], ["Ali", "inconnue"], ["Omar", "vers 1990"]],
    )
    before = state()
    batch = run_import(path)
    assert state() == before
    assert list(batch.rows.values_list("outcome", "column", "value")) == [
        ("error", "Date de naissance", "inconnue"),
        ("error", "Date de naissance", "vers 1990"),
    ]


def test_a_mapping_to_a_field_that_does_not_exist(run_import, tmp_path):
    from parcours.imports.mapping import MappingError

    path = write_csv(tmp_path / "x.csv", [["Prénom"], ["Ali"]])
    with pytest.raises(
        MappingError, match="“Prénom” is mapped to “prenom_usuel”, which is not a Parcours field"
    ):
        run_import(path, mapping={"columns": {"Prénom": "prenom_usuel"}})
    assert Person.objects.count() == 0


def test_a_team_that_maps_to_no_project(run_import, tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [["Prénom", "Équipe"], ["Ali", "Maraude Calais"], ["Omar", "Équipe fantôme"]],
    )
    mapping = {
        "columns": {"Prénom": "given_name", "Équipe": "teams"},
        "teams": {"Maraude Calais": "CAL"},
    }
    message = refused(run_import, path, mapping=mapping)
    assert "These teams map to no project you may import into: Équipe fantôme" in message


def test_who_may_import(world, tmp_path, media):
    path = write_csv(tmp_path / "x.csv", [["Prénom"], ["Ali"]])
    from django.core.exceptions import PermissionDenied

    for user in (world.doctor, world.reception, world.dunkerque_doctor):
        with pytest.raises(PermissionDenied):
            services.batch_create(
                actor=user,
                project=world.calais,
                name="x.csv",
                chunks=[path.read_bytes()],
                size=path.stat().st_size,
            )
    for user in (world.coordinator, world.meal, world.admin):
        services.batch_create(
            actor=user,
            project=world.calais,
            name="x.csv",
            chunks=[path.read_bytes()],
            size=path.stat().st_size,
        )


def test_admin_runs_an_import_but_does_not_read_its_rows(world, tmp_path, media, client, settings):
    settings.PARCOURS_IMPORTS_INLINE = True
    path = write_csv(tmp_path / "x.csv", [["Prénom"], ["Ali"]])
    client.force_login(world.admin)
    with path.open("rb") as handle:
        response = client.post("/imports/", {"project": world.calais.pk, "file": handle})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{batch.pk}/mapping/"
    response = client.post(
        f"/imports/{batch.pk}/mapping/", {"field-0": "given_name", "action": "run"}
    )
    batch = ImportBatch.objects.get()
    assert batch.status == "done" and batch.counts == {"imported": 1}
    page = client.get(f"/imports/{batch.pk}/")
    assert page.status_code == 200 and b"Ali" not in page.content
    assert client.get(f"/imports/{batch.pk}/report.xlsx").status_code == 404
    client.force_login(world.coordinator)
    assert b"Imported" in client.get(f"/imports/{batch.pk}/").content


def test_upload_page_states_the_size_limit_and_refuses_a_bad_file(world, client, media):
    client.force_login(world.meal)
    page = client.get("/imports/")
    assert b"at most 50 MB" in page.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/imports/",
        {"project": world.calais.pk, "file": SimpleUploadedFile("data.xlsx", b"PK\x03\x04garbage")},
    )
    assert response.status_code == 200
    assert b"damaged or truncated" in response.content
    assert ImportBatch.objects.count() == 0


def test_records_written_in_bulk_are_sealed_audited_and_first_visits_derived(run_import, tmp_path):
    from parcours.audit import integrity

    consultations = [
        CONSULTATIONS[0],
        ["c1", "FAIT", "2024-03-02T10:00:00.000Z", "Toux", "Médicale", "p-1", "80"],
        ["c2", "FAIT", "2024-01-02T10:00:00.000Z", "Fièvre", "Médicale", "p-1", "70"],
        ["c3", "FAIT", "2024-02-02T10:00:00.000Z", "Plaie", "Médicale", "p-2", "75"],
    ]
    actions = [
        ["_id", "status", "dueAt", "person", "name"],
        ["a1", "A FAIRE", "2024-05-01T10:00:00.000Z", "p-2", "Rendez-vous CAF"],
    ]
    comments = [["_id", "comment", "action", "date"], ["k1", "Dossier déposé", "a1", ""]]
    path = persons_file(
        tmp_path,
        mano_person(),
        mano_person(_id="p-2", name="Hawa Diallo"),
        consultations=consultations,
        actions=actions,
        comments=comments,
    )
    batch = run_import(path)
    assert batch.counts == {"imported": 7}
    first = {e.confidential_note: e.is_first_visit for e in Encounter.objects.all()}
    assert first == {
        "Description: Toux": False,
        "Description: Fièvre": True,
        "Description: Plaie": True,
    }
    from parcours.imports.models import ImportedNote

    comment = ImportedNote.objects.get(kind="comment")
    assert comment.person.given_name == "Hawa Diallo"
    created = AuditEvent.objects.filter(event="import.create")
    assert created.filter(subject_type="care.encounter").count() == 3
    assert created.filter(subject_type="imports.importednote").count() == 2
    assert integrity.verify("audit_event").intact
    assert run_import(path).counts == {"unchanged": 7}
