from datetime import date

import pytest
from django.core.management import call_command

from parcours.access.models import CareAssignment, Consent
from parcours.care.choices import Discipline
from parcours.care.models import Encounter, SVIncident
from parcours.care.services import DETAILS_MODEL
from parcours.demo.generate import top_up
from parcours.demo.generate_care import recompute_first_visits, top_up_encounters
from parcours.lib import crypto
from parcours.people.models import CodeCounter, Enrolment, NameKey, Person
from parcours.people.names import name_keys

TODAY = date(2025, 6, 1)
pytestmark = pytest.mark.django_db


def test_generate_tops_the_database_up_to_the_total_asked():
    top_up(300, batch=120, today=TODAY)
    assert Person.objects.count() == 300
    top_up(300, today=TODAY)
    assert Person.objects.count() == 300
    top_up(340, today=TODAY)
    assert Person.objects.count() == 340


def test_generated_codes_continue_each_project_counter(make_person, world):
    registered = make_person(project=world.calais)  # CAL-00001 through the service
    top_up(200, today=TODAY)
    codes = list(Enrolment.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert registered.enrolments.get().code == "CAL-00001"
    for counter in CodeCounter.objects.select_related("project"):
        numbers = [
            int(code.split("-")[1])
            for code in Enrolment.objects.filter(project=counter.project).values_list(
                "code", flat=True
            )
        ]
        assert sorted(numbers) == list(range(1, counter.last + 1))


def test_generated_name_keys_are_those_the_services_would_store():
    top_up(300, today=TODAY)
    stored: dict[int, set[str]] = {}
    for person_id, key in NameKey.objects.values_list("person_id", "key"):
        stored.setdefault(person_id, set()).add(key)
    for person in Person.objects.prefetch_related("aliases"):
        aliases = [a.name for a in person.aliases.all()]
        expected = name_keys(
            person.given_name,
            person.family_name,
            person.name_original,
            *aliases,
            f"{person.given_name} {person.family_name}",
        )
        assert stored[person.pk] == expected, person


def test_generate_command_reports_what_it_added(capsys):
    call_command("generate", "--persons", "50")
    call_command("generate", "--persons", "50")
    out = capsys.readouterr().out
    assert "Added 50 persons" in out
    assert "Already 50 persons: nothing to add." in out


def _first_visits_are_the_earliest() -> None:
    earliest: dict[tuple, tuple] = {}
    flagged: dict[tuple, list[int]] = {}
    rows = Encounter.objects.filter(person__isnull=False).values_list(
        "pk", "person_id", "discipline", "occurred_at", "is_first_visit"
    )
    for pk, person_id, discipline, occurred_at, first in rows:
        key = (person_id, discipline)
        earliest[key] = min(earliest.get(key, (occurred_at, pk)), (occurred_at, pk))
        if first:
            flagged.setdefault(key, []).append(pk)
    assert {key: [pk] for key, (_at, pk) in earliest.items()} == flagged


def test_generate_tops_encounters_up_with_details_consents_and_encrypted_notes():
    top_up(200, today=TODAY)
    report = top_up_encounters(1000, today=TODAY)
    assert (report.before, report.after) == (0, 1000) == (0, Encounter.objects.count())
    for discipline, model in DETAILS_MODEL.items():
        assert model.objects.filter(encounter__discipline=discipline).count() == (
            Encounter.objects.filter(discipline=discipline).count()
        ), discipline
    assert set(Encounter.objects.values_list("discipline", flat=True)) == set(Discipline.values)
    assert Consent.objects.filter(kind="registration").count() > 150
    assert CareAssignment.objects.exists()
    _first_visits_are_the_earliest()

    noted = Encounter.objects.exclude(confidential_note="")
    assert 0.2 < noted.count() / 1000 < 0.6
    rows = noted.values_list("pk", "row_key", "confidential_note__ciphertext")[:50]
    for encounter_id, row_key, token in rows:
        assert token.startswith("enc2:")
        plain = crypto.decrypt(token, context="care.encounter.confidential_note", row=row_key.hex)
        assert plain == Encounter.objects.get(pk=encounter_id).confidential_note
    assert all(s.narrative for s in SVIncident.objects.all())

    top_up_encounters(1000, today=TODAY)
    assert Encounter.objects.count() == 1000
    top_up_encounters(1150, today=TODAY)
    assert Encounter.objects.count() == 1150
    _first_visits_are_the_earliest()


def test_generate_command_adds_persons_and_encounters(capsys):
    call_command("generate", "--persons", "50", "--encounters", "300")
    call_command("generate", "--encounters", "300")
    out = capsys.readouterr().out
    assert "Added 50 persons" in out
    assert "Added 300 encounters (0 → 300)" in out
    assert "Already 300 encounters: nothing to add." in out


def test_first_visits_are_recomputed_for_persons_given_more_encounters():
    top_up(60, today=TODAY)
    top_up_encounters(400, today=TODAY)
    Encounter.objects.update(is_first_visit=False)
    recompute_first_visits(list(Person.objects.values_list("pk", flat=True)))
    _first_visits_are_the_earliest()
