"""The only way to write the MEAL plan: checked, versioned, audited.

Every write runs in one transaction and records an audit event; an edit
made from a stale page (``version`` not the one stored) raises ``Stale``.
Bad input raises ``django.core.exceptions.ValidationError`` with messages
per field and saves nothing.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.meal.definitions import DefinitionError, check_definition, offered_dimensions
from parcours.meal.exports import hxl_attributes
from parcours.meal.facts import DIMENSIONS
from parcours.meal.models import (
    CHILD_LEVEL,
    ExportMapping,
    Indicator,
    IndicatorKind,
    Level,
    ManualValue,
    NarrativeValue,
    Objective,
    ObjectiveKind,
    ProjectMapping,
    Target,
)
from parcours.meal.periods import PeriodError, parse_period

CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,23}$")


class Stale(Exception):
    """Someone else saved the row since it was read."""

    def __init__(self, obj):
        self.obj = obj
        super().__init__(f"{obj._meta.label} {obj.pk} is at version {obj.version}")


def _locked(model, pk):
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


def _check_version(obj, version) -> None:
    if version is not None and int(version) != obj.version:
        raise Stale(obj)


def _snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _code_taken(model, project, code: str, current) -> bool:
    """Whether another row of the project's plan (not ``current``) has this code."""
    others = model.objects.filter(project=project, code=code)
    if current is not None:
        others = others.exclude(pk=current.pk)
    return others.exists()


def _open(model, project, current, version, fields):
    """(row to write, its fields before) inside the caller's transaction: a
    new row of the project, or ``current`` locked, checked against
    ``version`` and moved to the next version."""
    if current is None:
        return model(project=project), {}
    obj = _locked(model, current.pk)
    _check_version(obj, version)
    before = _snapshot(obj, fields)
    obj.version += 1
    return obj, before


def _save(obj, before, fields, *, actor, event, project):
    """Save ``obj`` and audit what changed since ``before``."""
    obj.save()
    audit.record(
        actor=actor,
        event=event,
        subject=obj,
        project=project,
        changes=audit.diff(before, _snapshot(obj, fields)),
    )
    return obj


# --- logframe ----------------------------------------------------------------------

OBJECTIVE_FIELDS = ("level", "kind", "code", "narrative", "assumptions", "order", "parent_id")


