"""Benchmark volumes of care records: encounters written with bulk_create, fast.

The plans are the demo's (parcours.demo.stories: the same disciplines,
structured fields, notes, interpreters, consents and care teams); the rows
are the ones ``encounter_record``, ``consent_record`` and ``care_assign``
would write, minus the audit trail (nobody recorded these encounters).
Confidential notes and incident narratives are encrypted like any value of
an EncryptedTextField: bulk_create prepares them with the field, under the
current key, the field's context and the row key drawn for each row.

Persons without an encounter get theirs first, in id order, a batch at a
time; once every person has some, new encounters go to persons drawn at
random and the first-visit flags of those persons are recomputed.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from random import Random

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from parcours.access.models import CareAssignment, Consent
from parcours.care import models as m
from parcours.care.icd10 import icd10_label
from parcours.care.services import DETAILS_MODEL, EXTRA_FIELDS
from parcours.care.validation import with_shelter_nights
from parcours.demo.accounts import ensure_demo_accounts, ensure_seed_staff
from parcours.demo.care_seed import encounters_for
from parcours.demo.organisation import ensure_organisation
from parcours.demo.seed import DEFAULT_SEED
from parcours.demo.stories import SHELTER, CarePlanner, Story, Subject, Visit
from parcours.org.models import ActivityType, Site
from parcours.people.models import Enrolment, GroupMember, Person, PersonFlag

# Persons planned per transaction (about ten encounters each at benchmark volumes).
PERSONS_PER_BATCH = 1000
# Share of the encounters that are anonymous tallies (outreach rounds, day centre).
ANONYMOUS_SHARE = 0.01


@dataclass
class CareGenerateReport:
    before: int
    after: int
    consents: int
    seconds: float


@cache
def _label(code: str) -> str:
    return icd10_label(code) or ""


class BulkWriter:
    """Turns planned visits, consents and care teams into rows, in bulk."""

    def __init__(self):
        projects = ensure_organisation()
        ensure_demo_accounts(projects)
        self.users = {name: user.pk for name, user in ensure_seed_staff(projects).items()}
        self.projects = {code: project.pk for code, project in projects.items()}
        self.sites = {
            (site.project.code, site.name): site.pk
            for site in Site.objects.select_related("project")
        }
        self.activities = dict(ActivityType.objects.values_list("code", "pk"))

    def _encounter(self, visit: Visit, first: bool) -> m.Encounter:
        subject = visit.subject
        return m.Encounter(
            discipline=visit.discipline,
            person_id=subject.key if subject else None,
            project_id=self.projects[visit.project],
            site_id=self.sites[(visit.project, visit.site)],
            activity_id=self.activities.get(visit.activity),
            occurred_at=visit.occurred_at,
            author_id=self.users[visit.author],
            interpreter_mode=visit.interpreter_mode,
            interpreter_language=visit.interpreter_language,
            is_first_visit=first,
            team_note=visit.team_note,
            confidential_note=visit.confidential_note,
            follow_up_on=visit.follow_up_on,
            follow_up_done=visit.follow_up_done,
        )

    @transaction.atomic
    def write(self, story: Story, *, known_persons: bool = False) -> None:
        """Write the story; ``known_persons``: its persons may have earlier encounters."""
        visits = story.visits
        seen: set[tuple] = set()
        encounters = []
        for visit in visits:  # in time order within each person
            key = (visit.subject.key if visit.subject else None, visit.discipline)
            first = visit.subject is not None and not known_persons and key not in seen
            seen.add(key)
            encounters.append(self._encounter(visit, first))
        encounters = m.Encounter.objects.bulk_create(encounters)
        details: dict[type, list] = {}
        diagnoses, tallies, linked = [], [], []
        for visit, encounter in zip(visits, encounters, strict=True):
            discipline = visit.discipline
            extra = EXTRA_FIELDS.get(discipline, ())
            plain = {k: v for k, v in visit.details.items() if k not in extra}
            if discipline == SHELTER:
                plain = with_shelter_nights(plain)
            model = DETAILS_MODEL[discipline]
            details.setdefault(model, []).append(model(encounter=encounter, **plain))
            for code in visit.details.get("diagnoses", ()):
                diagnoses.append(m.Diagnosis(encounter=encounter, icd10=code, label=_label(code)))
            for row in visit.details.get("tallies", ()):
                tallies.append(m.Tally(encounter=encounter, **row))
            for person_id in visit.linked:
                linked.append(m.LinkedPerson(encounter=encounter, person_id=person_id))
        for model, rows in details.items():
            model.objects.bulk_create(rows)
        m.Diagnosis.objects.bulk_create(diagnoses)
        m.Tally.objects.bulk_create(tallies)
        m.LinkedPerson.objects.bulk_create(linked)
        Consent.objects.bulk_create(
            [
                Consent(
                    person_id=c.subject.key,
                    project_id=self.projects[c.subject.project],
                    kind=c.kind,
                    category=c.category,
                    scope=c.scope,
                    status=c.status,
                    method=c.method,
                    language=c.language,
                    note=c.note,
                    decided_at=c.decided_at,
                    recorded_by_id=self.users[c.recorder],
                )
                for c in story.consents
            ]
        )
        CareAssignment.objects.bulk_create(
            [
                CareAssignment(
                    person_id=a.subject.key,
                    user_id=self.users[a.username],
                    project_id=self.projects[a.project],
                    # The author of an incident put themself in the team by recording it.
                    assigned_by_id=self.users[a.username if a.automatic else a.assigner],
                )
                for a in story.assignments
            ]
        )
        if known_persons:
            recompute_first_visits(sorted({v.subject.key for v in visits if v.subject}))


def recompute_first_visits(person_ids: list[int]) -> None:
    """First visit = the earliest encounter of the person in the discipline, as
    services.derive_first_visits keeps it."""
    table = m.Encounter._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(person_ids), 500):
            chunk = person_ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET is_first_visit = (id = ("  # noqa: S608 - no user input
                f" SELECT e.id FROM {table} e WHERE e.person_id = {table}.person_id"
                f" AND e.discipline = {table}.discipline ORDER BY e.occurred_at, e.id LIMIT 1))"
                f" WHERE person_id IN ({marks})",
                chunk,
            )


def subjects(person_ids: list[int]) -> list[Subject]:
    """The persons as the planner needs them, read in a few queries."""
    rows = Person.objects.filter(pk__in=person_ids).values_list(
        "pk",
        "sex",
        "birth_date",
        "languages",
        "interpreter_needed",
        "exit_date",
        "minority_appeal",
    )
    flags: dict[int, set[str]] = {}
    for person_id, flag in PersonFlag.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "flag"
    ):
        flags.setdefault(person_id, set()).add(flag)
    projects: dict[int, str] = {}
    for person_id, code in (
        Enrolment.objects.filter(person_id__in=person_ids)
        .order_by("-id")
        .values_list("person_id", "project__code")
    ):
        projects[person_id] = code  # the first enrolment wins
    children = set(
        GroupMember.objects.filter(person_id__in=person_ids, relation="child").values_list(
            "person_id", flat=True
        )
    )
    by_id = {
        pk: Subject(
            key=pk,
            project=projects.get(pk, "CAL"),
            sex=sex,
            birth_date=born,
            languages=list(languages or []),
            interpreter_needed=interpreter,
            flags=frozenset(flags.get(pk, ())),
            exit_date=exit_date,
            minority_appeal=appeal,
            in_family=pk in children,
        )
        for pk, sex, born, languages, interpreter, exit_date, appeal in rows
    }
    return [by_id[pk] for pk in person_ids if pk in by_id]


def _trim(story: Story, room: int) -> Story:
    """At most ``room`` encounters: the last person kept keeps their earliest ones."""
    if len(story.visits) <= room:
        return story
    per_person: dict = {}
    for visit in story.visits:
        per_person.setdefault(visit.subject.key if visit.subject else None, []).append(visit)
    kept = Story()
    keys = set()
    for key, visits in per_person.items():
        if room <= 0:
            break
        kept.visits += visits[:room]
        room -= len(visits[:room])
        keys.add(key)
    kept.visits.sort(key=lambda v: v.occurred_at)
    kept.consents = [c for c in story.consents if c.subject.key in keys]
    kept.assignments = [a for a in story.assignments if a.subject.key in keys]
    return kept


def top_up_encounters(
    target: int,
    *,
    seed: int = DEFAULT_SEED,
    batch: int = PERSONS_PER_BATCH,
    today: date | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> CareGenerateReport:
    """Add invented encounters until the database holds ``target`` in all."""
    started = time.perf_counter()
    today = today or date.today()
    with transaction.atomic():
        writer = BulkWriter()
    before = m.Encounter.objects.count()
    count, consents = before, 0
    if count >= target:
        return CareGenerateReport(before, count, 0, time.perf_counter() - started)
    # Seeded by what is already there, so that topping up twice adds new encounters.
    rng = Random(f"{seed}:care:{before}")
    planner = CarePlanner(rng, today)
    without = (
        Person.objects.filter(~Exists(m.Encounter.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    candidates = list(without)
    known = False
    if not candidates:
        every = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        candidates = rng.sample(every, min(len(every), max(1, (target - count) // 10)))
        known = True
    while count < target and candidates:
        chunk, candidates = candidates[:batch], candidates[batch:]
        remaining = target - count
        persons_left = len(chunk) + len(candidates)
        mean = max(1.0, remaining * (1 - ANONYMOUS_SHARE) / persons_left)
        anonymous = round(remaining * ANONYMOUS_SHARE * len(chunk) / persons_left)
        story = Story()
        group = subjects(chunk)
        for subject in group:
            story.extend(planner.story(subject, encounters_for(planner, subject, mean)))
        met = [s for s in group if s.project == "CAL"]
        story.visits += planner.rounds(anonymous, met)
        story.visits.sort(key=lambda v: v.occurred_at)
        story = _trim(story, target - count)
        writer.write(story, known_persons=known)
        count += len(story.visits)
        consents += len(story.consents)
        if progress:
            progress(count, target, time.perf_counter() - started)
        if not candidates and count < target:
            # Every person has encounters: more for persons drawn at random.
            every = list(Person.objects.order_by("pk").values_list("pk", flat=True))
            candidates = sorted(rng.sample(every, min(len(every), max(1, (target - count) // 5))))
            known = True
    if count > before:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return CareGenerateReport(before, count, consents, time.perf_counter() - started)
