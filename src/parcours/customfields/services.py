"""Writes of custom fields: definitions (designed, changed, retired) and values.

Every write is audited; every write re-checks the rule that protects it
(``access.module_scopes.may_design_custom_field`` for a definition, ``may`` create
or edit on the field's category for a value) so that an API call or an
import cannot skip it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import may_design_custom_field
from parcours.access.scope import may
from parcours.access.terms import Action
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.customfields.models import (
    CustomChoice,
    CustomField,
    CustomValue,
    FieldType,
)
from parcours.customfields.signals import values_saved
from parcours.customfields.validation import check_definition, target_category, targets

DEFINITION_FIELDS = (
    "code",
    "type",
    "label_fr",
    "label_en",
    "help_fr",
    "help_en",
    "section",
    "required",
    "min_value",
    "max_value",
    "relevant_field",
    "relevant_values",
    "category",
)


class StaleVersion(Exception):
    pass


def form_fields(project_id: int, target: str, *, active_only: bool = True):
    qs = CustomField.objects.filter(project_id=project_id, target=target)
    if active_only:
        qs = qs.filter(retired_at__isnull=True)
    return list(qs.select_related("relevant_field").prefetch_related("choices"))


def _check_designer(actor, project_id: int, target: str, *categories) -> None:
    if target not in targets():
        raise ValidationError({"target": [_("Choose the person file or a discipline.")]})
    if not may_design_custom_field(actor, project_id, {target_category(target), *categories}):
        raise PermissionDenied(
            _(
                "Only the coordinators of the project define its fields; fields of medical "
                "forms or of a medical category are defined by the medical referent."
            )
        )


def _save_choices(field: CustomField, choices: list[dict]) -> None:
    """Choices keep their codes: a code no longer listed is retired, never
    deleted (old values keep their label)."""
    existing = {c.code: c for c in field.choices.all()}
    listed = set()
    for position, item in enumerate(choices):
        code = item["code"]
        listed.add(code)
        choice = existing.get(code) or CustomChoice(field=field, code=code)
        choice.label_fr = (item.get("label_fr") or "").strip()[:200]
        choice.label_en = (item.get("label_en") or "").strip()[:200]
        choice.position = position
        choice.retired = False
        choice.save()
    for code, choice in existing.items():
        if code not in listed and not choice.retired:
            choice.retired = True
            choice.save(update_fields=["retired"])


def _snapshot(field: CustomField) -> dict:
    data = {name: getattr(field, name) for name in DEFINITION_FIELDS}
    data["relevant_field"] = field.relevant_field.code if field.relevant_field else None
    for key in ("min_value", "max_value"):
        data[key] = None if data[key] is None else str(data[key])
    data["choices"] = [c.code for c in field.choices.all() if not c.retired]
    return data


@transaction.atomic
def field_create(*, actor, project, target: str, data: dict, choices=()) -> CustomField:
    data = dict(data)
    data.setdefault("category", str(target_category(target)) if target in targets() else "")
    _check_designer(actor, project.pk, target, data.get("category"))
    choices = list(choices)
    others = form_fields(project.pk, target, active_only=False)
    errors = check_definition(data, choices, target=target, others=others)
    if errors:
        raise ValidationError(errors)
    field = CustomField(project=project, target=target, created_by=actor)
    for name in DEFINITION_FIELDS:
        if name in data:
            setattr(field, name, data[name])
    if field.type not in (FieldType.SINGLE, FieldType.MULTIPLE):
        choices = []
    field.position = data.get("position", len(others))
    if field.required:
        field.required_since = timezone.now()
    field.save()
    field.refresh_from_db()
    _save_choices(field, choices)
    audit.record(
        actor=actor,
        event=Event.CUSTOM_FIELD_CREATE,
        subject=field,
        project=project,
        extra=_snapshot(field),
    )
    return field


@transaction.atomic
def field_update(*, actor, field_id: int, version: int, data: dict, choices=()) -> CustomField:
    field = CustomField.objects.select_for_update().get(pk=field_id)
    new_category = data.get("category", field.category)
    # Both the old and the new category: moving a medical field out of the
    # medical categories needs the medical referent.
    _check_designer(actor, field.project_id, field.target, field.category, new_category)
    if version != field.version:
        raise StaleVersion(field)
    before = _snapshot(field)
    merged = {name: getattr(field, name) for name in DEFINITION_FIELDS} | dict(data)
    changes_shape = merged["code"] != field.code or merged["type"] != field.type
    if changes_shape and CustomValue.objects.filter(field=field).exists():
        raise ValidationError(
            {"code": [_("The code and the type of a field that has values do not change.")]}
        )
    others = [f for f in form_fields(field.project_id, field.target, active_only=False)]
    others = [f for f in others if f.pk != field.pk]
    errors = check_definition(merged, list(choices), target=field.target, others=others)
    if merged.get("relevant_field") is not None and merged["relevant_field"].pk == field.pk:
        errors.setdefault("relevant_field", []).append(_("A field cannot depend on itself."))
    if errors:
        raise ValidationError(errors)
    became_required = merged["required"] and not field.required
    for name in DEFINITION_FIELDS:
        setattr(field, name, merged[name])
    if became_required:
        # Asked only of the records created from now on.
        field.required_since = timezone.now()
    field.version += 1
    field.save()
    if field.type in (FieldType.SINGLE, FieldType.MULTIPLE):
        _save_choices(field, list(choices))
    if field.category != before["category"]:
        CustomValue.objects.filter(field=field).update(category=field.category)
    after = _snapshot(field)
    changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    audit.record(
        actor=actor,
        event=Event.CUSTOM_FIELD_UPDATE,
        subject=field,
        project=field.project,
        changes=changes,
    )
    return field


@transaction.atomic
def field_retire(*, actor, field: CustomField) -> CustomField:
    """No longer asked; its values stay with the records they belong to."""
    _check_designer(actor, field.project_id, field.target, field.category)
    if field.retired_at is None:
        field.retired_at = timezone.now()
        field.version += 1
        field.save(update_fields=["retired_at", "version"])
        audit.record(
            actor=actor, event=Event.CUSTOM_FIELD_RETIRE, subject=field, project=field.project
        )
    return field


# --- values ------------------------------------------------------------------------


def _rows(field: CustomField, value) -> list[dict]:
    if value is None:
        return []
    column = field.column
    if field.type == FieldType.MULTIPLE:
        return [{"text": code} for code in value]
    return [{column: value}]


def stored_values(fields, *, person=None, encounter=None) -> dict:
    """{field id: value} of one record (lists for multiple choices)."""
    owner = {"person": person} if person is not None else {"encounter": encounter}
    by_id = {f.pk: f for f in fields}
    values: dict = {}
    for row in CustomValue.objects.filter(field_id__in=by_id, **owner).order_by("text"):
        field = by_id[row.field_id]
        value = getattr(row, field.column)
        if field.type == FieldType.INTEGER and value is not None:
            value = int(value)
        if field.type == FieldType.MULTIPLE:
            values.setdefault(field.pk, []).append(value)
        else:
            values[field.pk] = value
    return values


def _audit_form(value):
    if isinstance(value, list):
        return list(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


@transaction.atomic
def values_save(*, actor, fields, values: dict, project, person=None, encounter=None):
    """Write the values {field id: value} of one record (None: empty), for the
    given fields only. One audit row per category changed, so that the history
    shows each change only to who sees its category."""
    owner = {"person": person} if person is not None else {"encounter": encounter}
    subject = person if person is not None else encounter
    if subject is None:
        raise ValueError("values_save needs a person or an encounter")
    before = stored_values(fields, **owner)
    changes_by_category: dict[str, dict] = {}
    for field in fields:
        if field.pk not in values:
            continue
        new, old = values[field.pk], before.get(field.pk)
        if new == old:
            continue
        action = Action.EDIT if old is not None else Action.CREATE
        if not may(actor, action, field.category, project.pk) and not may(
            actor, Action.CREATE, field.category, project.pk
        ):
            raise PermissionDenied(_("You may not fill in “%(field)s”.") % {"field": field.label})
        CustomValue.objects.filter(field=field, **owner).delete()
        CustomValue.objects.bulk_create(
            CustomValue(field=field, category=field.category, **owner, **row)
            for row in _rows(field, new)
        )
        changes_by_category.setdefault(field.category, {})[field.code] = (
            _audit_form(old),
            _audit_form(new),
        )
    if changes_by_category:
        values_saved.send(sender=CustomValue, person=person, encounter=encounter)
    for category, changes in changes_by_category.items():
        audit.record(
            actor=actor,
            event=Event.CUSTOM_VALUES_SAVE,
            subject=subject,
            project=project,
            changes=changes,
            extra={"category": category},
        )
    return changes_by_category
