"""People search finds a person under every spelling staff write (issue 8, point 4).

The evaluation set (tests/people/search_recall_data.py) registers persons of
six naming traditions through the service, among a crowd of invented
persons, and types each person's name the ways field staff do. The full
figures, before and after a change, are printed by bench/search_recall.py.
"""

from datetime import date

import pytest

from parcours.demo.generate import top_up
from parcours.people.models import Person
from parcours.people.names import match_reason, name_keys
from parcours.people.search import search
from tests.people import search_recall_data as data

CROWD = 400


@pytest.fixture
def registered(world):
    chosen = data.targets()
    ids, names = data.register(world.coordinator, world.calais, chosen)
    top_up(Person.objects.count() + CROWD, today=date(2026, 11, 1))
    names.update(
        (pk, (given, family))
        for pk, given, family in Person.objects.exclude(pk__in=names).values_list(
            "pk", "given_name", "family_name"
        )
    )
    return chosen, ids, names


def test_recall_at_5_in_every_tradition_and_script(registered):
    chosen, ids, names = registered
    everyone = Person.objects.all()
    outcomes = data.evaluate(lambda query: list(search(everyone, query)[0].ids), chosen, ids, names)
    assert len(outcomes) > 400
    misses = [(o.query.text, o.rank) for o in outcomes if not o.hit]
    assert data.recall(outcomes) >= 0.95, misses
    for attribute in ("tradition", "script"):
        for group, members in data.by(outcomes, attribute).items():
            assert data.recall(members) >= 0.9, (attribute, group, misses)
    full_names = {t.key: t.full_name for t in chosen}
    assert data.exact_misranked(outcomes, full_names) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Abdul Rahman", "Abderrahmane"),
        ("Najib Ullah", "Najibullah"),
        ("Gebre Medhin", "Ghebremedhin"),
        ("Al-Tayeb", "Eltayeb"),
        ("الطيب", "Tayeb"),
        ("Gasim", "Qasim"),
        ("Yagoub", "يعقوب"),
        ("Gamal", "Jamal"),
        ("Ragab", "Rajab"),
        ("Cabdi", "Abdi"),
        ("Maxamed", "Mohamed"),
        ("Xasan", "Hassan"),
        ("Xalid", "Khalid"),
        ("Othman", "Osman"),
        ("Kadhim", "Kazem"),
        ("Javad", "Jawad"),
        ("Ahmat", "Ahmad"),
        ("Michael", "Mikael"),
        ("ተኽለ", "Tekle"),
        ("Mohd", "Mohamed"),
        ("Md", "Muhammad"),
    ],
)
def test_spellings_of_one_name_share_a_key(one, other):
    assert name_keys(one) & name_keys(other)


def test_full_name_ranks_above_a_one_word_match(world, make_person):
    salah = make_person(given_name="Mohamed", family_name="Salah")
    saleh = make_person(given_name="Mohamed", family_name="Saleh")
    longer = make_person(given_name="Saleh", family_name="Osman Mohamed Ali")
    make_person(given_name="Mohamed", family_name="Osman")
    results, _ = search(Person.objects.all(), "Mohamed Saleh")
    assert [p.pk for p in results] == [saleh.pk, salah.pk, longer.pk]
    results, _ = search(Person.objects.all(), "Muhammad Salih")
    assert [p.pk for p in results][2:] == [longer.pk]


def test_match_reason_says_which_words_were_found_and_how():
    assert match_reason("Osman Ali", "Osman Ali").kind == "same"
    assert match_reason("Ali Osman", "Osman Ali").kind == "order"
    reason = match_reason("Abdi Ali", "Cabdi Cali")
    assert (reason.kind, reason.words) == ("spelling", ("Cabdi", "Cali"))
    reason = match_reason("Mohamed Saleh", "Mohamed Osman")
    assert (reason.kind, reason.words) == ("partial", ("Mohamed",))
    assert match_reason("Tesfay", "Mohamed Osman") is None


def test_results_show_birth_year_and_why_each_person_matched(world, make_person, login):
    make_person(given_name="Cabdi", family_name="Cali", birth_date=date(1999, 3, 1))
    make_person(given_name="Abdi", family_name="Warsame", birth_date=date(1985, 6, 1))
    page = login(world.reception).get("/people/", {"q": "Abdi Ali"}).content.decode()
    assert "Same name, in another spelling: Cabdi, Cali" in page
    assert "(1999)" in page
    page = login(world.reception).get("/people/", {"q": "Abdi"}).content.decode()
    assert "Some words only: Abdi" in page and "Some words only: Cabdi" in page
    assert "(1985)" in page
