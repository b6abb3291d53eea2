"""A clinician's own agenda as iCalendar (RFC 5545), for a phone or a desktop
calendar. It carries no health data: the person's initials and the
discipline, the site, the time; never the reason, never the full name."""

from datetime import UTC, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from parcours.agenda.models import Appointment, Status

ICS_STATUS = {
    Status.PLANNED: "CONFIRMED",
    Status.ARRIVED: "CONFIRMED",
    Status.SEEN: "CONFIRMED",
    Status.MISSED: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
}


def initials(person) -> str:
    """ "A. T." from the given and family names (never more)."""
    parts = [person.given_name, person.family_name]
    letters = [p.strip()[0].upper() for p in parts if p and p.strip()]
    return " ".join(f"{letter}." for letter in letters) or "?"


def agenda_ics(appointments, *, host: str, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Parcours//Agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for a in appointments:
        event = Event()
        event.add("uid", f"appointment-{a.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.starts_at.astimezone(UTC))
        event.add("dtend", (a.starts_at + timedelta(minutes=a.duration_minutes)).astimezone(UTC))
        event.add("summary", f"{initials(a.person)} · {a.get_discipline_display()}")
        event.add("location", a.site.name)
        event.add("status", ICS_STATUS[Status(a.status)])
        event.add("sequence", a.version)
        calendar.add_component(event)
    return calendar.to_ical()


def own_appointments(user, projects, *, since):
    return (
        Appointment.objects.filter(clinician=user, project_id__in=projects, starts_at__gte=since)
        .select_related("person", "site")
        .order_by("starts_at", "id")
    )
