"""Seeding the demo database through the same services as the pages.

Every person, family and exit goes through ``parcours.people.services`` so
that the demo shows codes, name keys and audit history exactly as real use
would leave them. ``generate`` is the fast path for benchmark volumes.
"""

import copy
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from random import Random

from django.conf import settings
from django.db import transaction

from parcours.demo.accounts import ensure_demo_accounts, ensure_seed_account, ensure_seed_staff
from parcours.demo.care_seed import (
    MEAN_ENCOUNTERS,
    CareReport,
    CareWriter,
    ensure_sv_survivor,
    plan_care,
)
from parcours.demo.cases_seed import seed_cases
from parcours.demo.feedback_indicators import seed_feedback_indicators
from parcours.demo.feedback_seed import seed_feedback
from parcours.demo.meal_seed import seed_meal
from parcours.demo.network_seed import seed_network
from parcours.demo.organisation import ensure_organisation
from parcours.demo.population import Draft, plan
from parcours.demo.reporting_seed import seed_reports
from parcours.demo.stock_seed import seed_stock
from parcours.org.models import Project, Status
from parcours.people import services
from parcours.people.models import Person

DEFAULT_SEED = 2016  # the year the Calais project opened
DEMO_PERSONS = 1500


@dataclass
class SeedReport:
    persons: int = 0
    groups: int = 0
    exits: int = 0
    # (first record, the same person registered again) as person ids.
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    seconds: float = 0.0
    care: CareReport | None = None


@contextmanager
def _no_query_log():
    """With DEBUG on, Django keeps and formats every SQL statement: about 15 % of
    the time of a seed that writes some 100,000 statements, for a log nobody reads."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


def _as_registered_then(project: Project) -> Project:
    """The project as it was when its persons were registered.

    The Libyan project is suspended now, but its records date from before:
    the seed registers them as if it were still open, without reopening it.
    """
    if project.status == Status.OPEN:
        return project
    then = copy.copy(project)
    then.status = Status.OPEN
    return then


@_no_query_log()
@transaction.atomic
def seed_demo(
    *,
    persons: int = DEMO_PERSONS,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
    today: date | None = None,
    care: bool = True,
) -> SeedReport:
    """Organisation, demo accounts and ``persons`` invented persons, in one transaction,
    with their care records (encounters, consents, care teams) unless ``care`` is False."""
    started = time.perf_counter()
    today = today or date.today()
    projects = ensure_organisation()
    ensure_demo_accounts(projects, password=password)
    actor = ensure_seed_account(projects)
    registering = {code: _as_registered_then(p) for code, p in projects.items()}
    report = SeedReport()
    registered: dict[int, Person] = {}  # id(draft) → person
    in_order: list[tuple[Person, Draft]] = []

    def register(draft: Draft) -> Person:
        person = services.person_create(
            actor=actor, project=registering[draft.project], data=draft.data, today=today
        )
        registered[id(draft)] = person
        in_order.append((person, draft))
        report.persons += 1
        return person

    households = plan(Random(seed), persons, today)
    if care:
        ensure_sv_survivor(households, today)
    for household in households:
        members = [(register(draft), draft) for draft in household.members]
        if household.kind:
            services.group_create(
                actor=actor,
                project=projects[household.project],
                name=household.name,
                kind=household.kind,
                members=[(person, draft.relation) for person, draft in members],
            )
            report.groups += 1
        for person, draft in members:
            if draft.exit:
                exit_date, reason, note = draft.exit
                services.person_exit(
                    actor=actor, person=person, exit_date=exit_date, reason=reason, note=note
                )
                report.exits += 1
            if draft.duplicate_of is not None:
                report.duplicates.append((registered[id(draft.duplicate_of)].pk, person.pk))
    if care:
        story = plan_care(Random(f"{seed}:care"), in_order, today, MEAN_ENCOUNTERS)
        writer = CareWriter(projects, ensure_seed_staff(projects), registering)
        report.care = writer.write(story)
        seed_cases(projects, today, report.care)
    seed_meal(actor, today=today, seed=seed)
    # Feedback before the reports: last month's SITREP is validated with its lines.
    seed_feedback(projects, today)
    seed_feedback_indicators(actor, today=today)
    seed_reports(today=today, care=care)
    seed_network(projects, today=today)
    seed_stock(projects, today=today)
    report.seconds = time.perf_counter() - started
    return report
