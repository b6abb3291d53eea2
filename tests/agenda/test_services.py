"""Booking, changing and marking appointments: the rules and their messages."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parcours.accounts.models import Membership
from parcours.agenda import services
from parcours.agenda.models import Appointment, Status
from parcours.audit.models import AuditEvent
from parcours.care import services as care_services
from tests.agenda.conftest import local
from tests.personas import make_user


def test_doctor_books_an_appointment_audited_without_the_reason(world, person, book):
    appointment = book(timezone.now() + timedelta(days=1))
    assert appointment.status == Status.PLANNED
    assert appointment.project == world.calais
    event = AuditEvent.objects.get(event="appointment.create")
    assert event.extra["person"] == person.pk
    assert "Wound" not in str(event.extra)


def test_a_planned_appointment_in_the_past_is_refused_with_a_clear_message(world, person):
    with pytest.raises(ValidationError) as error:
        services.appointment_create(
            actor=world.doctor,
            person=person,
            discipline="medical",
            site=world.calais_day_centre,
            data={"starts_at": timezone.now() - timedelta(days=2)},
        )
    message = error.value.message_dict["starts_at"][0]
    assert "in the past" in message and "missed or cancelled" in message


def test_two_appointments_of_one_clinician_at_once_warn_but_are_booked(world, make_person, book):
    at = timezone.now() + timedelta(days=1)
    first = book(at)
    assert first.warnings == []
    second = book(at + timedelta(minutes=15), person=make_person(given_name="Selam"))
    assert Appointment.objects.count() == 2
    assert len(second.warnings) == 1
    assert "already has an appointment" in second.warnings[0]
    # The warning names no person.
    assert "Amanuel" not in second.warnings[0] and "Selam" not in second.warnings[0]
    # Back to back is no conflict.
    third = book(at + timedelta(minutes=45), person=make_person(given_name="Tsega"))
    assert third.warnings == []


@pytest.mark.parametrize("persona", ["reception", "psychologist", "coordinator", "outreach"])
def test_only_the_discipline_books_its_appointments(world, person, persona):
    with pytest.raises(PermissionDenied):
        services.appointment_create(
            actor=world.users[persona],
            person=person,
            discipline="medical",
            site=world.calais_day_centre,
            data={"starts_at": timezone.now() + timedelta(days=1)},
        )


def test_sexual_violence_and_activities_are_not_booked(world, person):
    for discipline in ("sv_incident", "outreach", "shelter"):
        with pytest.raises(ValidationError) as error:
            services.appointment_create(
                actor=world.referent,
                person=person,
                discipline=discipline,
                site=world.calais_day_centre,
                data={"starts_at": timezone.now() + timedelta(days=1)},
            )
        assert "discipline" in error.value.message_dict


def test_the_clinician_must_hold_the_discipline_in_the_project(world, person):
    with pytest.raises(ValidationError) as error:
        services.appointment_create(
            actor=world.doctor,
            person=person,
            discipline="medical",
            site=world.calais_day_centre,
            clinician=world.psychologist,
            data={"starts_at": timezone.now() + timedelta(days=1)},
        )
    assert "clinician" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.appointment_create(
            actor=world.doctor,
            person=person,
            discipline="medical",
            site=world.calais_day_centre,
            clinician=world.dunkerque_doctor,
            data={"starts_at": timezone.now() + timedelta(days=1)},
        )


def test_a_person_of_another_project_is_not_booked(world, make_person):
    outsider = make_person(project=world.dunkerque, actor=world.referent)
    with pytest.raises(PermissionDenied):
        services.appointment_create(
            actor=world.doctor,
            person=outsider,
            discipline="medical",
            site=world.calais_day_centre,
            data={"starts_at": timezone.now() + timedelta(days=1)},
        )


def test_reception_marks_the_arrival_the_same_day(world, early_today):
    arrived = services.appointment_mark_arrived(actor=world.reception, appointment=early_today)
    assert arrived.status == Status.ARRIVED and arrived.arrived_at is not None
    assert arrived.version == 2
    assert AuditEvent.objects.filter(event="appointment.arrived").count() == 1


def test_an_arrival_is_not_marked_another_day(world, book):
    tomorrow = book(timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.appointment_mark_arrived(actor=world.reception, appointment=tomorrow)
    assert "on the day of the appointment" in error.value.message_dict["status"][0]


def test_missed_only_once_its_time_has_come(world, book, early_today):
    later = book(timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.appointment_mark_missed(actor=world.reception, appointment=later)
    assert "before its time" in error.value.message_dict["status"][0]
    missed = services.appointment_mark_missed(actor=world.reception, appointment=early_today)
    assert missed.status == Status.MISSED


def test_back_to_planned_in_the_past_is_refused_with_the_message(world, early_today, today):
    missed = services.appointment_mark_missed(actor=world.reception, appointment=early_today)
    with pytest.raises(ValidationError) as error:
        services.appointment_update(
            actor=world.reception,
            appointment_id=missed.pk,
            version=missed.version,
            data={"status": "planned"},
            now=local(today, 1),
        )
    assert "cannot be “planned”" in error.value.message_dict["status"][0]


def test_people_without_identity_edit_may_not_mark(world, early_today):
    for persona in ("meal", "admin", "dunkerque_doctor"):
        with pytest.raises(PermissionDenied):
            services.appointment_mark_arrived(actor=world.users[persona], appointment=early_today)


def test_reception_may_not_change_the_time_or_the_reason(world, book):
    appointment = book(timezone.now() + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.appointment_update(
            actor=world.reception,
            appointment_id=appointment.pk,
            version=appointment.version,
            data={"reason": "Something else"},
        )


def test_a_stale_version_is_refused(world, book):
    appointment = book(timezone.now() + timedelta(days=1))
    services.appointment_update(
        actor=world.doctor,
        appointment_id=appointment.pk,
        version=1,
        data={"duration_minutes": 45},
    )
    with pytest.raises(services.StaleAppointment) as stale:
        services.appointment_update(
            actor=world.doctor, appointment_id=appointment.pk, version=1, data={"reason": "x"}
        )
    assert stale.value.appointment.version == 2


def test_moving_an_appointment_into_the_past_is_refused(world, book):
    appointment = book(timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.appointment_update(
            actor=world.doctor,
            appointment_id=appointment.pk,
            version=1,
            data={"starts_at": timezone.now() - timedelta(days=1)},
        )
    assert "in the past" in error.value.message_dict["starts_at"][0]


# --- with care -------------------------------------------------------------------


def test_the_encounter_recorded_from_the_appointment_closes_it(world, person, early_today):
    encounter = care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now()},
        appointment=str(early_today.pk),
    )
    early_today.refresh_from_db()
    assert early_today.status == Status.SEEN
    assert early_today.encounter == encounter
    with pytest.raises(ValidationError):
        services.appointment_mark_missed(actor=world.reception, appointment=early_today)


def test_an_encounter_of_another_discipline_leaves_the_appointment_open(world, person, early_today):
    care_services.encounter_record(
        actor=world.psychologist,
        discipline="mental_health",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now()},
        appointment=str(early_today.pk),
    )
    early_today.refresh_from_db()
    assert early_today.status == Status.PLANNED


def test_junk_appointment_ids_are_ignored(world, person):
    for junk in ("abc", "99999999999999999999999", "-3", "0"):
        care_services.encounter_record(
            actor=world.doctor,
            discipline="medical",
            site=world.calais_day_centre,
            person=person,
            data={"occurred_at": timezone.now()},
            appointment=junk,
        )


def test_a_follow_up_date_books_an_appointment_that_the_next_encounter_closes(world, person):
    first = care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": timezone.now() - timedelta(hours=1),
            "follow_up_on": timezone.localdate() + timedelta(days=7),
        },
    )
    booked = Appointment.objects.get(follow_up_of=first)
    assert booked.status == Status.PLANNED
    assert booked.clinician == world.doctor
    assert booked.site == world.calais_day_centre
    assert timezone.localtime(booked.starts_at).date() == first.follow_up_on
    care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now()},
        appointment=booked.pk,
    )
    booked.refresh_from_db()
    first.refresh_from_db()
    assert booked.status == Status.SEEN
    assert first.follow_up_done


def test_a_follow_up_of_an_activity_books_nothing(world, person):
    encounter = care_services.encounter_record(
        actor=world.social_worker,
        discipline="day_centre",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": timezone.now() - timedelta(hours=1),
            "follow_up_on": timezone.localdate() + timedelta(days=7),
        },
    )
    assert encounter.follow_up_on is not None
    assert not Appointment.objects.exists()


def test_appointments_follow_a_merge_and_its_undo(world, make_person, book):
    from parcours.people import merging

    keep = make_person(given_name="Mohamed")
    duplicate = make_person(given_name="Muhammad")
    appointment = book(timezone.now() + timedelta(days=1), person=duplicate)
    record = merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate)
    appointment.refresh_from_db()
    assert appointment.person == keep
    merging.person_unmerge(actor=world.coordinator, record=record)
    appointment.refresh_from_db()
    assert appointment.person == duplicate


def test_a_clinician_of_another_project_holds_no_appointment_here(world, person):
    elsewhere = make_user("lille_doctor")
    Membership.objects.create(user=elsewhere, project=world.dunkerque, role="medical")
    with pytest.raises(ValidationError):
        services.appointment_create(
            actor=world.doctor,
            person=person,
            discipline="medical",
            site=world.calais_day_centre,
            clinician=elsewhere,
            data={"starts_at": timezone.now() + timedelta(days=1)},
        )


def _follow_up_encounter(world, person, days: int):
    return care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": timezone.now() - timedelta(hours=1),
            "follow_up_on": timezone.localdate() + timedelta(days=days),
        },
    )


def test_a_changed_follow_up_date_moves_the_appointment(world, person):
    encounter = _follow_up_encounter(world, person, 7)
    booked = Appointment.objects.get(follow_up_of=encounter)
    new_date = timezone.localdate() + timedelta(days=10)
    care_services.encounter_update(
        actor=world.doctor,
        encounter_id=encounter.pk,
        version=encounter.version,
        data={"follow_up_on": new_date},
    )
    booked.refresh_from_db()
    assert timezone.localtime(booked.starts_at).date() == new_date
    assert booked.status == Status.PLANNED
    assert Appointment.objects.count() == 1


def test_a_removed_follow_up_date_cancels_the_appointment(world, person):
    encounter = _follow_up_encounter(world, person, 7)
    care_services.encounter_update(
        actor=world.doctor,
        encounter_id=encounter.pk,
        version=encounter.version,
        data={"follow_up_on": None},
    )
    assert Appointment.objects.get(follow_up_of=encounter).status == Status.CANCELLED


def test_a_follow_up_date_added_later_books_it(world, person):
    encounter = care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now() - timedelta(hours=1)},
    )
    assert not Appointment.objects.exists()
    care_services.encounter_update(
        actor=world.doctor,
        encounter_id=encounter.pk,
        version=encounter.version,
        data={"follow_up_on": timezone.localdate() + timedelta(days=3)},
    )
    assert Appointment.objects.get(follow_up_of=encounter).status == Status.PLANNED
