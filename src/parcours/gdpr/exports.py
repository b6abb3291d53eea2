"""Pseudonymised exports for analysis (MEAL): a stable pseudonym per person
(keyed hash, key outside the database), age group instead of the date of
birth, month instead of dates, no name, no free text, coded fields only."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

from parcours.care.choices import Discipline
from parcours.care.models import Encounter, SVIncident
from parcours.gdpr.pseudonyms import pseudonym
from parcours.lib.spreadsheets import safe_row
from parcours.people.ages import age_group
from parcours.people.models import Person

PERSON_COLUMNS = [
    "pseudonym",
    "sex",
    "age_group",
    "nationality",
    "registered_month",
    "active",
    "exit_month",
    "exit_reason",
]
ENCOUNTER_COLUMNS = ["pseudonym", "discipline", "month", "first_visit", "site_id", "interpreter"]


def _month(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return f"{value.year:04d}-{value.month:02d}"


def person_rows(project_ids, today=None):
    today = today or timezone.localdate()
    persons = Person.objects.current().in_projects(project_ids).order_by("pk")
    for p in persons.iterator(chunk_size=2000):
        yield [
            pseudonym(p.pk),
            p.sex,
            age_group(p.birth_date, today) or "unknown",
            str(p.nationality or ""),
            _month(p.created_at),
            "yes" if p.is_active else "no",
            _month(p.exit_date),
            p.exit_reason,
        ]


def encounter_rows(project_ids):
    # Sexual-violence incidents only when the survivor consented to anonymous reporting.
    unconsented = SVIncident.objects.filter(consent_anonymous_reporting=False).values(
        "encounter_id"
    )
    encounters = (
        Encounter.objects.filter(project_id__in=project_ids, person__isnull=False)
        .exclude(discipline=Discipline.SV_INCIDENT, pk__in=unconsented)
        .order_by("pk")
        .values_list(
            "person_id",
            "discipline",
            "occurred_at",
            "is_first_visit",
            "site_id",
            "interpreter_mode",
        )
    )
    for person_id, discipline, occurred_at, first, site_id, interpreter in encounters.iterator(
        chunk_size=5000
    ):
        yield [
            pseudonym(person_id),
            discipline,
            _month(occurred_at),
            "yes" if first else "no",
            site_id,
            interpreter,
        ]


def as_xlsx(project_ids) -> Workbook:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("persons")
    sheet.append(PERSON_COLUMNS)
    for row in person_rows(project_ids):
        sheet.append(safe_row(row))
    sheet = book.create_sheet("encounters")
    sheet.append(ENCOUNTER_COLUMNS)
    for row in encounter_rows(project_ids):
        sheet.append(safe_row(row))
    return book


def as_csv(project_ids, what: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    if what == "encounters":
        writer.writerow(ENCOUNTER_COLUMNS)
        writer.writerows(safe_row(r) for r in encounter_rows(project_ids))
    else:
        writer.writerow(PERSON_COLUMNS)
        writer.writerows(safe_row(r) for r in person_rows(project_ids))
    return buffer.getvalue()
