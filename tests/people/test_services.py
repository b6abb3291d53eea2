from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parcours.accounts.models import Membership
from parcours.audit.models import AccessLog, AppendOnlyError, AuditEvent
from parcours.people import merging, services
from parcours.people.models import Person


def test_person_codes_are_sequential_and_readable_per_project(world, make_person):
    first, second = make_person(), make_person()
    other = make_person(project=world.dunkerque, actor=world.referent)
    assert first.enrolments.get().code == "CAL-00001"
    assert second.enrolments.get().code == "CAL-00002"
    assert other.enrolments.get().code == "DUN-00001"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", date.today() + timedelta(days=1)),
        ("birth_date", date(1850, 1, 1)),
        ("nationality", "XX"),
        ("languages", ["zz"]),
        ("given_name", ""),
        ("given_name", "x" * 101),
        ("sex", "robot"),
        ("flags", ["wizard"]),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_written(world, field, value):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=world.reception, project=world.calais, data={"given_name": "Senait", field: value}
        )
    assert field in error.value.message_dict
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_registration_is_refused_in_a_suspended_project_and_outside_ones_projects(world):
    Membership.objects.create(user=world.coordinator, project=world.tripoli, role="coordinator")
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=world.coordinator, project=world.tripoli, data={"given_name": "A"}
        )
    assert "project" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.reception, project=world.dunkerque, data={"given_name": "A"}
        )


def test_outreach_cannot_record_contact_details(world):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=world.outreach,
            project=world.calais,
            data={"given_name": "Senait", "phone": "+33 6 00 00 00 00"},
        )
    assert "phone" in error.value.message_dict


def test_update_records_before_and_after_and_bumps_version(world, make_person):
    person = make_person(given_name="Mohamed")
    services.person_update(
        actor=world.doctor,
        person_id=person.pk,
        version=1,
        data={"given_name": "Mohammed", "flags": ["shipwreck"]},
    )
    person.refresh_from_db()
    assert person.version == 2
    event = AuditEvent.objects.get(event="person.update")
    assert event.actor == world.doctor
    assert event.changes["given_name"] == ["Mohamed", "Mohammed"]
    assert event.changes["flags"] == [[], ["shipwreck"]]


def test_stale_update_is_refused_with_what_changed_and_writes_nothing(world, make_person):
    person = make_person(given_name="Mohamed", family_name="Ali")
    services.person_update(
        actor=world.doctor, person_id=person.pk, version=1, data={"family_name": "Aly"}
    )
    with pytest.raises(services.StaleVersion) as stale:
        services.person_update(
            actor=world.reception, person_id=person.pk, version=1, data={"given_name": "Muhammad"}
        )
    assert stale.value.changes == {"family_name": ["Ali", "Aly"]}
    person.refresh_from_db()
    assert (person.given_name, person.version) == ("Mohamed", 2)


def test_merge_moves_names_and_projects_and_can_be_undone(world, make_person):
    keep = make_person(given_name="Mohamed", family_name="Ali", flags=["shipwreck"])
    duplicate = make_person(
        given_name="Muhammad", family_name="Aly", flags=["torture"], project=world.calais
    )
    record = merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert set(keep.flags.values_list("flag", flat=True)) == {"shipwreck", "torture"}
    assert "Muhammad ALY" in keep.aliases.values_list("name", flat=True)
    merging.person_unmerge(actor=world.coordinator, record=record)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.is_active
    assert set(keep.flags.values_list("flag", flat=True)) == {"shipwreck"}
    assert not keep.aliases.exists()
    events = list(
        AuditEvent.objects.filter(event__startswith="person.").values_list("event", flat=True)
    )
    assert {"person.merge", "person.merged_into", "person.unmerge", "person.unmerged"} <= set(
        events
    )


def test_only_a_coordinator_may_merge(world, make_person):
    keep, duplicate = make_person(), make_person()
    with pytest.raises(PermissionDenied):
        merging.person_merge(actor=world.doctor, keep=keep, duplicate=duplicate)


def test_exit_from_the_active_list_needs_a_reason_and_a_past_date(world, make_person):
    person = make_person()
    with pytest.raises(ValidationError):
        services.person_exit(
            actor=world.reception, person=person, exit_date=date.today(), reason=""
        )
    with pytest.raises(ValidationError):
        services.person_exit(
            actor=world.reception,
            person=person,
            exit_date=date.today() + timedelta(days=3),
            reason="crossed",
        )
    services.person_exit(
        actor=world.reception, person=person, exit_date=date.today(), reason="crossed"
    )
    person.refresh_from_db()
    assert not person.is_active and person.exit_reason == "crossed"


def test_audit_and_access_log_rows_cannot_be_changed_or_deleted(world, make_person):
    person = make_person()
    event = AuditEvent.objects.first()
    event.event = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(event="forged")
    log = AccessLog.objects.create(
        user=world.reception, person=person, what="identity", channel="web"
    )
    with pytest.raises(AppendOnlyError):
        log.delete()


def test_merge_carries_care_history_and_consents_and_undo_restores_them(world, make_person):
    from django.utils import timezone

    from parcours.access.models import Consent
    from parcours.access.services import consent_record
    from parcours.care.models import Encounter
    from parcours.care.services import encounter_record

    keep = make_person(given_name="Mohamed")
    duplicate = make_person(given_name="Muhammad")
    hour_ago = {"occurred_at": timezone.now() - timedelta(hours=1)}
    later = encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=keep,
        data=hour_ago,
    )
    earlier = encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=duplicate,
        data={"occurred_at": timezone.now() - timedelta(days=3)},
    )
    consent_record(
        actor=world.doctor,
        person=duplicate,
        kind="team_sharing",
        category="medical",
        status="given",
        method="oral",
    )
    record = merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate)
    assert set(Encounter.objects.filter(person=keep).values_list("pk", flat=True)) == {
        later.pk,
        earlier.pk,
    }
    assert Consent.objects.filter(person=keep).count() == 1
    later.refresh_from_db()
    assert not later.is_first_visit  # the duplicate's visit came first
    merging.person_unmerge(actor=world.coordinator, record=record)
    assert list(Encounter.objects.filter(person=duplicate).values_list("pk", flat=True)) == [
        earlier.pk
    ]
    assert Consent.objects.filter(person=duplicate).count() == 1
    later.refresh_from_db()
    assert later.is_first_visit


def test_merge_keeps_an_inactive_duplicate_inactive_after_undo(world, make_person):
    keep, duplicate = make_person(), make_person(given_name="Senait")
    services.person_exit(
        actor=world.reception, person=duplicate, exit_date=date.today(), reason="crossed"
    )
    duplicate.refresh_from_db()
    record = merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate)
    merging.person_unmerge(actor=world.coordinator, record=record)
    duplicate.refresh_from_db()
    assert not duplicate.is_active
