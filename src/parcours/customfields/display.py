"""Custom values as one reader may see them: the person page, the record,
exports. Only the values of the categories the reader sees in full for the
person (in the project of the field) ever leave this module."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parcours.access.records import FULL, record_scope
from parcours.access.scope import may
from parcours.access.terms import CATEGORY_LABELS, Action, Category
from parcours.customfields.models import CustomField, CustomValue, FieldType


def display_value(field: CustomField, value) -> str:
    if value is None or value == []:
        return "—"
    kind = FieldType(field.type)
    if kind == FieldType.YES_NO:
        return _("yes") if value else _("no")
    if kind in (FieldType.SINGLE, FieldType.MULTIPLE):
        labels = {c.code: c.label for c in field.choices.all()}
        codes = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(code, code) for code in codes)
    if kind == FieldType.DATE:
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == FieldType.INTEGER:
        return str(int(value))
    if kind == FieldType.DECIMAL:
        return format(value.normalize(), "f")
    return str(value)


def typed(field: CustomField, row: CustomValue):
    value = getattr(row, field.column)
    if field.type == FieldType.INTEGER and value is not None:
        return int(value)
    return value


def _collect(rows) -> dict:
    """{(owner id, field): value} of value rows (field and choices loaded)."""
    out: dict = {}
    for row in rows:
        owner = row.person_id or row.encounter_id
        key = (owner, row.field)
        value = typed(row.field, row)
        if row.field.type == FieldType.MULTIPLE:
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    return out


def _rows(**filters):
    return (
        CustomValue.objects.filter(**filters)
        .select_related("field", "field__project")
        .prefetch_related("field__choices")
        .order_by("field__position", "field_id", "text")
    )


def person_values(person, scope) -> list[dict]:
    """[{category, label, rows: [(label, value)]}] of the person's custom values
    the reader sees in full (``scope``: access.records.record_scope)."""
    seen = {}
    for (_owner, field), value in _collect(_rows(person=person)).items():
        if scope.level(field.category, field.project_id) != FULL:
            continue
        label = field.label + ("" if field.active else " " + _("(retired)"))
        seen.setdefault(field.category, []).append((label, display_value(field, value)))
    return [
        {"category": c, "label": CATEGORY_LABELS[Category(c)], "rows": rows}
        for c, rows in seen.items()
    ]


def person_values_raw(person, scope) -> dict:
    """{code: value} of the person's custom values the reader sees (API)."""
    out = {}
    for (_owner, field), value in _collect(_rows(person=person)).items():
        if scope.level(field.category, field.project_id) == FULL:
            out[field.code] = value
    return out


def encounter_values(encounter_ids, scope, project_of: dict) -> dict:
    """{encounter id: [(field, value)]} the reader sees in full; ``project_of``
    maps each encounter id to its project id."""
    out: dict = {}
    rows = _rows(encounter_id__in=list(encounter_ids))
    for (owner, field), value in _collect(rows).items():
        if scope.level(field.category, project_of[owner]) != FULL:
            continue
        out.setdefault(owner, []).append((field, value))
    return out


def add_to_record(record, scope) -> None:
    """The custom values of each encounter shown in full join its details."""
    entries = {e.id: e for e in record.visible_entries() if e.level == FULL}
    if not entries:
        return
    from django.apps import apps

    Encounter = apps.get_model("care", "Encounter")
    project_of = dict(Encounter.objects.filter(pk__in=entries).values_list("pk", "project_id"))
    for encounter_id, pairs in encounter_values(entries, scope, project_of).items():
        entries[encounter_id].details.extend(
            (field.label, display_value(field, value)) for field, value in pairs
        )


def export_columns(user, persons) -> tuple[list[str], dict[int, list[str]]]:
    """Columns of the person-file fields for the people list export: a value
    leaves only if the user may export its category in the field's project
    and sees that category in full for the person (the person page's rule)."""
    values = _collect(_rows(person_id__in=[p.pk for p in persons]))
    exportable = {
        field
        for (_owner, field) in values
        if may(user, Action.EXPORT, Category(field.category), field.project_id)
    }
    fields = sorted(exportable, key=lambda f: (f.project_id, f.position, f.pk))
    several = len({f.project_id for f in fields}) > 1
    headers = [f"{f.label} ({f.project.code})" if several else f.label for f in fields]
    by_person = {p.pk: p for p in persons}
    scopes: dict = {}
    cells: dict[int, list[str]] = {}
    for (owner, field), value in values.items():
        if field not in exportable:
            continue
        if owner not in scopes:
            scopes[owner] = record_scope(user, by_person[owner])
        if scopes[owner].level(field.category, field.project_id) != FULL:
            continue
        row = cells.setdefault(owner, [""] * len(fields))
        row[fields.index(field)] = display_value(field, value)
    return headers, cells
