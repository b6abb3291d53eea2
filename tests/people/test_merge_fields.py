"""Merge field by field: nothing of the duplicate is lost, the undo restores
the kept record as it was, and bad merges are refused with a clear message."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from parcours.accounts.models import Membership
from parcours.audit.models import AuditEvent
from parcours.people import merging, services
from parcours.people.models import GroupMember, MergeRecord, Person
from tests.personas import make_user


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def pair(world, make_person):
    """A kept record with little on it, and a full duplicate followed in two projects."""
    keep = make_person(
        given_name="Mohammed",
        family_name="Al-Ajmi",
        phone="+33 6 11 22 33 44",
        contact_notes="At the Calais camp",
        languages=["ar"],
        flags=["shipwreck"],
    )
    duplicate = make_person(
        given_name="Mohamed",
        family_name="ALAJMI",
        name_original="محمد العجمي",
        aliases=["Abu Ali"],
        sex="male",
        birth_date=date(2004, 5, 1),
        birth_date_precision="exact",
        minority_appeal="pending",
        assessed_age=19,
        assessed_on=date(2025, 1, 10),
        nationality="KW",
        languages=["en", "ar"],
        interpreter_needed=True,
        phone="07 55 66 77 88",
        contact_notes="Through his cousin Ali",
        flags=["torture"],
    )
    services.person_enrol(actor=world.referent, person=duplicate, project=world.dunkerque)
    services.group_create(
        actor=world.coordinator,
        project=world.calais,
        name="Famille Al-Ajmi",
        kind="family",
        members=[(duplicate, "child")],
    )
    return keep, duplicate


def _kept_somewhere(keep: Person, field: str, value) -> bool:
    """The duplicate's value is on the kept record: the same field, an alias,
    the notes on how to reach the person, or the joined list."""
    aliases = set(keep.aliases.values_list("name", flat=True))
    if field == "languages":
        return set(value) <= set(keep.languages)
    if field == "interpreter_needed":
        return keep.interpreter_needed or not value
    current = merging.field_value(keep, field)
    if current == value:
        return True
    if field in ("given_name", "family_name", "name_original"):
        return any(value.lower() in alias.lower() for alias in aliases)
    if field in ("phone", "contact_notes"):
        return value in keep.contact_notes
    return False


def test_merge_keeps_every_field_of_the_duplicate(world, pair):
    keep, duplicate = pair
    before = {f: merging.field_value(duplicate, f) for f in services.PERSON_FIELDS}
    duplicate_aliases = list(duplicate.aliases.values_list("name", flat=True))
    duplicate_codes = set(duplicate.enrolments.values_list("code", flat=True))
    merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    lost = {
        field: value
        for field, value in before.items()
        if value not in (None, "", [], False) and not _kept_somewhere(keep, field, value)
    }
    assert lost == {}
    assert set(duplicate_aliases) <= set(keep.aliases.values_list("name", flat=True))
    assert set(keep.flags.values_list("flag", flat=True)) == {"shipwreck", "torture"}
    # The project the kept record was not followed in joins it (Dunkerque);
    # the Calais code stays on the merged record, which points to the kept one.
    keep_codes = set(keep.enrolments.values_list("code", flat=True))
    assert {c for c in duplicate_codes if c.startswith("DUN")} <= keep_codes
    assert GroupMember.objects.filter(person=keep, group__name="Famille Al-Ajmi").exists()
    # A value the kept record lacked is taken; a conflict keeps the kept value
    # unless chosen, and the other phone is written in the notes.
    assert keep.birth_date == date(2004, 5, 1) and str(keep.nationality) == "KW"
    assert keep.given_name == "Mohammed" and keep.phone == "+33 6 11 22 33 44"
    assert keep.contact_notes == (
        "At the Calais camp; Through his cousin Ali; other phone: 07 55 66 77 88"
    )
    assert keep.languages == ["ar", "en"] and keep.interpreter_needed


def test_chosen_fields_come_from_the_duplicate_and_the_undo_restores_the_kept_ones(world, pair):
    keep, duplicate = pair
    record = merging.person_merge(
        actor=world.coordinator, keep=keep, duplicate=duplicate, take=["family_name", "phone"]
    )
    keep.refresh_from_db()
    assert (keep.given_name, keep.family_name) == ("Mohammed", "ALAJMI")
    assert keep.phone == "07 55 66 77 88"
    assert "other phone: +33 6 11 22 33 44" in keep.contact_notes
    # The kept record's own name is now one of its other names.
    assert "Mohammed AL-AJMI" in keep.aliases.values_list("name", flat=True)
    assert MergeRecord.objects.get(pk=record.pk).moved["fields"]["family_name"] == [
        "Al-Ajmi",
        "ALAJMI",
    ]
    merge_event = AuditEvent.objects.filter(event="person.merge").latest("id")
    assert merge_event.changes["family_name"] == ["Al-Ajmi", "ALAJMI"]

    merging.person_unmerge(actor=world.coordinator, record=record)
    keep.refresh_from_db()
    assert (keep.family_name, keep.phone) == ("Al-Ajmi", "+33 6 11 22 33 44")
    assert keep.contact_notes == "At the Calais camp"
    assert keep.birth_date is None and not keep.nationality
    assert keep.languages == ["ar"] and not keep.interpreter_needed
    assert not keep.aliases.exists()
    assert set(keep.enrolments.values_list("project__code", flat=True)) == {"CAL"}


def test_undo_keeps_a_value_edited_since_the_merge(world, pair):
    keep, duplicate = pair
    record = merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    services.person_update(
        actor=world.coordinator,
        person_id=keep.pk,
        version=keep.version,
        data={**{f: getattr(keep, f) for f in services.PERSON_FIELDS}, "nationality": "SD"},
    )
    merging.person_unmerge(actor=world.coordinator, record=record)
    keep.refresh_from_db()
    assert str(keep.nationality) == "SD"  # the newer truth stays
    assert keep.birth_date is None  # what the merge alone brought goes back


def test_a_record_is_not_merged_with_itself(world, make_person, login):
    person = make_person()
    with pytest.raises(ValidationError, match="cannot be merged with itself"):
        merging.person_merge(actor=world.coordinator, keep=person, duplicate=person)
    client = login(world.coordinator)
    response = client.post(
        f"/people/{person.pk}/merge/", {"duplicate_code": "CAL-00001"}, follow=True
    )
    assert "cannot be merged with itself" in response.content.decode()
    response = client.get(f"/people/merge/{person.pk}/{person.pk}/", follow=True)
    assert "cannot be merged with itself" in response.content.decode()


def test_a_merge_across_projects_the_user_does_not_belong_to_is_refused(world, make_person, login):
    keep = make_person()
    elsewhere = make_person(project=world.dunkerque, actor=world.referent, given_name="Amanuel")
    with pytest.raises(PermissionDenied, match="coordinator of both records"):
        merging.person_merge(actor=world.coordinator, keep=keep, duplicate=elsewhere)
    client = login(world.coordinator)
    code = elsewhere.enrolments.get().code
    response = client.post(f"/people/{keep.pk}/merge/", {"duplicate_code": code}, follow=True)
    assert f"No record with code {code} that you may merge" in response.content.decode()
    assert client.get(f"/people/merge/{keep.pk}/{elsewhere.pk}/").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.merged_into_id is None


def test_an_unknown_field_choice_is_refused(world, pair):
    keep, duplicate = pair
    with pytest.raises(ValidationError, match="Unknown field"):
        merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate, take=["id"])


def test_merge_page_side_by_side_then_confirmation(world, pair, login):
    keep, duplicate = pair
    client = login(world.coordinator)
    url = f"/people/merge/{keep.pk}/{duplicate.pk}/"
    page = client.get(url).content.decode()
    assert "Mohammed" in page and "Mohamed" in page
    assert 'name="given_name" value="duplicate"' in page  # a choice: both have one
    assert 'name="nationality"' not in page  # no choice: the kept record lacks it
    assert "07 55 66 77 88" in page
    versions = {"keep_version": keep.version, "duplicate_version": duplicate.version}
    review = client.post(url, {**versions, "step": "review", "given_name": "duplicate"})
    text = review.content.decode()
    assert "Confirm the merge" in text and "Mohammed AL-AJMI" in text
    keep.refresh_from_db()
    assert keep.given_name == "Mohammed"  # nothing written before the confirmation
    done = client.post(url, {**versions, "step": "confirm", "given_name": "duplicate"})
    assert done.status_code == 302
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.given_name == "Mohamed" and duplicate.merged_into_id == keep.pk


def test_merge_page_refuses_a_stale_confirmation(world, pair, login):
    keep, duplicate = pair
    client = login(world.coordinator)
    url = f"/people/merge/{keep.pk}/{duplicate.pk}/"
    response = client.post(
        url, {"keep_version": keep.version - 1, "duplicate_version": 1, "step": "confirm"}
    )
    assert "changed since you opened this page" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_coordinator_of_both_projects_merges_across_them(world, make_person):
    both = make_user("coordinator_both")
    for project in (world.calais, world.dunkerque):
        Membership.objects.create(user=both, project=project, role="coordinator")
    keep = make_person()
    elsewhere = make_person(project=world.dunkerque, actor=world.referent)
    merging.person_merge(actor=both, keep=keep, duplicate=elsewhere)
    assert set(keep.enrolments.values_list("project__code", flat=True)) == {"CAL", "DUN"}
