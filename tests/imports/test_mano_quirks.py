"""One test per quirk of Mano's exports (see the research notes on Mano's
data model and its three kinds of Excel export), each on a small file
built here with openpyxl."""

from datetime import date

import pytest

from parcours.accounts.models import Membership
from parcours.care.models import Encounter, MedicalDetails, Tally
from parcours.imports.models import ImportedField, ImportedNote, ReportRow
from parcours.people.models import Person, Sex
from tests.imports.conftest import (
    MANO_PERSON_HEADER,
    TEAM_CALAIS,
    TEAM_DUNKERQUE,
    mano_person,
    teams_sheet,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def raw(tmp_path, *persons, **sheets):
    """A raw data.xlsx: persons sheet, teams sheet, and any other sheet given."""
    content = {"personnes suivies": [MANO_PERSON_HEADER, *persons], "équipes": teams_sheet()}
    content.update({name.replace("_", " "): rows for name, rows in sheets.items()})
    return write_xlsx(tmp_path / "data.xlsx", content)


def fields_of(person) -> dict[str, tuple[str, str]]:
    return {f.label: (f.category, f.value) for f in ImportedField.objects.filter(person=person)}


# --- raw export (data.xlsx) ---------------------------------------------------------


def test_plaintext_entity_keys_and_technical_columns_are_never_imported(run_import, tmp_path):
    batch = run_import(raw(tmp_path, mano_person(history='[{"date":"2024"}]')))
    assert batch.status == "done", batch.message
    person = Person.objects.get()
    labels = set(fields_of(person))
    assert not labels & {"entityKey", "encryptedEntityKey", "history", "documents", "user", "_id"}
    assert "c2VjcmV0LWtleQ==" not in str(
        list(ImportedField.objects.values_list("value", flat=True))
    )


def test_utc_midnight_dates_are_read_back_as_the_paris_date(run_import, tmp_path):
    # Typed in Paris: summer midnight is 22:00Z the day before, winter 23:00Z.
    run_import(
        raw(
            tmp_path,
            mano_person(_id="summer", name="Awet Kidane", birthdate="1990-05-11T22:00:00.000Z"),
            mano_person(_id="winter", name="Samir Haddad", birthdate="1985-01-14T23:00:00.000Z"),
        )
    )
    births = dict(Person.objects.values_list("given_name", "birth_date"))
    assert births == {"Awet Kidane": date(1990, 5, 12), "Samir Haddad": date(1985, 1, 15)}


def test_false_and_zero_are_empty_cells_and_empty_means_false(run_import, tmp_path):
    run_import(
        raw(
            tmp_path,
            mano_person(_id="a", name="Yonas Tekle", outOfActiveList=None, alertness=None),
            mano_person(_id="b", name="Omar Idris", outOfActiveList="true"),
        )
    )
    assert Person.objects.get(given_name="Yonas Tekle").is_active is True
    assert Person.objects.get(given_name="Omar Idris").is_active is False


def test_booleans_are_the_text_true(run_import, tmp_path):
    run_import(
        raw(
            tmp_path,
            mano_person(outOfActiveList="true", outOfActiveListDate="2024-03-01T23:00:00.000Z"),
        )
    )
    person = Person.objects.get()
    assert (person.is_active, person.exit_date) == (False, date(2024, 3, 2))


def test_team_uuids_joined_with_comma_space_keep_every_team(run_import, tmp_path, world):
    Membership.objects.create(user=world.coordinator, project=world.dunkerque, role="coordinator")
    mapping = {
        "source": "mano",
        "columns": {"_id": "source_key", "name": "full_name", "assignedTeams": "teams"},
        "teams": {"Maraude Calais": "CAL", "Accueil Dunkerque": "DUN"},
    }
    run_import(
        raw(tmp_path, mano_person(assignedTeams=f"{TEAM_CALAIS}, {TEAM_DUNKERQUE}")),
        mapping=mapping,
    )
    person = Person.objects.get()
    assert set(person.enrolments.values_list("project__code", flat=True)) == {"CAL", "DUN"}


def test_multi_choice_values_after_the_first_are_kept(run_import, tmp_path):
    # Mano's own import splits on "," without trimming and keeps only "RSA".
    run_import(raw(tmp_path, mano_person(Ressources="RSA, AAH, Mendicité")))
    assert fields_of(Person.objects.get())["Ressources"] == ("social", "RSA, AAH, Mendicité")


def test_history_json_cut_mid_string_does_not_stop_the_row(run_import, tmp_path):
    cut = '[{"date":"2024-01-01","data":{"name":{"oldValue":"A' + "x" * 200
    batch = run_import(raw(tmp_path, mano_person(history=cut)))
    assert batch.counts == {"imported": 1}
    assert Person.objects.count() == 1


def test_custom_fields_come_by_label_in_the_category_of_their_section(run_import, tmp_path):
    run_import(
        raw(
            tmp_path,
            mano_person(
                **{"Situation personnelle": "Homme isolé", "Couverture(s) médicale(s)": "AME"}
            ),
        )
    )
    fields = fields_of(Person.objects.get())
    assert fields["Situation personnelle"] == ("social", "Homme isolé")
    assert fields["Couverture(s) médicale(s)"] == ("medical", "AME")


def test_person_description_renamed_description_by_old_consultation_types(run_import, tmp_path):
    header = [("Description" if h == "description" else h) for h in MANO_PERSON_HEADER]
    row = mano_person(description="Dort sous le pont")
    path = write_xlsx(tmp_path / "data.xlsx", {"personnes suivies": [header, row]})
    run_import(path)
    assert fields_of(Person.objects.get())["Description"] == ("social", "Dort sous le pont")


def test_followed_since_first_column_of_the_2024_export(run_import, tmp_path):
    header = ["followedSince", *[h for h in MANO_PERSON_HEADER if h != "followedSince"]]
    values = dict(zip(MANO_PERSON_HEADER, mano_person(), strict=True))
    values["followedSince"] = "2023-06-30T22:00:00.000Z"
    path = write_xlsx(
        tmp_path / "data.xlsx", {"personnes suivies": [header, [values[h] for h in header]]}
    )
    batch = run_import(path)
    assert batch.counts == {"imported": 1}
    assert fields_of(Person.objects.get())["followedSince"][0] == "identity"


def test_numbers_as_text_and_vitals_of_consultations(run_import, tmp_path):
    consultations = [
        [
            "_id",
            "status",
            "completedAt",
            "type",
            "person",
            "teams",
            "constantes-poids",
            "constantes-frequence-cardiaque",
        ],
        ["c1", "FAIT", "2024-02-02T10:00:00.000Z", "Médicale", "p-1", TEAM_CALAIS, "70,5", "88"],
    ]
    run_import(raw(tmp_path, mano_person(), consultations=consultations))
    details = MedicalDetails.objects.get()
    assert (float(details.weight_kg), details.pulse_bpm) == (70.5, 88)


def test_consultation_types_map_to_disciplines_and_notes_are_encrypted(run_import, tmp_path):
    consultations = [
        ["_id", "status", "completedAt", "Description", "type", "person", "teams"],
        ["c1", "FAIT", "2024-02-02T10:00:00.000Z", "Angoisses la nuit", "Psychologique", "p-1", ""],
    ]
    run_import(raw(tmp_path, mano_person(), consultations=consultations))
    encounter = Encounter.objects.get()
    assert encounter.discipline == "mental_health"
    assert "Angoisses la nuit" in encounter.confidential_note
    stored = Encounter.objects.values_list("confidential_note__ciphertext", flat=True).get()
    assert "Angoisses" not in stored


def test_comments_embedded_as_json_in_consultations_go_to_the_note(run_import, tmp_path):
    embedded = '[{"comment":"Revoir dans 8 jours","date":"2024-02-02T10:00:00.000Z","share":true}]'
    consultations = [
        ["_id", "status", "completedAt", "type", "person", "comments"],
        ["c1", "FAIT", "2024-02-02T10:00:00.000Z", "Médicale", "p-1", embedded],
    ]
    run_import(raw(tmp_path, mano_person(), consultations=consultations))
    assert "Revoir dans 8 jours" in Encounter.objects.get().confidential_note


def test_comments_json_cut_by_mano_is_reported(run_import, tmp_path):
    consultations = [
        ["_id", "status", "completedAt", "type", "person", "comments"],
        [
            "c1",
            "FAIT",
            "2024-02-02T10:00:00.000Z",
            "Médicale",
            "p-1",
            '[{"comment":"Long' + "x" * 100,
        ],
    ]
    batch = run_import(raw(tmp_path, mano_person(), consultations=consultations))
    row = batch.rows.get(sheet="consultations")
    assert row.outcome == "imported" and "cut JSON" in row.reason


def test_consultation_statuses_are_french_strings(run_import, tmp_path):
    consultations = [
        ["_id", "status", "completedAt", "dueAt", "type", "person"],
        ["c1", "FAIT", "2024-02-02T10:00:00.000Z", "", "Médicale", "p-1"],
        ["c2", "ANNULEE", "", "2024-02-03T10:00:00.000Z", "Médicale", "p-1"],
        ["c3", "A FAIRE", "", "2030-02-03T10:00:00.000Z", "Médicale", "p-1"],
    ]
    batch = run_import(raw(tmp_path, mano_person(), consultations=consultations))
    outcomes = dict(batch.rows.filter(sheet="consultations").values_list("source_key", "outcome"))
    assert outcomes == {"c1": "imported", "c2": "skipped", "c3": "skipped"}
    assert Encounter.objects.count() == 1


def test_actions_become_follow_ups_with_their_status(run_import, tmp_path):
    actions = [
        ["_id", "status", "dueAt", "completedAt", "categories", "person", "name", "teams"],
        [
            "a1",
            "A FAIRE",
            "2024-02-01T23:00:00.000Z",
            "",
            "Démarches, Santé",
            "p-1",
            "Rendez-vous CAF",
            TEAM_CALAIS,
        ],
        [
            "a2",
            "FAIT",
            "2024-01-01T10:00:00.000Z",
            "2024-01-02T10:00:00.000Z",
            "",
            "p-1",
            "Domiciliation",
            "",
        ],
    ]
    run_import(raw(tmp_path, mano_person(), actions=actions))
    notes = {n.status: n for n in ImportedNote.objects.all()}
    assert set(notes) == {"todo", "done"}
    assert notes["todo"].due_on == date(2024, 2, 2)
    assert "Démarches, Santé" in notes["todo"].text


def test_comments_on_actions_reach_the_person_of_the_action(run_import, tmp_path):
    actions = [
        ["_id", "status", "dueAt", "person", "name"],
        ["a1", "FAIT", "2024-02-01T10:00:00.000Z", "p-1", "CAF"],
    ]
    comments = [
        ["_id", "comment", "person", "action", "date"],
        ["m1", "Dossier déposé", "", "a1", "2024-02-01T10:00:00.000Z"],
        ["m2", "Vu ce matin", "p-1", "", "2024-02-03T10:00:00.000Z"],
    ]
    run_import(raw(tmp_path, mano_person(), actions=actions, comments=comments))
    person = Person.objects.get()
    texts = {n.text for n in ImportedNote.objects.filter(person=person, kind="comment")}
    assert texts == {"Dossier déposé", "Vu ce matin"}


def test_anonymous_passages_are_counted_without_a_person(run_import, tmp_path):
    passages = [
        ["_id", "person", "team", "date", "comment"],
        ["s1", "p-1", TEAM_CALAIS, "2024-02-01T10:00:00.000Z", "Douche"],
        ["s2", "", TEAM_CALAIS, "2024-02-01T11:00:00.000Z", ""],
    ]
    run_import(raw(tmp_path, mano_person(), passages=passages))
    assert Encounter.objects.filter(discipline="day_centre", person__isnull=False).count() == 1
    anonymous = Encounter.objects.get(discipline="day_centre", person__isnull=True)
    assert list(Tally.objects.filter(encounter=anonymous).values_list("count", flat=True)) == [1]


def test_rencontres_and_observations_become_outreach(run_import, tmp_path):
    rencontres = [
        ["_id", "person", "team", "date", "comment"],
        ["r1", "p-1", TEAM_CALAIS, "2024-02-01T10:00:00.000Z", "Maraude"],
    ]
    territories = [["_id", "name", "perimeter"], ["t1", "Dunes de Loon", "Plage"]]
    observations = [
        [
            "_id",
            "Nombre de personnes non connues hommes rencontrées",
            "Nombre de personnes non connues femmes rencontrées",
            "Ambiance",
            "territory",
            "team",
            "observedAt",
        ],
        ["o1", "12", "3", "Tensions", "t1", TEAM_CALAIS, "2024-02-01T20:00:00.000Z"],
    ]
    run_import(
        raw(
            tmp_path,
            mano_person(),
            rencontres=rencontres,
            territoires=territories,
            **{"observations de territoires": observations},
        )
    )
    assert Encounter.objects.filter(discipline="outreach", person__isnull=False).count() == 1
    observation = Encounter.objects.get(discipline="outreach", person__isnull=True)
    assert observation.activity_details.place == "Dunes de Loon"
    assert dict(observation.tallies.values_list("sex", "count")) == {"male": 12, "female": 3}
    assert "Ambiance: Tensions" in observation.confidential_note


def test_treatments_without_start_date_use_the_creation_date(run_import, tmp_path):
    treatments = [
        [
            "_id",
            "createdAt",
            "person",
            "startDate",
            "endDate",
            "name",
            "dosage",
            "frequency",
            "indication",
        ],
        [
            "x1",
            "2024-02-01T10:00:00.000Z",
            "p-1",
            "",
            "",
            "Paracétamol",
            "1 g",
            "3/jour",
            "Douleurs",
        ],
    ]
    run_import(raw(tmp_path, mano_person(), treatments=treatments))
    details = MedicalDetails.objects.get()
    assert (details.treatments, details.treatment_dose) == ("Paracétamol", "1 g, 3/jour")
    assert details.encounter.occurred_at.date() == date(2024, 2, 1)


def test_medical_file_fields_are_medical(run_import, tmp_path):
    files = [
        ["_id", "Numéro de sécurité sociale", "person", "documents"],
        ["f1", "1 85 01 99 123 456", "p-1", "[]"],
    ]
    run_import(raw(tmp_path, mano_person(), **{"medical-files": files}))
    assert fields_of(Person.objects.get())["Numéro de sécurité sociale"] == (
        "medical",
        "1 85 01 99 123 456",
    )


def test_sheets_with_no_place_in_parcours_are_reported_skipped(run_import, tmp_path):
    batch = run_import(
        raw(
            tmp_path,
            mano_person(),
            utilisateurs=[["_id", "name"], ["u1", "Admin"]],
            services=[["_id", "date", "service", "count"], ["s1", "2024-01-01", "Douche", "4"]],
        )
    )
    skipped = dict(batch.rows.filter(outcome="skipped").values_list("sheet", "reason"))
    assert set(skipped) == {"utilisateurs", "services"}
    assert "not persons" in skipped["utilisateurs"]


def test_gender_options_and_nationality_options(run_import, tmp_path):
    run_import(
        raw(
            tmp_path,
            mano_person(
                _id="a", name="Lina", gender="Femme transgenre", **{"Nationalité": "Française"}
            ),
            mano_person(_id="b", name="Robel", gender="Aucun", **{"Nationalité": "Hors UE"}),
        )
    )
    lina, robel = Person.objects.get(given_name="Lina"), Person.objects.get(given_name="Robel")
    assert (lina.sex, str(lina.nationality)) == (Sex.OTHER, "FR")
    assert (robel.sex, str(robel.nationality)) == (Sex.UNKNOWN, "")
    assert fields_of(robel)["Nationalité"] == ("social", "Hors UE")


# --- formatted exports ----------------------------------------------------------------

FORMATTED_PERSONS = [
    "id",
    "Nom prénom ou Pseudonyme",
    "Autres pseudos",
    "Genre",
    "Date de naissance",
    "Équipes en charge",
    "Sortie de file active",
    "Ressources",
    "Créée par",
    "Créée le",
    "Mise à jour le",
]


def test_formatted_export_booleans_are_oui_non_and_teams_are_names(run_import, tmp_path, world):
    Membership.objects.create(user=world.coordinator, project=world.dunkerque, role="coordinator")
    path = write_xlsx(
        tmp_path / "Personnes suivies.xlsx",
        {
            "Personnes suivies": [
                FORMATTED_PERSONS,
                [
                    "p-1",
                    "Amanuel Tesfay",
                    "Amani, Aman",
                    "Homme",
                    "1990-05-12",
                    "Maraude Calais, Accueil Dunkerque",
                    "Oui",
                    "RSA",
                    "Admin",
                    "2024-01-01",
                    "2024-01-02",
                ],
                [
                    "p-2",
                    "Hawa Diallo",
                    "",
                    "Femme",
                    "12/03/2001",
                    "Maraude Calais",
                    "Non",
                    "",
                    "Admin",
                    "2024-01-01",
                    "2024-01-02",
                ],
            ]
        },
    )
    mapping = {
        "source": "mano",
        "columns": {
            "id": "source_key",
            "Nom prénom ou Pseudonyme": "full_name",
            "Autres pseudos": "other_names",
            "Genre": "sex",
            "Date de naissance": "birth_date",
            "Équipes en charge": "teams",
            "Sortie de file active": "out_of_active_list",
            "Ressources": {"field": "imported", "category": "social"},
        },
        "teams": {"Maraude Calais": "CAL", "Accueil Dunkerque": "DUN"},
    }
    batch = run_import(path, mapping=mapping)
    assert batch.file_kind == "mano-formatted"
    amanuel = Person.objects.get(given_name="Amanuel Tesfay")
    assert amanuel.is_active is False
    assert sorted(amanuel.aliases.values_list("name", flat=True)) == ["Aman", "Amani"]
    assert amanuel.enrolments.count() == 2
    hawa = Person.objects.get(given_name="Hawa Diallo")
    assert (hawa.is_active, hawa.birth_date) == (True, date(2001, 3, 12))


def test_formatted_consultations_keep_only_the_fields_of_their_own_type(run_import, tmp_path):
    run_import(raw(tmp_path, mano_person(_id="p-1")))
    path = write_xlsx(
        tmp_path / "Consultations.xlsx",
        {
            "Consultations": [
                [
                    "id",
                    "Équipe",
                    "Avec heure",
                    "Statut",
                    "Personne suivie - Nom",
                    "Personne suivie - id",
                    "Type",
                    "Description - Psychologique",
                    "Description - Infirmier",
                    "Description - Médicale",
                    "Complétée le",
                    "À faire le",
                    "Créée par",
                    "Créée le",
                    "Mise à jour le",
                ],
                [
                    "c1",
                    "Maraude Calais",
                    "true",
                    "FAIT",
                    "Amanuel",
                    "p-1",
                    "Infirmier",
                    "",
                    "Pansement",
                    "",
                    "2024-02-02 10:30",
                    "",
                    "Admin",
                    "2024-02-02",
                    "2024-02-02",
                ],
            ]
        },
    )
    batch = run_import(path)
    assert batch.counts == {"imported": 1}
    encounter = Encounter.objects.get()
    assert encounter.confidential_note == "Description: Pansement"
    assert encounter.occurred_at.hour == 9  # 10:30 in Paris, stored in UTC


def test_formatted_text_cut_with_the_truncation_mark_is_reported(run_import, tmp_path):
    run_import(raw(tmp_path, mano_person(_id="p-1")))
    path = write_xlsx(
        tmp_path / "Consultations.xlsx",
        {
            "Consultations": [
                [
                    "id",
                    "Statut",
                    "Personne suivie - id",
                    "Type",
                    "Description - Médicale",
                    "Complétée le",
                ],
                ["c1", "FAIT", "p-1", "Médicale", "x" * 50 + "... [TRONQUÉ]", "2024-02-02 10:30"],
            ]
        },
    )
    batch = run_import(path)
    assert "cut by Mano" in batch.rows.get().reason


def test_formatted_actions_status_and_group_flag(run_import, tmp_path):
    run_import(raw(tmp_path, mano_person(_id="p-1")))
    path = write_xlsx(
        tmp_path / "Actions.xlsx",
        {
            "Actions": [
                [
                    "id",
                    "Nom",
                    "Description",
                    "Catégories",
                    "Personne suivie - Nom",
                    "Personne suivie - id",
                    "Groupe",
                    "Avec heure",
                    "Équipe",
                    "Urgent",
                    "Statut",
                    "Complétée le",
                    "À faire le",
                ],
                [
                    "a1",
                    "Domiciliation",
                    "",
                    "Administratif",
                    "Amanuel",
                    "p-1",
                    "true",
                    "",
                    "Maraude Calais",
                    "",
                    "ANNULEE",
                    "",
                    "2024-03-01",
                ],
            ]
        },
    )
    run_import(path)
    assert ImportedNote.objects.get().status == "cancelled"


# --- the person-import template ---------------------------------------------------------

TEMPLATE = [
    "Nom prénom ou Pseudonyme",
    "Genre",
    "Date de naissance",
    "Équipes en charge",
    "Avec animaux",
    "Ressources",
]


def test_template_example_row_is_skipped(run_import, tmp_path):
    path = write_xlsx(
        tmp_path / "persons.xlsx",
        {
            "personne": [
                TEMPLATE,
                ["test", "Aucun", "2021-01-01", "Maraude Calais", "Oui", "SANS"],
                ["Ibrahim Musa", "Homme", "3/7/98", "Maraude Calais", "Non", "RSA,AAH"],
            ]
        },
    )
    batch = run_import(path)
    assert batch.file_kind == "mano-template"
    assert list(batch.rows.values_list("row_number", "outcome")) == [
        (2, "skipped"),
        (3, "imported"),
    ]
    ibrahim = Person.objects.get()
    assert ibrahim.birth_date == date(1998, 7, 3)
    assert fields_of(ibrahim)["Ressources"] == ("social", "RSA,AAH")  # nothing dropped


def test_template_sheet_is_found_by_person_in_its_name(run_import, tmp_path):
    path = write_xlsx(
        tmp_path / "export.xlsx",
        {
            "Notes": [["x"], ["y"]],
            "Mes persons à importer": [TEMPLATE, ["Ibrahim Musa", "Homme", "", "", "", ""]],
        },
    )
    batch = run_import(path)
    assert Person.objects.get().given_name == "Ibrahim Musa"
    assert batch.rows.get(sheet="Notes").outcome == "skipped"


def test_formula_cells_stay_text_and_are_reported(run_import, tmp_path):
    path = write_xlsx(
        tmp_path / "persons.xlsx",
        {"personne": [TEMPLATE, ['=HYPERLINK("http://x","Ali")', "Homme", "", "", "", ""]]},
    )
    batch = run_import(path)
    assert Person.objects.get().given_name == '=HYPERLINK("http://x","Ali")'
    assert "starts with “=”" in batch.rows.get().reason


def test_report_rows_say_why(run_import, tmp_path):
    batch = run_import(raw(tmp_path, mano_person(birthdate="pas de date")))
    row = batch.rows.get(sheet="personnes suivies")
    assert (row.outcome, row.column, row.value) == (
        ReportRow.Outcome.ERROR,
        "birthdate",
        "pas de date",
    )
