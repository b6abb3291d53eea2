"""The figures of a project's day, counted from the records for one reader.

Each block is counted only for the categories the reader may count in the
project (``access.module_scopes.countable_categories``: aggregate rights, or full
view of anyone the project follows). Every figure is a number: no name, no
code, no row about one person ever leaves this module.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.module_scopes import countable_categories
from parcours.access.terms import Category
from parcours.agenda.models import APPOINTMENT_DISCIPLINES, Appointment, Status
from parcours.care.choices import DISCIPLINE_CATEGORY, TALLY_DISCIPLINES, TALLY_SEXES, Discipline
from parcours.care.models import Encounter, Tally
from parcours.people.ages import AGE_GROUPS
from parcours.people.models import Enrolment

TALLY_AGE_GROUPS = [(code, label) for code, label, _lo, _hi in AGE_GROUPS] + [
    ("unknown", _("Age unknown"))
]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass
class DayFigures:
    categories: set[Category]
    # Persons seen, per discipline: (discipline label, distinct persons, encounters).
    seen: list[dict] = field(default_factory=list)
    seen_total: int | None = None
    # Registered in the project that day (None: not the reader's to count).
    new_persons: int | None = None
    first_registrations: int | None = None
    # Anonymous tallies per discipline: rows of age groups × sexes.
    tallies: list[dict] = field(default_factory=list)
    # Shelter: persons who slept there that night, admissions, discharges.
    shelter: dict | None = None
    appointments: list[dict] = field(default_factory=list)
    appointments_shown: bool = False
    follow_ups: list[dict] = field(default_factory=list)

    @property
    def activity(self) -> bool:
        return Category.ACTIVITY in self.categories


def day_figures(user, project, day: date, *, site=None) -> DayFigures:
    categories = countable_categories(user, project)
    figures = DayFigures(categories=categories)
    disciplines = [d for d in Discipline if DISCIPLINE_CATEGORY[d] in categories]
    start, end = day_bounds(day)
    encounters = Encounter.objects.filter(
        project=project, occurred_at__gte=start, occurred_at__lt=end
    )
    if site is not None:
        encounters = encounters.filter(site=site)
    if disciplines:
        _seen(figures, encounters.filter(discipline__in=disciplines), disciplines)
        _follow_ups(figures, project, site, day, disciplines)
    if Category.IDENTITY in categories:
        _new_persons(figures, project, start, end)
        _appointments(figures, project, site, start, end)
    if figures.activity:
        _tallies(figures, encounters)
        _shelter(figures, project, site, day)
    return figures


def _seen(figures: DayFigures, encounters, disciplines) -> None:
    about_persons = encounters.filter(person__isnull=False)
    rows = {
        row["discipline"]: row
        for row in about_persons.values("discipline").annotate(
            persons=Count("person", distinct=True), encounters=Count("id")
        )
    }
    figures.seen = [
        {
            "discipline": d.value,
            "label": d.label,
            "persons": rows.get(d.value, {}).get("persons", 0),
            "encounters": rows.get(d.value, {}).get("encounters", 0),
        }
        for d in disciplines
    ]
    figures.seen_total = about_persons.aggregate(n=Count("person", distinct=True))["n"]


def _new_persons(figures: DayFigures, project, start, end) -> None:
    # Enrolments carry no site: the figure is the project's, whatever the site.
    enrolled = Enrolment.objects.filter(
        project=project,
        enrolled_at__gte=start,
        enrolled_at__lt=end,
        person__merged_into__isnull=True,
    )
    counts = enrolled.aggregate(
        n=Count("id"),
        first=Count("id", filter=Q(person__created_at__gte=start, person__created_at__lt=end)),
    )
    figures.new_persons = counts["n"]
    figures.first_registrations = counts["first"]


def _tallies(figures: DayFigures, encounters) -> None:
    sums = {
        (row["encounter__discipline"], row["sex"], row["age_group"]): row["n"]
        for row in Tally.objects.filter(
            encounter__in=encounters.filter(discipline__in=TALLY_DISCIPLINES)
        )
        .values("encounter__discipline", "sex", "age_group")
        .annotate(n=Sum("count"))
    }
    sexes = [code for code, _label in TALLY_SEXES]
    for discipline in sorted(TALLY_DISCIPLINES):
        rows = []
        for group, label in TALLY_AGE_GROUPS:
            cells = [sums.get((discipline.value, sex, group), 0) for sex in sexes]
            rows.append({"label": label, "cells": cells, "total": sum(cells)})
        totals = [sum(row["cells"][i] for row in rows) for i in range(len(sexes))]
        figures.tallies.append(
            {
                "discipline": discipline.value,
                "label": discipline.label,
                "sexes": [label for _code, label in TALLY_SEXES],
                "rows": rows,
                "totals": totals,
                "total": sum(totals),
            }
        )


def _shelter(figures: DayFigures, project, site, day: date) -> None:
    stays = Encounter.objects.filter(
        project=project, discipline=Discipline.SHELTER, person__isnull=False
    )
    if site is not None:
        stays = stays.filter(site=site)
    details = "activity_details__"
    # The night from ``day`` to the next: admitted that day or before, not yet
    # discharged (a stay without a discharge date is still running).
    night = Q(**{f"{details}admitted_on__lte": day}) & (
        Q(**{f"{details}discharged_on__gt": day}) | Q(**{f"{details}discharged_on__isnull": True})
    )
    figures.shelter = stays.aggregate(
        nights=Count("person", distinct=True, filter=night),
        admissions=Count("id", filter=Q(**{f"{details}admitted_on": day})),
        discharges=Count("id", filter=Q(**{f"{details}discharged_on": day})),
    )


APPOINTMENT_COLUMNS = (
    ("booked", _("Booked")),
    ("kept", _("Kept")),
    ("missed", _("Missed")),
    ("cancelled", _("Cancelled")),
    ("open", _("Still planned or waiting")),
)


def _appointments(figures: DayFigures, project, site, start, end) -> None:
    """Appointment slots (who sees identities in the project sees them in an
    agenda, discipline included): counted per discipline."""
    booked = Appointment.objects.filter(project=project, starts_at__gte=start, starts_at__lt=end)
    if site is not None:
        booked = booked.filter(site=site)
    counts: dict[tuple[str, str], int] = {
        (row["discipline"], row["status"]): row["n"]
        for row in booked.values("discipline", "status").annotate(n=Count("id"))
    }
    figures.appointments_shown = True
    for discipline in APPOINTMENT_DISCIPLINES:

        def n(*statuses, d=discipline.value):
            return sum(counts.get((d, s), 0) for s in statuses)

        row = {
            "label": discipline.label,
            "booked": n(Status.PLANNED, Status.ARRIVED, Status.SEEN, Status.MISSED),
            "kept": n(Status.SEEN),
            "missed": n(Status.MISSED),
            "cancelled": n(Status.CANCELLED),
            "open": n(Status.PLANNED, Status.ARRIVED),
        }
        if any(row[key] for key, _label in APPOINTMENT_COLUMNS):
            figures.appointments.append(row)


def _follow_ups(figures: DayFigures, project, site, day: date, disciplines) -> None:
    due = Encounter.objects.filter(
        project=project, follow_up_on=day, discipline__in=disciplines, person__isnull=False
    )
    if site is not None:
        due = due.filter(site=site)
    rows = {
        row["discipline"]: row
        for row in due.values("discipline").annotate(
            due=Count("id"), done=Count("id", filter=Q(follow_up_done=True))
        )
    }
    figures.follow_ups = [
        {"label": d.label, "due": rows[d.value]["due"], "done": rows[d.value]["done"]}
        for d in disciplines
        if d.value in rows
    ]
