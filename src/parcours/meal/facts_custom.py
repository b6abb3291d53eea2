"""Custom fields in indicators: filters and disaggregations named ``custom.<code>``.

A fact over encounters of a discipline filters on that discipline's custom
fields, any fact with a person on the person file's. The custom values are
rows of ``customfields.CustomValue`` (one per value, indexed on
(field, value)): a filter is an ``EXISTS`` on that index, correlated to the
counted row's encounter (or person) and project; a disaggregation is the
value of the row (yes/no, single choice). Both run in the database, on
SQLite and PostgreSQL alike. The custom field's category joins the
categories the reader must be allowed to count.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from parcours.access.terms import Category
from parcours.customfields.models import PERSON, CustomField, CustomValue, FieldType
from parcours.meal.facts import get_fact

PREFIX = "custom."
UNKNOWN = "unknown"
_TYPES = {
    FieldType.INTEGER: "int",
    FieldType.DECIMAL: "decimal",
    FieldType.YES_NO: "bool",
    FieldType.SINGLE: "choice",
    FieldType.MULTIPLE: "choice",
    FieldType.TEXT: "text",
    FieldType.LONG_TEXT: "text",
    FieldType.DATE: "text",
}
DIMENSION_TYPES = frozenset({FieldType.YES_NO, FieldType.SINGLE})


def is_custom(name: str) -> bool:
    return isinstance(name, str) and name.startswith(PREFIX)


def alias(name: str) -> str:
    """A SQL-safe annotation name for a dimension."""
    return "d_" + re.sub(r"\W", "_", name)


def _encounter_part(part) -> bool:
    return part.model == "care.Encounter" or part.prefix.startswith("encounter__")


def _targets(fact) -> list[str]:
    targets = []
    if fact.discipline and all(_encounter_part(p) for p in fact.parts):
        targets.append(fact.discipline)
    if all(p.person for p in fact.parts):
        targets.append(PERSON)
    return targets


@dataclass(frozen=True)
class CustomFilterField:
    """Quacks like meal.facts.Field; filters through an EXISTS on the values."""

    name: str
    label: str
    type: str
    choices: tuple
    code: str
    target: str
    column: str
    kind: str
    category: str
    path: str = ""

    @property
    def numeric(self) -> bool:
        return self.type in ("int", "decimal")

    def _values(self, part):
        owner = (
            {"encounter_id": OuterRef(f"{part.prefix}id")}
            if self.target != PERSON
            else {"person_id": OuterRef(part.person)}
        )
        return CustomValue.objects.filter(
            field__code=self.code,
            field__target=self.target,
            field__project_id=OuterRef(part.project),
            **owner,
        )

    def condition(self, op: str, value, part) -> Q:
        values = self._values(part)
        if op == "isnull":
            exists = Exists(values)
            return Q(~exists) if value else Q(exists)
        if op in ("eq", "ne", "in"):
            lookup = self.column + ("__in" if op == "in" else "")
            if self.kind == FieldType.YES_NO:
                value = [bool(v) for v in value] if op == "in" else bool(value)
            exists = Exists(values.filter(**{lookup: value}))
            return Q(~exists) if op == "ne" else Q(exists)
        return Q(Exists(values.filter(**{f"{self.column}__{op}": Decimal(str(value))})))

    def dimension(self, part):
        values = self._values(part)
        if self.kind == FieldType.YES_NO:
            return Case(
                When(Exists(values.filter(boolean=True)), then=Value("yes")),
                When(Exists(values.filter(boolean=False)), then=Value("no")),
                default=Value(UNKNOWN),
                output_field=CharField(),
            )
        return Coalesce(
            Subquery(values.values("text")[:1]), Value(UNKNOWN), output_field=CharField()
        )


def resolve(fact, name: str, project_id=None) -> CustomFilterField | None:
    """The custom field ``custom.<code>`` of the fact's forms (in the project
    when known), or None."""
    if not is_custom(name):
        return None
    code = name[len(PREFIX) :]
    targets = _targets(fact)
    if not targets:
        return None
    qs = CustomField.objects.filter(code=code, target__in=targets).prefetch_related("choices")
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    fields = sorted(qs, key=lambda f: (targets.index(f.target), f.pk))
    if not fields:
        return None
    field = fields[0]
    kind = FieldType(field.type)
    choices = tuple((c.code, c.label) for c in field.choices.all())
    if kind == FieldType.YES_NO:
        choices = ()
    return CustomFilterField(
        name=name,
        label=field.label,
        type=_TYPES[kind],
        choices=choices,
        code=code,
        target=field.target,
        column=field.column,
        kind=kind,
        category=field.category,
    )


def dimension_field(fact, name: str, project_id=None) -> CustomFilterField | None:
    field = resolve(fact, name, project_id)
    if field is None or field.kind not in DIMENSION_TYPES:
        return None
    return field


def value_label(fact, name: str, value: str) -> str:
    field = resolve(fact, name)
    if field is None:
        return value
    return str(dict(field.choices).get(value, value))


def _sides(defn: dict) -> list[dict]:
    if (defn.get("measure") or "count") == "ratio":
        return [defn.get("numerator") or {}, defn.get("denominator") or {}]
    return [defn]


def custom_offered(defn: dict, project_id: int, allowed, name: str) -> bool:
    """May the indicator be disaggregated by ``name``: a custom yes/no or
    single-choice field of every fact of the definition (and listed in the
    indicator's disaggregations when it restricts them)?"""
    if not is_custom(name) or (allowed and name not in allowed):
        return False
    facts = [get_fact(str(side.get("fact") or "")) for side in _sides(defn)]
    return bool(facts) and all(
        f is not None and dimension_field(f, name, project_id) is not None for f in facts
    )


def custom_categories(defn: dict, project_id: int, dimensions) -> set[Category]:
    """The categories of the custom fields the definition filters or is
    disaggregated on: the reader must be allowed to count them too."""
    needed = set()
    for side in _sides(defn):
        fact = get_fact(str(side.get("fact") or ""))
        if fact is None:
            continue
        names = [
            str(item.get("field", ""))
            for item in side.get("filters") or []
            if isinstance(item, dict)
        ]
        for name in [*names, *dimensions]:
            field = resolve(fact, name, project_id)
            if field is not None:
                needed.add(Category(field.category))
    return needed
