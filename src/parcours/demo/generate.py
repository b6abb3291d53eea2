"""Benchmark volumes: invented persons written with bulk_create, fast.

The rows are the ones the services would write (person, enrolment with the
next code of the project's counter, name keys, flags, aliases, families),
minus the audit trail: these persons were never registered by anyone, and
an audit event per row would triple the volume to write.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from random import Random

from django.db import connection, transaction

from parcours.demo.accounts import ensure_seed_account
from parcours.demo.organisation import ensure_organisation
from parcours.demo.population import Draft, Household, plan
from parcours.demo.seed import DEFAULT_SEED
from parcours.org.models import Project
from parcours.people.models import (
    Alias,
    CodeCounter,
    Enrolment,
    Group,
    GroupMember,
    NameKey,
    Person,
    PersonFlag,
)
from parcours.people.names import person_name_keys
from parcours.people.services import PERSON_FIELDS

BATCH = 5000


@dataclass
class GenerateReport:
    before: int
    after: int
    seconds: float


def _person(draft: Draft, actor) -> Person:
    person = Person(
        created_by=actor, **{f: draft.data[f] for f in PERSON_FIELDS if f in draft.data}
    )
    if draft.exit:
        person.is_active = False
        person.exit_date, person.exit_reason, person.exit_note = draft.exit
    return person


def _next_numbers(projects: dict[str, Project], needed: dict[str, int]) -> dict[str, int]:
    """Reserve ``needed`` codes per project; the first number reserved for each."""
    first = {}
    for code, count in needed.items():
        counter, _created = CodeCounter.objects.select_for_update().get_or_create(
            project=projects[code]
        )
        first[code] = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return first


@transaction.atomic
def _write(households: list[Household], projects: dict[str, Project], actor) -> None:
    drafts = [member for household in households for member in household.members]
    persons = Person.objects.bulk_create([_person(d, actor) for d in drafts])
    by_draft = {id(d): p for d, p in zip(drafts, persons, strict=True)}
    needed: dict[str, int] = {}
    for draft in drafts:
        needed[draft.project] = needed.get(draft.project, 0) + 1
    number = _next_numbers(projects, needed)
    enrolments, keys, flags, aliases = [], [], [], []
    for draft, person in zip(drafts, persons, strict=True):
        project = projects[draft.project]
        enrolments.append(
            Enrolment(
                person=person, project=project, code=f"{project.code}-{number[draft.project]:05d}"
            )
        )
        number[draft.project] += 1
        data = draft.data
        for key in sorted(
            person_name_keys(
                data["given_name"], data["family_name"], data["name_original"], data["aliases"]
            )
        ):
            keys.append(NameKey(person=person, key=key))
        flags += [PersonFlag(person=person, flag=f) for f in data["flags"]]
        aliases += [Alias(person=person, name=a) for a in data["aliases"]]
    Enrolment.objects.bulk_create(enrolments)
    NameKey.objects.bulk_create(keys)
    PersonFlag.objects.bulk_create(flags)
    Alias.objects.bulk_create(aliases)
    families = [h for h in households if h.kind]
    groups = Group.objects.bulk_create(
        [Group(project=projects[h.project], kind=h.kind, name=h.name) for h in families]
    )
    GroupMember.objects.bulk_create(
        [
            GroupMember(group=group, person=by_draft[id(member)], relation=member.relation)
            for group, household in zip(groups, families, strict=True)
            for member in household.members
        ]
    )


def top_up(
    target: int,
    *,
    seed: int = DEFAULT_SEED,
    batch: int = BATCH,
    today: date | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> GenerateReport:
    """Add invented persons until the database holds ``target`` persons in all."""
    started = time.perf_counter()
    today = today or date.today()
    with transaction.atomic():
        projects = ensure_organisation()
        actor = ensure_seed_account(projects)
    before = Person.objects.count()
    # Seeded by what is already there, so that topping up twice adds new persons.
    rng = Random(f"{seed}:{before}")
    count = before
    while count < target:
        size = min(batch, target - count)
        _write(plan(rng, size, today), projects, actor)
        count += size
        if progress:
            progress(count, target, time.perf_counter() - started)
    if count > before:
        with connection.cursor() as cursor:
            # Fresh planner statistics after a bulk load, as a DBA would do.
            cursor.execute("ANALYZE")
    return GenerateReport(before, count, time.perf_counter() - started)
