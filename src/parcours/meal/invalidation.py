"""Which project-months a write changes: fresh tokens for the kept figures.

A kept figure (meal/cache.py) is valid while the tokens of its project-
months are unchanged. Every write that can change a counted figure gives a
fresh token to exactly the project-months of the rows it touches, once the
write's transaction has committed:

- the rows of every fact's parts (an encounter, a tally, an appointment, a
  referral, a feedback item, a monthly stock figure…) when saved or deleted:
  the months they were in before and after (a row moved to another month
  or project changes both);
- the rows a fact reaches through its declared paths (the person whose sex,
  birth date or nationality disaggregate it, the medical details filtered
  on, the site or activity named in a cell, the sexual-violence details
  holding the consent): every month of every row that points to them;
- what is written in bulk, without model signals: merging two persons
  (``person_merged`` / ``person_unmerged``: every month of both), the
  first-visit flags an encounter moves (``encounter_recorded`` /
  ``encounter_updated`` name them in ``renumbered``: their months), custom field
  values (``customfields.signals.values_saved``), and what a module tells
  through ``rows_changed(model, pks)`` (the monthly stock figures).

Why after the commit, in a short transaction of its own: a token row is a
hot row (every write of a project-month updates it). Updated inside the
write's transaction, it stays locked while that transaction goes on to take
other locks (the audit chain's head), and two writers taking the two in
opposite orders deadlock on PostgreSQL (seen under load). Afterwards is
still safe: a figure kept while the write was in flight was counted under
the old token, which the new one then retires; the window where a reader
may see the figure of just before the write is the time of one upsert.

The watched relations are derived from the facts' declarations
(``parcours.meal.facts``): a module that registers a fact gets its rows
watched without writing anything here.
"""

import uuid
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import DateField
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from parcours.meal.facts import all_facts
from parcours.meal.models import MonthStamp


@dataclass(frozen=True)
class Watch:
    """Rows of ``model`` that point to a written row through ``lookup``."""

    model: type
    lookup: str  # "pk" when the written row is the counted row
    date: str
    project: str


_WATCHES: dict[type, set[Watch]] = {}


def _chains(model, path: str, *, last_hop: bool):
    """(model reached, path to it) for each relation along ``path``."""
    chain, out = [], []
    hops = path.split("__")
    for i, name in enumerate(hops):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            break
        if not field.is_relation or field.related_model is None:
            break
        if i == len(hops) - 1 and not last_hop:
            break
        chain.append(name)
        model = field.related_model
        out.append((model, "__".join(chain)))
    return out


def _watch(part, fields) -> None:
    counted = apps.get_model(part.model)
    paths = [part.date, part.weight or ""]
    paths += [part.prefix + field.path for field in fields]
    paths += [spec for spec in part.dimensions.values() if isinstance(spec, str)]
    reached = [(counted, "")]
    for path in filter(None, paths):
        reached += _chains(counted, path, last_hop=True)
    # The project, site and person are matched by id: their own rows do not change a count.
    for path in filter(None, (part.project, part.site, part.person)):
        reached += _chains(counted, path, last_hop=False)
    # Detail tables of the counted row (one-to-one: filters and consents live there).
    reached += [
        (rel.related_model, rel.name)
        for rel in counted._meta.get_fields()
        if rel.one_to_one and rel.auto_created and not rel.concrete
    ]
    for model, chain in reached:
        prefix = chain + "__"
        if chain and part.date.startswith(prefix) and part.project.startswith(prefix):
            # A row reached through its own date and project (a tally's encounter).
            watch = Watch(model, "pk", part.date[len(prefix) :], part.project[len(prefix) :])
        else:
            watch = Watch(counted, chain or "pk", part.date, part.project)
        _WATCHES.setdefault(model, set()).add(watch)


