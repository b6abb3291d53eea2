"""What the MEAL engine can count: facts, declared in one place per module.

A *fact* is a kind of record the indicators count (medical consultations,
shelter stays, outreach contacts, feedback entries…). Each module declares
its facts once, with a one-liner per fact::

    # <app>/meal_facts.py (found by parcours.meal at start-up)
    from parcours.meal.facts import Fact, Field, encounter_part, register

    register(Fact(code="feedback", label=_("Feedback"), category=Category.ACTIVITY,
                  parts=(Part(model="feedback.Entry", date="received_at", ...),),
                  fields=(Field("channel", "channel", _("Channel"), "choice"),)))

A fact names its access ``Category`` (who may count it), the parts that
give its rows (a base queryset and where its date, project, site and person
are), the structured fields indicators may filter on, and the
disaggregations it offers. The engine never counts anything else.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.meal.sql import AgeBucket, AgeYears, LocalDate

# --- dimensions (disaggregations) --------------------------------------------

AGE_GROUPS = [
    ("0-4", _("0–4 years"), 0, 4),
    ("5-11", _("5–11 years"), 5, 11),
    ("12-17", _("12–17 years"), 12, 17),
    ("18-59", _("18–59 years"), 18, 59),
    ("60+", _("60 years and over"), 60, None),
]

DIMENSIONS = {
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "minor_adult": _("Minor / adult"),
    "nationality": _("Nationality"),
    "new_followup": _("New / follow-up"),
    "site": _("Site"),
    "activity": _("Activity"),
    "discipline": _("Discipline"),
}
# Dimensions that describe the person (need the identity category to be counted).
PERSON_DIMENSIONS = frozenset({"sex", "age_group", "minor_adult", "nationality"})
UNKNOWN = "unknown"


def age_expression(birth: str, when: str, window) -> Expression:
    """Age in whole years on the local date of ``when`` (a datetime path whose
    rows lie in ``window``, the [start, end) of the computation), in SQL."""
    return AgeYears(F(birth), LocalDate(F(when), window))


def age_group_expression(birth: str, when: str, window) -> Expression:
    buckets = [(high, code) for code, _label, _low, high in AGE_GROUPS if high is not None]
    return AgeBucket(F(birth), LocalDate(F(when), window), buckets, AGE_GROUPS[-1][0], UNKNOWN)


def minor_adult_expression(birth: str, when: str, window) -> Expression:
    return AgeBucket(F(birth), LocalDate(F(when), window), [(17, "minor")], "adult", UNKNOWN)


def first_visit_expression(path: str, window=None) -> Expression:
    return Case(
        When(Q(**{path: True}), then=Value("new")),
        default=Value("follow_up"),
        output_field=CharField(),
    )


# --- declarations ------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A structured field an indicator may filter on (and sum, if numeric)."""

    name: str
    path: str  # ORM path from the part's model
    label: object
    type: str = "choice"  # choice | bool | int | decimal | text
    choices: tuple = ()  # ((value, label), …) for a choice

    @property
    def numeric(self) -> bool:
        return self.type in ("int", "decimal")


@dataclass(frozen=True)
class Part:
    """One source of a fact's rows.

    ``base`` returns the queryset (called at each computation); the paths say
    where the date (a DateTimeField), project, site and person are. ``weight``
    is a numeric path when one row stands for several people (anonymous
    tallies); ``dimensions`` maps each dimension to a path or a function of
    the computation's window ([start, end) aware datetimes) returning an
    expression; ``prefix`` is prepended to the fact's field paths.
    """

    model: str
    base: Callable[[], QuerySet]
    date: str
    project: str
    site: str | None = None
    person: str | None = None
    weight: str | None = None
    prefix: str = ""
    dimensions: dict = field(default_factory=dict)

    def queryset(self) -> QuerySet:
        return self.base()

    def dimension(self, name: str, window):
        """Expression of a dimension for this part (Value('unknown') when
        absent); a callable spec receives the computation's [start, end)."""
        spec = self.dimensions.get(name)
        if spec is None:
            return Value(UNKNOWN, output_field=CharField())
        if callable(spec):
            return spec(window)
        return F(spec)


@dataclass(frozen=True)
class Fact:
    code: str
    label: object
    category: Category
    parts: tuple[Part, ...]
    fields: tuple[Field, ...] = ()
    dimensions: tuple[str, ...] = ()
    # The discipline or module the fact belongs to (a filter names its fields).
    discipline: str = ""
    # Counted over whole months only (a month, a quarter, a year, or a range
    # from a 1st to a month's last day): a total per day or week could point
    # at one event (the sensitive feedback items).
    whole_months_only: bool = False

    def field(self, name: str) -> Field | None:
        for item in self.fields:
            if item.name == name:
                return item
        return None

    @property
    def counts_persons(self) -> bool:
        """Distinct persons and sums need a single part with a person."""
        return len(self.parts) == 1 and self.parts[0].person is not None

    @property
    def measures(self) -> tuple[str, ...]:
        if len(self.parts) == 1 and self.parts[0].weight is None:
            return ("count", "persons", "sum", "ratio") if self.counts_persons else ("count", "sum")
        return ("count",)


