"""A Calais day (yesterday, local time) with encounters of every kind, a
Dunkerque encounter the same day, appointments and a follow-up due."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from parcours.agenda.models import Appointment, Status
from parcours.care import services as care_services

NAMES = ("Amanuel", "Tesfay", "Senait", "Woldu")


def local(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def record(world):
    def _record(actor, discipline, when, person=None, site=None, details=None, **data):
        return care_services.encounter_record(
            actor=actor,
            discipline=discipline,
            site=site or world.calais_day_centre,
            person=person,
            data={"occurred_at": when, **data},
            details=details or {},
        )

    return _record


@pytest.fixture
def the_day(world, make_person, record, day):
    amanuel = make_person(given_name="Amanuel", family_name="Tesfay")
    senait = make_person(given_name="Senait", family_name="Woldu")
    # Medical: two persons, three consultations; the day before, one with a
    # follow-up due on the day.
    record(world.doctor, "medical", local(day, 10), amanuel)
    record(world.doctor, "medical", local(day, 11), senait)
    record(world.doctor, "medical", local(day, 15), amanuel)
    record(
        world.doctor,
        "medical",
        local(day - timedelta(days=1), 10),
        senait,
        follow_up_on=day,
    )
    record(world.psychologist, "mental_health", local(day, 12), amanuel)
    # Activities: a registered person at the day centre, anonymous tallies,
    # a shelter admission.
    record(world.reception, "day_centre", local(day, 9), amanuel)
    record(
        world.reception,
        "day_centre",
        local(day, 14),
        details={"tallies": [{"sex": "female", "age_group": "18-24", "count": 3}]},
    )
    record(
        world.outreach,
        "outreach",
        local(day, 20),
        details={"tallies": [{"sex": "male", "age_group": "25-59", "count": 5}]},
    )
    record(
        world.social_worker,
        "shelter",
        local(day, 18),
        senait,
        details={"admitted_on": day},
    )
    # Elsewhere, the same day: never in a Calais figure.
    elsewhere = make_person(
        project=world.dunkerque, actor=world.referent, given_name="Yonas", family_name="Tekle"
    )
    record(world.dunkerque_doctor, "medical", local(day, 10), elsewhere, site=world.dunkerque_camp)
    # Appointments of the day: one kept, one missed, one cancelled.
    for hour, status in ((9, Status.SEEN), (10, Status.MISSED), (11, Status.CANCELLED)):
        Appointment.objects.create(
            person=amanuel,
            discipline="medical",
            project=world.calais,
            site=world.calais_day_centre,
            clinician=world.doctor,
            starts_at=local(day, hour),
            reason="Wound dressing",
            status=status,
            booked_by=world.doctor,
        )
    return {"amanuel": amanuel, "senait": senait}