def connect() -> None:
    """Watch every registered fact (called once, when the app is ready)."""
    if _WATCHES:
        return
    from parcours.care.signals import encounter_recorded, encounter_updated
    from parcours.customfields.signals import values_saved
    from parcours.people.signals import person_merged, person_unmerged

    for fact in all_facts():
        for part in fact.parts:
            _watch(part, fact.fields)
    for model in _WATCHES:
        uid = f"meal-{model._meta.label}"
        pre_save.connect(_before, sender=model, dispatch_uid=uid, weak=False)
        post_save.connect(_after, sender=model, dispatch_uid=uid, weak=False)
        pre_delete.connect(_before, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_after, sender=model, dispatch_uid=uid, weak=False)
    person_merged.connect(_merged, dispatch_uid="meal-merge", weak=False)
    person_unmerged.connect(_merged, dispatch_uid="meal-unmerge", weak=False)
    encounter_recorded.connect(_encounter, dispatch_uid="meal-recorded", weak=False)
    encounter_updated.connect(_encounter, dispatch_uid="meal-updated", weak=False)
    values_saved.connect(_custom_values, dispatch_uid="meal-custom", weak=False)


# --- months of rows, fresh tokens --------------------------------------------------


def months_of(model, pks) -> set[tuple[int, object]]:
    """{(project id, first day of the local month)} of the counted rows that
    the rows ``pks`` of ``model`` are or reach."""
    pks = [pk for pk in pks if pk is not None]
    found: set = set()
    if not pks:
        return found
    tz = timezone.get_default_timezone()
    for watch in _WATCHES.get(model, ()):
        rows = watch.model._base_manager.filter(**{f"{watch.lookup}__in": pks})
        month = TruncMonth(watch.date, output_field=DateField(), tzinfo=tz)
        found |= set(
            rows.order_by()
            .annotate(m__month=month)
            .values_list(watch.project, "m__month")
            .distinct()
        )
    return {(project, day) for project, day in found if project is not None and day is not None}


def touch(months) -> None:
    """A fresh token for each (project id, month), once the current
    transaction commits (at once outside a transaction; never if it rolls
    back, since then nothing changed).

    One write touches the same months several times (the encounter, its
    details, the first-visit flags): the months join the renewal already
    waiting for the commit, if there is one, and are renewed together in
    one statement. A renewal still waiting is as durable as the work that
    touches now: Django drops the commit callbacks of a savepoint that rolls
    back, and this work goes with it if the enclosing one rolls back. Months
    that join from a savepoint that then rolls back are renewed anyway: one
    renewal too many, never one too few."""
    months = {(p, day) for p, day in months if p is not None and day is not None}
    if not months:
        return
    renewal = _waiting_renewal()
    if renewal is not None:
        renewal.months |= months
    else:
        after_commit(_Renewal(months))


class _Renewal:
    """The months a transaction touched, renewed once it commits."""

    def __init__(self, months: set):
        self.months = set(months)

    def __call__(self) -> None:
        _fresh_tokens(sorted(self.months))


def _waiting_renewal() -> "_Renewal | None":
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Renewal):
            return callback
    return None


# A name of its own: the test suite, whose transactions never commit, runs
# the renewal at once (as between two requests); tests/conftest.py.
after_commit = transaction.on_commit


def _fresh_tokens(months) -> None:
    rows = [MonthStamp(project_id=p, month=day, token=uuid.uuid4().hex) for p, day in months]
    MonthStamp.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["project", "month"], update_fields=["token"]
    )


def rows_changed(model, pks) -> None:
    """For a module writing counted rows in bulk (no model signals)."""
    touch(months_of(model, pks))


def person_changed(person_ids) -> None:
    """Every month of the rows of these persons."""
    from parcours.people.models import Person

    touch(months_of(Person, person_ids))


# --- receivers -------------------------------------------------------------------------


def _before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._meal_months = months_of(sender, [instance.pk])


def _after(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_meal_months", set())
    instance._meal_months = set()
    touch(before | months_of(sender, [instance.pk]))


def _merged(sender, source, target, **kwargs):
    person_changed([source.pk, target.pk])


def _encounter(sender, encounter, renumbered=(), **kwargs):
    # The encounter and its details are saved through the ORM and watched
    # like any row; the first-visit flags care moved in bulk are not.
    touch(months_of(type(encounter), renumbered))


def _custom_values(sender, person=None, encounter=None, **kwargs):
    if encounter is not None:
        touch(months_of(type(encounter), [encounter.pk]))
    if person is not None:
        person_changed([person.pk])