_REGISTRY: dict[str, Fact] = {}


def register(fact: Fact) -> Fact:
    """Declare a fact (once per code; a second declaration replaces the first
    only if it is the same object, so two modules cannot claim one code)."""
    existing = _REGISTRY.get(fact.code)
    if existing is not None and existing != fact:
        raise ValueError(f"MEAL fact {fact.code!r} is declared twice")
    unknown = set(fact.dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"MEAL fact {fact.code!r}: unknown dimensions {sorted(unknown)}")
    _REGISTRY[fact.code] = fact
    return fact


def get_fact(code: str) -> Fact | None:
    return _REGISTRY.get(code)


def all_facts() -> list[Fact]:
    return sorted(_REGISTRY.values(), key=lambda f: f.code)


def fact_choices() -> list[tuple[str, str]]:
    return [(f.code, str(f.label)) for f in all_facts()]


def field_owner(name: str) -> list[Fact]:
    """Facts that have a field of this name (for a clear refusal message)."""
    return [f for f in all_facts() if f.field(name) is not None]


# --- helpers for parts built on care encounters ------------------------------


def encounter_dimensions(prefix: str = "", *, person: str | None = None) -> dict:
    """The standard dimensions of a part whose rows are (or point to) encounters.

    ``prefix`` leads from the part's model to the encounter ("" for the
    encounter itself, "encounter__" for a tally); ``person`` is the path to
    the person when it is not the encounter's."""
    person = person if person is not None else f"{prefix}person"
    when = f"{prefix}occurred_at"
    birth = f"{person}__birth_date"
    return {
        "sex": f"{person}__sex",
        "age_group": lambda window: age_group_expression(birth, when, window),
        "minor_adult": lambda window: minor_adult_expression(birth, when, window),
        "nationality": f"{person}__nationality",
        "new_followup": lambda window: first_visit_expression(f"{prefix}is_first_visit"),
        "site": f"{prefix}site__name",
        "activity": f"{prefix}activity__code",
        "discipline": f"{prefix}discipline",
    }


def encounter_part(model: str, base, prefix: str = "", **extra) -> Part:
    """A part over encounters (or rows pointing to one through ``prefix``)."""
    dimensions = encounter_dimensions(prefix, person=extra.pop("person_path", None))
    dimensions.update(extra.pop("dimensions", {}))
    person = extra.pop("person", f"{prefix}person")
    return Part(
        model=model,
        base=base,
        date=f"{prefix}occurred_at",
        project=f"{prefix}project",
        site=f"{prefix}site",
        person=person,
        prefix=prefix,
        dimensions=dimensions,
        **extra,
    )


# Used by facts_care for the comparison in filters (kept here: one place).
COMPARISONS = {
    "eq": "exact",
    "ne": "exact",
    "in": "in",
    "lt": "lt",
    "lte": "lte",
    "gt": "gt",
    "gte": "gte",
    "isnull": "isnull",
}


# --- how a dimension's values are ordered and named ---------------------------------

_ORDER = {
    "age_group": [code for code, *_rest in AGE_GROUPS] + ["5-14", UNKNOWN],
    "minor_adult": ["minor", "adult", UNKNOWN],
    "new_followup": ["new", "follow_up"],
    "sex": ["female", "male", "other", UNKNOWN],
}
_LABELS = {
    "minor_adult": {"minor": _("Minor"), "adult": _("Adult")},
    "new_followup": {"new": _("New"), "follow_up": _("Follow-up")},
    "age_group": {code: label for code, label, *_rest in AGE_GROUPS} | {"5-14": _("5–14 years")},
}


def value_sort_key(dimension: str, value: str):
    order = _ORDER.get(dimension)
    if order and value in order:
        return (0, order.index(value), "")
    return (1, 0, str(value))


def value_label(dimension: str, value: str) -> str:
    """The value as people read it (the codes stay in exports and the API)."""
    if value == UNKNOWN:
        return str(_("Unknown"))
    if dimension == "sex":
        from parcours.people.models import Sex

        return str(dict(Sex.choices).get(value, value))
    if dimension == "nationality":
        from django_countries import countries

        return str(countries.name(value) or value)
    if dimension == "discipline":
        from parcours.care.choices import Discipline

        return str(dict(Discipline.choices).get(value, value))
    return str(_LABELS.get(dimension, {}).get(value, value))
