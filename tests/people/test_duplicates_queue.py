"""The suspected-duplicates queue: as good as search, reasons in words,
only for who may merge, "not the same person" remembered."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import translation

from parcours.access.scope import visible_persons
from parcours.accounts.models import Membership
from parcours.audit.models import AccessLog, AuditEvent
from parcours.people.duplicates import duplicate_pair_dismiss, suspected_pairs
from parcours.people.models import NotDuplicate
from parcours.people.search import search
from tests.personas import make_user


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def registry(world, make_person):
    """Three duplicates among namesakes and others."""
    made = {}

    def add(key, **fields):
        made[key] = make_person(**fields)

    add(
        "ajmi",
        given_name="Mohammed",
        family_name="Al-Ajmi",
        birth_date=date(2004, 1, 1),
        nationality="KW",
        phone="+33 6 11 22 33 44",
    )
    add(
        "alajmi",
        given_name="Mohamed",
        family_name="ALAJMI",
        birth_date=date(2004, 6, 1),
        nationality="KW",
        phone="06 11 22 33 44",
    )
    add("abdelrahman", given_name="Abdelrahman", family_name="Hassan", nationality="SD")
    add("abdul_rahman", given_name="Abdul Rahman", family_name="Hassan", nationality="SD")
    add("khaled_latin", given_name="Khaled", family_name="Idris", birth_date=date(1999, 3, 3))
    add("khaled_arabic", given_name="خالد", family_name="إدريس", birth_date=date(1999, 3, 3))
    # Namesakes and others around them.
    add("salah", given_name="Mohamed", family_name="Salah", nationality="EG")
    add("saleh", given_name="Mohamed", family_name="Saleh", nationality="SD")
    add("ali", given_name="Ali", family_name="Hassan", nationality="SD", sex="male")
    add("hawa", given_name="Hawa", family_name="Idris", sex="female")
    add("amanuel", given_name="Amanuel", family_name="Tesfay", nationality="ER")
    add("senait", given_name="Senait", family_name="Tekle", nationality="ER")
    return made


def _pairs(user) -> dict[frozenset, list[str]]:
    return {
        frozenset((p.first_id, p.second_id)): [r.label for r in p.reasons]
        for p in suspected_pairs(user)
    }


def test_the_duplicates_of_the_issue_are_proposed_with_reasons_in_words(world, registry):
    pairs = _pairs(world.coordinator)
    ajmi = pairs[frozenset((registry["ajmi"].pk, registry["alajmi"].pk))]
    assert {"Same birth year", "Same nationality (Kuwait)", "Same phone number"} <= set(ajmi)
    assert frozenset((registry["abdelrahman"].pk, registry["abdul_rahman"].pk)) in pairs
    script = pairs[frozenset((registry["khaled_latin"].pk, registry["khaled_arabic"].pk))]
    assert "Same date of birth" in script
    assert "Same name in another script" in script or "Same name" in script
    assert frozenset((registry["amanuel"].pk, registry["senait"].pk)) not in pairs


def test_every_pair_search_puts_in_each_others_first_five_is_proposed(world, registry):
    persons = visible_persons(world.coordinator, "merge").current()
    first_five = {
        p.pk: set(search(persons, f"{p.given_name} {p.family_name}")[0].ids[:5]) - {p.pk}
        for p in persons
    }
    expected = {
        frozenset((a, b)) for a, found in first_five.items() for b in found if a in first_five[b]
    }
    assert expected  # the fixture has some
    assert expected <= set(_pairs(world.coordinator))


def test_pairs_are_sorted_by_likelihood_and_the_strongest_comes_first(world, registry):
    pairs = suspected_pairs(world.coordinator)
    assert [p.likelihood for p in pairs] == sorted((p.likelihood for p in pairs), reverse=True)
    assert {pairs[0].first_id, pairs[0].second_id} == {
        registry["ajmi"].pk,
        registry["alajmi"].pk,
    }


def test_pairs_never_include_persons_the_user_may_not_merge(world, make_person, registry):
    elsewhere = make_person(
        project=world.dunkerque,
        actor=world.referent,
        given_name="Mohamed",
        family_name="Al Ajmi",
        birth_date=date(2004, 1, 1),
        nationality="KW",
    )
    calais = {pid for pair in _pairs(world.coordinator) for pid in pair}
    assert elsewhere.pk not in calais
    for user in (world.doctor, world.reception, world.referent, world.dunkerque_doctor):
        assert suspected_pairs(user) == []
    both = make_user("coordinator_both")
    for project in (world.calais, world.dunkerque):
        Membership.objects.create(user=both, project=project, role="coordinator")
    assert frozenset((registry["ajmi"].pk, elsewhere.pk)) in _pairs(both)
    dunkerque_only = make_user("coordinator_dunkerque")
    Membership.objects.create(user=dunkerque_only, project=world.dunkerque, role="coordinator")
    assert _pairs(dunkerque_only) == {}


def test_only_mergers_reach_the_queue(world, registry, login):
    response = login(world.coordinator).get("/people/duplicates/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mohammed AL-AJMI" in text and "Same phone number" in text
    assert "%" not in text.split("<main", 1)[1]  # reasons, not a percentage
    for user in (world.doctor, world.reception, world.referent, world.admin, world.nobody):
        assert login(user).get("/people/duplicates/").status_code == 404, user
    ajmi, alajmi = registry["ajmi"], registry["alajmi"]
    for user in (world.doctor, world.reception, world.dunkerque_doctor):
        client = login(user)
        assert client.get(f"/people/merge/{ajmi.pk}/{alajmi.pk}/").status_code == 404
        url = f"/people/merge/{ajmi.pk}/{alajmi.pk}/not-the-same/"
        assert client.post(url).status_code == 404
    assert not NotDuplicate.objects.exists()


def test_queue_is_paged_and_logs_the_persons_it_shows(world, registry, login, settings):
    settings.PARCOURS_PAGE_SIZE = 1
    client = login(world.coordinator)
    since = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    first = client.get("/people/duplicates/")
    assert "Page 1 of" in first.content.decode()
    rows = AccessLog.objects.filter(id__gt=since)
    assert {r.what for r in rows} == {"identity-summary"}
    assert {r.person_id for r in rows} == {registry["ajmi"].pk, registry["alajmi"].pk}
    assert client.get("/people/duplicates/", {"page": 2}).status_code == 200


def test_not_the_same_person_is_remembered_audited_and_hides_the_pair(world, registry, login):
    ajmi, alajmi = registry["ajmi"], registry["alajmi"]
    client = login(world.coordinator)
    response = client.post(f"/people/merge/{alajmi.pk}/{ajmi.pk}/not-the-same/")
    assert response.status_code == 302
    decision = NotDuplicate.objects.get()
    assert (decision.first_id, decision.second_id) == tuple(sorted((ajmi.pk, alajmi.pk)))
    events = AuditEvent.objects.filter(event="person.not_duplicate")
    assert {e.subject_id for e in events} == {str(ajmi.pk), str(alajmi.pk)}
    assert frozenset((ajmi.pk, alajmi.pk)) not in _pairs(world.coordinator)
    # Said twice, stored once.
    duplicate_pair_dismiss(actor=world.coordinator, first=ajmi, second=alajmi)
    assert NotDuplicate.objects.count() == 1


def test_merged_records_leave_the_queue(world, registry, login):
    ajmi, alajmi = registry["ajmi"], registry["alajmi"]
    client = login(world.coordinator)
    url = f"/people/merge/{ajmi.pk}/{alajmi.pk}/"
    assert client.get(url).status_code == 200
    client.post(url, {"step": "confirm", "keep_version": 1, "duplicate_version": 1})
    pairs = _pairs(world.coordinator)
    assert not any(alajmi.pk in pair for pair in pairs)
    response = client.get(url, follow=True)
    assert "already merged" in response.content.decode()


def test_merge_page_logs_both_records(world, registry, login):
    ajmi, alajmi = registry["ajmi"], registry["alajmi"]
    since = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    login(world.coordinator).get(f"/people/merge/{ajmi.pk}/{alajmi.pk}/")
    rows = AccessLog.objects.filter(id__gt=since)
    assert sorted((r.person_id, r.what) for r in rows) == sorted(
        [(ajmi.pk, "identity"), (alajmi.pk, "identity")]
    )


def test_registration_check_says_why_in_words(world, registry, login):
    response = login(world.reception).post(
        "/people/new/duplicates/",
        {"given_name": "Khaled", "family_name": "Idriss", "birth_date": "1999-03-03"},
    )
    text = response.content.decode()
    assert "Khaled IDRIS" in text and "Same date of birth" in text
    assert "%" not in text
