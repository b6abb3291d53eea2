from datetime import date

import pytest
from django.core.management import call_command

from parcours.demo.generate import top_up
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
