"""The person record as one user may see it: built before anything is rendered.

access.records decides, per encounter, whether the user sees it in full, its
team note only, or nothing. What is hidden is counted for care disciplines
of the person's team (a clinician should know something exists), except
sexual-violence incidents, which are counted without naming their category
(the count alone would disclose the violence); reception, outreach, MEAL,
advocacy and coordinators are told nothing of what they do not see.
What is hidden never leaves this module.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from parcours.access.models import ConsentKind
from parcours.access.records import (
    FULL,
    HIDDEN,
    TEAM_NOTE,
    may_edit_encounter,
    record_scope,
    unnamed_when_hidden,
)
from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.care import models as m
from parcours.care.choices import DISCIPLINE_CATEGORY
from parcours.care.display import details_for_display
from parcours.care.extensions import decorate_record
from parcours.lib.languages import language_name

__all__ = ["FULL", "HIDDEN", "TEAM_NOTE", "Entry", "Record", "Section", "person_record"]

CATEGORY_ORDER = [
    Category.MEDICAL,
    Category.MENTAL_HEALTH,
    Category.SOCIAL,
    Category.LEGAL_PROTECTION,
    Category.SV_INCIDENT,
    Category.ACTIVITY,
]


@dataclass
class Entry:
    id: int
    discipline: str
    discipline_label: str
    category: str
    occurred_at: object
    site: str
    author: str
    author_id: int
    is_first_visit: bool
    level: str
    team_note: str
    follow_up_on: date | None = None
    follow_up_done: bool = False
    interpreter: str = ""
    confidential_note: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)
    may_edit: bool = False


@dataclass
class Section:
    category: str
    label: str
    entries: list[Entry] = field(default_factory=list)
    hidden_count: int = 0


@dataclass
class Record:
    sections: list[Section]
    restricted_count: int
    consents: list[dict]
    break_glass: object | None
    follow_ups: list[Entry]
    # Clinicians of the person's team are told the consents in force and what
    # stays hidden; nobody else is (not even that nothing is shared).
    shows_consents: bool = False

    def visible_entries(self) -> list[Entry]:
        return [e for s in self.sections for e in s.entries]


def _entry(encounter: m.Encounter, level: str, user) -> Entry:
    entry = Entry(
        id=encounter.pk,
        discipline=encounter.discipline,
        discipline_label=encounter.get_discipline_display(),
        category=DISCIPLINE_CATEGORY[encounter.discipline].value,
        occurred_at=encounter.occurred_at,
        site=encounter.site.name,
        author=str(encounter.author),
        author_id=encounter.author_id,
        is_first_visit=encounter.is_first_visit,
        level=level,
        team_note=encounter.team_note,
    )
    if level == FULL:
        entry.follow_up_on = encounter.follow_up_on
        entry.interpreter = " ".join(
            p
            for p in (
                encounter.get_interpreter_mode_display() if encounter.interpreter_mode else "",
                language_name(encounter.interpreter_language) or encounter.interpreter_language,
            )
            if p
        )
        entry.confidential_note = encounter.confidential_note
        entry.details = details_for_display(encounter)
        entry.may_edit = may_edit_encounter(user, encounter)
    return entry


def person_record(user, person, *, limit: int = 200, scope=None) -> Record:
    """``scope``: the request's access.records.RecordScope, when the page has one."""
    visibility = scope or record_scope(user, person)
    encounters = list(
        m.Encounter.objects.filter(person=person)
        .select_related("site", "author")
        .order_by("-occurred_at", "-id")[:limit]
    )
    levels = {
        e.pk: visibility.level(DISCIPLINE_CATEGORY[e.discipline], e.project_id) for e in encounters
    }
    full_ids = [pk for pk, level in levels.items() if level == FULL]
    # Details only for what will be shown in full: hidden rows are never loaded.
    details = {
        e.pk: e
        for e in m.Encounter.objects.filter(pk__in=full_ids)
        .select_related(
            "site",
            "author",
            "medical",
            "mental_health",
            "social",
            "legal",
            "sv_incident",
            "activity_details",
        )
        .prefetch_related("diagnoses", "tallies")
    }
    sections = {c: Section(category=c.value, label=str(CATEGORY_LABELS[c])) for c in CATEGORY_ORDER}
    for encounter in encounters:
        if levels[encounter.pk] != HIDDEN:
            category = DISCIPLINE_CATEGORY[encounter.discipline]
            source = details.get(encounter.pk, encounter)
            sections[category].entries.append(_entry(source, levels[encounter.pk], user))
    # Hidden entries are counted over the whole record, not only the latest
    # page, and only for the care disciplines of the person's team.
    restricted = 0
    groups = (
        ()
        if not visibility.is_clinician
        else (
            m.Encounter.objects.filter(person=person)
            .values_list("discipline", "project_id")
            .annotate(n=Count("id"))
        )
    )
    for discipline, project_id, count in groups:
        category = DISCIPLINE_CATEGORY[discipline]
        if visibility.level(category, project_id) != HIDDEN:
            continue
        if unnamed_when_hidden(category):
            restricted += count
        else:
            sections[category].hidden_count += count
    follow_ups = [
        e
        for s in sections.values()
        for e in s.entries
        if e.level == FULL and e.follow_up_on and e.author_id == user.pk and not e.follow_up_done
    ]
    follow_ups.sort(key=lambda e: e.follow_up_on)
    consents = [
        {
            "kind": kind,
            "kind_label": ConsentKind(kind).label,
            "category": category,
            "category_label": str(CATEGORY_LABELS[Category(category)]) if category else "",
            "status": consent.status,
            "status_label": consent.get_status_display(),
            "decided_at": consent.decided_at,
            "method": consent.get_method_display(),
            "language": language_name(consent.language) or consent.language,
            "recorded_by": str(consent.recorded_by),
        }
        for consent in visibility.consents_shown()
        for kind, category in [(consent.kind, consent.category)]
    ]
    record = Record(
        sections=[s for s in sections.values() if s.entries or s.hidden_count],
        restricted_count=restricted,
        consents=consents,
        break_glass=visibility.break_glass,
        follow_ups=follow_ups,
        shows_consents=visibility.is_clinician,
    )
    # What the modules above care keep with the entries (a project's custom
    # fields), each narrowed by them to what the reader sees.
    decorate_record(record, visibility)
    return record
