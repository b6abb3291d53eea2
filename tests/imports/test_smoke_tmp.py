from parcours.people.models import Person
from tests.imports.conftest import MANO_PERSON_HEADER, mano_person, teams_sheet, write_xlsx


def test_raw(world, run_import, tmp_path):
    path = write_xlsx(
        tmp_path / "data.xlsx",
        {
            "actions": [["_id", "status", "dueAt", "person", "name", "teams"], ["a1", "A FAIRE", "2024-02-01T10:00:00.000Z", "p-1", "Rendez-vous CAF", "x"]],
            "personnes suivies": [MANO_PERSON_HEADER, mano_person(birthdate="1990-05-11T22:00:00.000Z", gender="Homme", Nationalité="Hors UE")],
            "équipes": teams_sheet(),
            "consultations": [["_id", "status", "completedAt", "Description", "type", "person", "teams", "constantes-poids"], ["c1", "FAIT", "2024-02-02T10:00:00.000Z", "Toux", "Médicale", "p-1", "", "70"]],
        },
    )
    batch = run_import(path)
    print(batch.status, batch.message, batch.counts, list(batch.rows.values_list("sheet", "row_number", "outcome", "reason")))
    p = Person.objects.get()
    print(p.given_name, p.birth_date, p.sex, list(p.imported_fields.values_list("label", "value")))
    assert batch.status == "done"
    again = run_import(path)
    print(again.counts)