def objective_save(*, actor, project, data: dict, objective=None, version=None) -> Objective:
    """Create (``objective`` None) or edit one box of the logframe."""
    errors: dict[str, list[str]] = {}
    code = str(data.get("code", "")).strip().upper()
    if not CODE.match(code):
        errors["code"] = [_("Capitals, digits, dots and dashes, at most 24.")]
    narrative = str(data.get("narrative", "")).strip()
    if not narrative:
        errors["narrative"] = [_("Write what this level aims at.")]
    level = data.get("level")
    if level not in Level.values:
        errors["level"] = [_("Choose a level.")]
    parent = data.get("parent")
    if parent is not None and parent.project_id != project.pk:
        errors["parent"] = [_("Choose a box of this project's logframe.")]
    elif level in Level.values:
        if level == Level.GOAL and parent is not None:
            errors["parent"] = [_("The general objective has no parent.")]
        elif level != Level.GOAL and (parent is None or CHILD_LEVEL.get(parent.level) != level):
            errors["parent"] = [
                _("A %(level)s belongs under a box of the level above.")
                % {"level": Level(level).label}
            ]
    kind = data.get("kind") or ""
    if kind not in ObjectiveKind.values or (kind and level != Level.SPECIFIC):
        errors["kind"] = [_("Only a specific objective is operational or influence.")]
    if not errors and _code_taken(Objective, project, code, objective):
        errors["code"] = [_("This code is already used in the logframe.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        obj, before = _open(Objective, project, objective, version, OBJECTIVE_FIELDS)
        obj.level, obj.kind, obj.code, obj.narrative = level, kind, code, narrative
        obj.assumptions = str(data.get("assumptions", "")).strip()
        obj.order = int(data.get("order") or 0)
        obj.parent = parent
        return _save(
            obj, before, OBJECTIVE_FIELDS, actor=actor, event=Event.LOGFRAME_SAVE, project=project
        )


def objective_delete(*, actor, objective, version=None) -> None:
    """Delete an empty box (no children); its indicators stay, unattached."""
    with transaction.atomic():
        obj = _locked(Objective, objective.pk)
        _check_version(obj, version)
        if obj.children.exists():
            raise ValidationError(_("Delete or move the boxes under this one first."))
        audit.record(
            actor=actor,
            event=Event.LOGFRAME_DELETE,
            subject=obj,
            project=obj.project,
            extra={"code": obj.code, "level": obj.level},
        )
        obj.delete()


# --- indicators --------------------------------------------------------------------

INDICATOR_FIELDS = (
    "objective_id",
    "code",
    "name_fr",
    "name_en",
    "definition",
    "type",
    "kind",
    "unit",
    "baseline_value",
    "baseline_date",
    "source",
    "frequency",
    "owner",
    "fact",
    "measure",
    "field",
    "filters",
    "numerator",
    "denominator",
    "disaggregations",
    "order",
    "is_active",
)


def _decimal(value, field, errors, *, required=False):
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("Type a number."))
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        errors.setdefault(field, []).append(_("Type a number."))
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        errors.setdefault(field, []).append(_("Type a number."))
        return None
    return number.quantize(Decimal("0.01"))


def indicator_save(*, actor, project, data: dict, indicator=None, version=None) -> Indicator:
    """Create or edit an indicator; its computed definition is checked here
    (a filter on another discipline's field is refused, naming it)."""
    errors: dict[str, list[str]] = {}
    code = str(data.get("code", "")).strip().upper()
    if not CODE.match(code):
        errors["code"] = [_("Capitals, digits, dots and dashes, at most 24.")]
    name_fr = str(data.get("name_fr", "")).strip()
    name_en = str(data.get("name_en", "")).strip()
    if not name_fr and not name_en:
        errors["name_fr"] = [_("Give the indicator a name.")]
    objective = data.get("objective")
    if objective is not None and objective.project_id != project.pk:
        errors["objective"] = [_("Choose a box of this project's logframe.")]
    kind = data.get("kind") or IndicatorKind.COMPUTED
    if kind not in IndicatorKind.values:
        errors["kind"] = [_("Choose a kind.")]
    definition = {
        "fact": str(data.get("fact") or ""),
        "measure": str(data.get("measure") or "count"),
        "field": str(data.get("field") or ""),
        "filters": data.get("filters") or [],
        "numerator": data.get("numerator") or {},
        "denominator": data.get("denominator") or {},
    }
    disaggregations = [d for d in (data.get("disaggregations") or []) if d]
    if kind == IndicatorKind.COMPUTED:
        try:
            check_definition(definition)
        except DefinitionError as error:
            for key, messages in error.errors.items():
                errors.setdefault(
                    key if key in ("fact", "measure", "field") else "filters", []
                ).extend(messages)
        else:
            offered = offered_dimensions(definition)
            refused = [d for d in disaggregations if d not in offered]
            if refused:
                errors["disaggregations"] = [
                    _("Not offered by what is counted: %(dims)s.") % {"dims": ", ".join(refused)}
                ]
    else:
        definition = {
            "fact": "",
            "measure": "",
            "field": "",
            "filters": [],
            "numerator": {},
            "denominator": {},
        }
        disaggregations = []
    unknown = [d for d in disaggregations if d not in DIMENSIONS]
    if unknown:
        errors["disaggregations"] = [_("Unknown disaggregation.")]
    baseline = _decimal(data.get("baseline_value"), "baseline_value", errors)
    if not errors and _code_taken(Indicator, project, code, indicator):
        errors["code"] = [_("This code is already used by another indicator of the project.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ind, before = _open(Indicator, project, indicator, version, INDICATOR_FIELDS)
        ind.objective = objective
        ind.code, ind.name_fr, ind.name_en = code, name_fr, name_en
        ind.kind = kind
        for name in ("definition", "unit", "source", "owner"):
            setattr(ind, name, str(data.get(name) or "").strip())
        ind.type = data.get("type") or ind.type
        ind.frequency = data.get("frequency") or ind.frequency
        ind.baseline_value = baseline
        ind.baseline_date = data.get("baseline_date") or None
        ind.fact, ind.measure, ind.field = (
            definition["fact"],
            definition["measure"],
            definition["field"],
        )
        ind.filters = definition["filters"]
        ind.numerator, ind.denominator = definition["numerator"], definition["denominator"]
        ind.disaggregations = disaggregations
        ind.order = int(data.get("order") or 0)
        ind.is_active = bool(data.get("is_active", True))
        ind.full_clean(exclude=["project", "objective"], validate_unique=False)
        return _save(
            ind, before, INDICATOR_FIELDS, actor=actor, event=Event.INDICATOR_SAVE, project=project
        )


def _period_within_project(indicator, code: str):
    try:
        period = parse_period(code)
    except PeriodError as error:
        raise ValidationError({"period": [str(error)]}) from None
    project = indicator.project
    if not period.overlaps(project.opened_on, project.closed_on):
        raise ValidationError(
            {
                "period": [
                    _("%(period)s is outside the project's dates (%(start)s – %(end)s).")
                    % {
                        "period": period.code,
                        "start": project.opened_on or "…",
                        "end": project.closed_on or "…",
                    }
                ]
            }
        )
    return period


def target_set(*, actor, indicator, period: str, value) -> Target | None:
    """Set (or, with an empty value, remove) the indicator's target for a period."""
    period = _period_within_project(indicator, period)
    errors: dict[str, list[str]] = {}
    number = _decimal(value, "value", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = (
            Target.objects.select_for_update(of=("self",))
            .filter(indicator=indicator, period=period.code)
            .first()
        )
        before = existing.value if existing else None
        if number is None:
            if existing:
                existing.delete()
            row = None
        elif existing:
            existing.value = number
            existing.version += 1
            existing.save()
            row = existing
        else:
            row = Target.objects.create(indicator=indicator, period=period.code, value=number)
        audit.record(
            actor=actor,
            event=Event.INDICATOR_TARGET,
            subject=indicator,
            project=indicator.project,
            changes={f"target {period.code}": (before, number)},
        )
    return row


def value_set(*, actor, indicator, period: str, value=None, comment="", text="", version=None):
    """Type a manual indicator's value (with a comment) or a narrative
    indicator's text for a period."""
    period = _period_within_project(indicator, period)
    errors: dict[str, list[str]] = {}
    if indicator.kind == IndicatorKind.MANUAL:
        model, number = ManualValue, _decimal(value, "value", errors, required=True)
    elif indicator.kind == IndicatorKind.NARRATIVE:
        model, number = NarrativeValue, None
        if not str(text).strip():
            errors["text"] = [_("Write the text for this period.")]
    else:
        raise ValidationError(_("A computed indicator's values come from the records."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = (
            model.objects.select_for_update(of=("self",))
            .filter(indicator=indicator, period=period.code)
            .first()
        )
        if row is None:
            row = model(indicator=indicator, period=period.code)
            before = None
        else:
            _check_version(row, version)
            before = row.value if model is ManualValue else row.text
            row.version += 1
        if model is ManualValue:
            row.value, row.comment = number, str(comment).strip()
            after = number
        else:
            row.text = str(text).strip()
            after = row.text
        row.entered_by = actor
        row.save()
        audit.record(
            actor=actor,
            event=Event.INDICATOR_VALUE,
            subject=indicator,
            project=indicator.project,
            changes={period.code: (before, after)},
        )
    return row


def mapping_set(*, actor, indicator, disaggregation: dict, codes: dict) -> ExportMapping:
    """Set the external codes of an indicator's total ({}) or of one cell."""
    cell = {str(k): str(v) for k, v in (disaggregation or {}).items() if v not in (None, "")}
    offered = offered_dimensions(indicator.definition_dict(), indicator.disaggregations or None)
    refused = [d for d in cell if d not in offered]
    if refused:
        raise ValidationError(
            {
                "disaggregation": [
                    _("Not offered by this indicator: %(dims)s.") % {"dims": ", ".join(refused)}
                ]
            }
        )
    fields = ("data_element", "category_option_combo", "org_unit", "dataset", "hxl_tags")
    codes = {name: str(codes.get(name) or "").strip()[:120] for name in fields}
    codes["hxl_tags"] = hxl_attributes(codes["hxl_tags"])
    if codes["hxl_tags"] is None:
        raise ValidationError(
            {
                "hxl_tags": [
                    _(
                        "HXL attributes are “+” and a word of small letters, digits or “_”, "
                        "one after the other: e.g. +f+adult."
                    )
                ]
            }
        )
    with transaction.atomic():
        row = next(
            (
                m
                for m in ExportMapping.objects.select_for_update(of=("self",)).filter(
                    indicator=indicator
                )
                if m.disaggregation == cell
            ),
            None,
        )
        before = _snapshot(row, fields) if row else {}
        if row is None:
            row = ExportMapping(indicator=indicator, disaggregation=cell)
        else:
            row.version += 1
        for name in fields:
            setattr(row, name, codes[name])
        row.full_clean(exclude=["indicator"])
        row.save()
        audit.record(
            actor=actor,
            event=Event.INDICATOR_MAPPING,
            subject=indicator,
            project=indicator.project,
            changes=audit.diff(before, _snapshot(row, fields)),
            extra={"disaggregation": cell},
        )
    return row


def project_mapping_set(*, actor, project, codes: dict) -> ProjectMapping:
    fields = ("org_unit", "dataset", "hxl_org", "hxl_adm1")
    with transaction.atomic():
        row, _created = ProjectMapping.objects.select_for_update(of=("self",)).get_or_create(
            project=project
        )
        before = _snapshot(row, fields)
        for name in fields:
            setattr(row, name, codes[name])
        row.version += 1
        row.full_clean(exclude=["project"])
        row.save()
        audit.record(
            actor=actor,
            event=Event.INDICATOR_MAPPING,
            subject=row,
            project=project,
            changes=audit.diff(before, _snapshot(row, fields)),
        )
    return row
