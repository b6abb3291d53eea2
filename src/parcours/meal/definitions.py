"""Checking a computed indicator's definition before it is saved or used.

A definition is data: a fact, a measure (count, persons, sum, ratio), the
field summed, filters on the fact's own structured fields, and for a ratio
a numerator and a denominator that are definitions themselves.
"""

from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from parcours.meal.facts import DIMENSIONS, Fact, field_owner, get_fact
from parcours.meal.facts_custom import is_custom, resolve

MEASURES = ("count", "persons", "sum", "ratio")
OPERATORS = {
    "eq": "=",
    "ne": "≠",
    "in": "∈",
    "lt": "<",
    "lte": "≤",
    "gt": ">",
    "gte": "≥",
    "isnull": "∅",
}


class DefinitionError(ValueError):
    """A definition that cannot be computed; ``errors`` maps a field to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


def _value(field, op, raw):
    if op == "isnull":
        if isinstance(raw, bool):
            return raw
        raise ValueError
    if op == "in":
        if not isinstance(raw, list | tuple) or not raw:
            raise ValueError
        return [_value(field, "eq", item) for item in raw]
    if field.type == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "1", "yes"):
            return True
        if str(raw).lower() in ("false", "0", "no"):
            return False
        raise ValueError
    if field.type == "int":
        if isinstance(raw, bool):
            raise ValueError
        return int(raw)
    if field.type == "decimal":
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            raise ValueError from None
    value = "" if raw is None else str(raw)
    if field.choices and value not in {code for code, _label in field.choices}:
        raise ValueError
    return value


def check_filters(fact: Fact, filters, project_id=None) -> tuple[list[str], list[tuple]]:
    """Errors and the checked filters [(field, op, value)] of a fact (a
    ``custom.<code>`` field: a custom field of the fact's forms, in the
    project when given)."""
    errors, checked = [], []
    if not isinstance(filters, list):
        return [_("Filters must be a list.")], []
    for item in filters:
        if not isinstance(item, dict):
            errors.append(_("Each filter names a field, a comparison and a value."))
            continue
        name, op = str(item.get("field", "")), str(item.get("op", "eq"))
        field = fact.field(name)
        if field is None and is_custom(name):
            field = resolve(fact, name, project_id)
        if field is None:
            owners = [f for f in field_owner(name) if f.code != fact.code]
            if owners:
                errors.append(
                    _(
                        "“%(field)s” is a field of %(other)s, not of %(fact)s: "
                        "a filter may only use the fields of the records it counts."
                    )
                    % {"field": name, "other": owners[0].label, "fact": fact.label}
                )
            else:
                errors.append(
                    _("%(fact)s have no field “%(field)s”.")
                    % {"fact": fact.label, "field": name[:40]}
                )
            continue
        if op not in OPERATORS:
            errors.append(_("Unknown comparison “%(op)s”.") % {"op": op[:10]})
            continue
        if op in ("lt", "lte", "gt", "gte") and not field.numeric:
            errors.append(
                _("“%(field)s” is not a number: it cannot be compared with %(op)s.")
                % {"field": field.label, "op": OPERATORS[op]}
            )
            continue
        try:
            value = _value(field, op, item.get("value"))
        except (TypeError, ValueError):
            errors.append(
                _("“%(value)s” is not a possible value of “%(field)s”.")
                % {"value": str(item.get("value"))[:40], "field": field.label}
            )
            continue
        checked.append((field, op, value))
    return errors, checked


def filters_q(checked, prefix: str = "", part=None) -> Q:
    q = Q()
    for field, op, value in checked:
        if hasattr(field, "condition"):
            # A custom field: an EXISTS on its values, correlated to the part's rows.
            q &= field.condition(op, value, part)
            continue
        path = prefix + field.path
        if op == "ne":
            q &= ~Q(**{path: value})
        elif op == "eq":
            q &= Q(**{path: value})
        elif op == "isnull":
            q &= Q(**{f"{path}__isnull": value})
        else:
            q &= Q(**{f"{path}__{op}": value})
    return q


def check_part(defn: dict, *, allow_ratio: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(defn, dict):
        return {"measure": [_("Choose a measure.")]}
    measure = defn.get("measure") or "count"
    if measure not in MEASURES or (measure == "ratio" and not allow_ratio):
        errors["measure"] = [_("Choose a measure.")]
        return errors
    if measure == "ratio":
        for side in ("numerator", "denominator"):
            sub = check_part(defn.get(side) or {}, allow_ratio=False)
            for _key, messages in sub.items():
                errors.setdefault(side, []).extend(messages)
        return errors
    fact = get_fact(str(defn.get("fact") or ""))
    if fact is None:
        errors["fact"] = [_("Choose what is counted.")]
        return errors
    if measure not in fact.measures:
        errors["measure"] = [
            _("%(fact)s cannot be counted as “%(measure)s”.")
            % {"fact": fact.label, "measure": measure}
        ]
    if measure == "sum":
        field = fact.field(str(defn.get("field") or ""))
        if field is None or not field.numeric:
            errors["field"] = [
                _("Choose a numeric field of %(fact)s to sum.") % {"fact": fact.label}
            ]
    messages, _checked = check_filters(fact, defn.get("filters") or [])
    if messages:
        errors["filters"] = messages
    return errors


def check_definition(defn: dict) -> None:
    """Raise DefinitionError when a computed definition cannot be computed."""
    errors = check_part(defn, allow_ratio=True)
    if errors:
        raise DefinitionError(errors)


def facts_of(defn: dict) -> list[Fact]:
    if (defn.get("measure") or "count") == "ratio":
        facts = []
        for side in ("numerator", "denominator"):
            fact = get_fact(str((defn.get(side) or {}).get("fact") or ""))
            if fact is not None:
                facts.append(fact)
        return facts
    fact = get_fact(str(defn.get("fact") or ""))
    return [fact] if fact is not None else []


def offered_dimensions(defn: dict, allowed=None) -> tuple[str, ...]:
    """Dimensions every fact of the definition offers (and the indicator allows)."""
    facts = facts_of(defn)
    if not facts:
        return ()
    common = [d for d in DIMENSIONS if all(d in f.dimensions for f in facts)]
    if allowed:
        common = [d for d in common if d in allowed]
    return tuple(common)
