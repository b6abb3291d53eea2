"""XLSForm (ODK / KoboToolbox) in and out of a project's custom fields.

Import: the file is first converted by ``pyxform`` (so that its errors are
the ones ODK users know), then the supported subset is mapped to custom
fields through the same service as the design pages, in one transaction:
any error and nothing is written; a dry run always rolls back. What the
subset does not cover is listed in the report's ``unsupported``, never
dropped silently.

Export: the active fields of a form as an .xlsx (survey, choices,
settings) that ``pyxform`` converts without error.
"""

import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.customfields import services
from parcours.customfields.models import CustomField, FieldType
from parcours.customfields.validation import NO, YES

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
SIMPLE = {
    "text": FieldType.TEXT,
    "integer": FieldType.INTEGER,
    "decimal": FieldType.DECIMAL,
    "date": FieldType.DATE,
}
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "audit", "email"}
LANG_FR = ("français (fr)", "french (fr)", "fr", "français", "french")
LANG_EN = ("english (en)", "en", "english", "anglais (en)")
_REL_EQ = re.compile(r"^\$\{(\w+)\}\s*=\s*'([^']*)'$")
_REL_SELECTED = re.compile(r"^selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)$")
_CONSTRAINT = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")


class Report(dict):
    def __init__(self):
        super().__init__(created=[], unsupported=[], errors=[])


# --- reading ------------------------------------------------------------------------


def _sheet(book, name: str) -> list[dict]:
    if name not in book.sheetnames:
        return []
    rows = book[name].iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return []
    keys = [str(h).strip() if h is not None else "" for h in header]
    out = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            break
        row = {k: ("" if v is None else str(v).strip()) for k, v in zip(keys, values, strict=False)}
        if any(row.values()):
            row["_row"] = number
            out.append(row)
    return out


def _lang_value(row: dict, column: str, languages) -> str:
    for key, value in row.items():
        if not value or not key.lower().startswith(column + "::"):
            continue
        if key.split("::", 1)[1].strip().lower() in languages:
            return value
    return ""


def _labels(row: dict, column: str) -> tuple[str, str]:
    fr = _lang_value(row, column, LANG_FR)
    en = _lang_value(row, column, LANG_EN)
    plain = row.get(column, "")
    return (fr or plain or en)[:200], (en or plain or fr)[:200]


def _relevance(expression: str):
    """(field code, [values]) of a simple condition, or None."""
    parts = [p.strip() for p in re.split(r"\s+or\s+", expression.strip())]
    code, values = None, []
    for part in parts:
        match = _REL_EQ.match(part) or _REL_SELECTED.match(part)
        if match is None or (code is not None and match.group(1) != code):
            return None
        code = match.group(1)
        values.append(match.group(2))
    return (code, values) if code else None


def _constraint(expression: str):
    """(min, max) of ``. >= a and . <= b`` (either side), or None."""
    low = high = None
    for part in re.split(r"\s+and\s+", expression.strip()):
        match = _CONSTRAINT.match(part.strip())
        if match is None:
            return None
        try:
            value = Decimal(match.group(2))
        except InvalidOperation:
            return None
        if match.group(1) == ">=":
            low = value
        else:
            high = value
    return low, high


def _required(value: str) -> bool:
    return value.strip().lower() in ("yes", "true", "true()", "1")


# --- mapping -----------------------------------------------------------------------


def _plan(survey: list[dict], choices: list[dict], report: Report) -> list[dict]:
    """The fields to create, in order: {data, choices, relevant: (code, values)}."""
    lists: dict[str, list[dict]] = {}
    for row in choices:
        fr, en = _labels(row, "label")
        lists.setdefault(row.get("list_name", ""), []).append(
            {"code": row.get("name", ""), "label_fr": fr, "label_en": en}
        )
    planned, sections, repeat_depth, pending_note = [], [], 0, ""

    def unsupported(row, reason):
        report["unsupported"].append(
            {"row": row["_row"], "name": row.get("name", ""), "type": kind, "reason": reason}
        )

    for row in survey:
        kind = re.sub(r"\s+", " ", row.get("type", "")).strip()
        word = kind.split(" ")[0].replace("-", "_")
        if word in ("begin_repeat", "begin") and "repeat" in kind:
            repeat_depth += 1
            unsupported(row, _("Repeats are not supported: the questions inside are not imported."))
            continue
        if word in ("end_repeat", "end") and "repeat" in kind:
            repeat_depth = max(0, repeat_depth - 1)
            continue
        if repeat_depth:
            unsupported(row, _("Inside a repeat: not imported."))
            continue
        if kind in ("begin_group", "begin group"):
            fr, en = _labels(row, "label")
            sections.append(fr or en or row.get("name", ""))
            continue
        if kind in ("end_group", "end group"):
            if sections:
                sections.pop()
            continue
        if kind == "note":
            fr, en = _labels(row, "label")
            pending_note = fr or en
            continue
        if not kind:
            continue
        if kind in METADATA:
            unsupported(row, _("Device metadata is not a field: not imported."))
            continue
        field_type, choice_list = None, []
        if kind in SIMPLE:
            field_type = SIMPLE[kind]
            if kind == "text" and "multiline" in row.get("appearance", ""):
                field_type = FieldType.LONG_TEXT
        elif word in ("select_one", "select_multiple") and len(kind.split(" ")) == 2:
            choice_list = lists.get(kind.split(" ")[1], [])
            codes = {c["code"] for c in choice_list}
            if word == "select_one":
                field_type = FieldType.YES_NO if codes == {YES, NO} else FieldType.SINGLE
            else:
                field_type = FieldType.MULTIPLE
        elif word == "calculate":
            unsupported(row, _("Calculations are not supported: not imported."))
            continue
        else:
            unsupported(row, _("This type of question is not supported: not imported."))
            continue
        fr, en = _labels(row, "label")
        help_fr, help_en = _labels(row, "hint")
        if not (help_fr or help_en) and pending_note:
            help_fr = help_en = pending_note[:300]
        pending_note = ""
        data = {
            "code": row.get("name", ""),
            "type": field_type,
            "label_fr": fr,
            "label_en": en,
            "help_fr": help_fr[:300],
            "help_en": help_en[:300],
            "section": (sections[-1] if sections else "")[:100],
            "required": _required(row.get("required", "")),
        }
        if row.get("constraint"):
            bounds = _constraint(row["constraint"]) if field_type in SIMPLE.values() else None
            if bounds is None or field_type not in (FieldType.INTEGER, FieldType.DECIMAL):
                unsupported(
                    row,
                    _("Only “. >= n and . <= m” on numbers is supported: imported without it."),
                )
            else:
                data["min_value"], data["max_value"] = bounds
        relevant = None
        if row.get("relevant"):
            relevant = _relevance(row["relevant"])
            if relevant is None:
                unsupported(
                    row,
                    _(
                        "Only conditions “${field} = 'value'” or “selected(${field}, 'value')” "
                        "joined by “or” are supported: imported without the condition."
                    ),
                )
        planned.append(
            {"row": row["_row"], "data": data, "choices": choice_list, "relevant": relevant}
        )
    return planned


def import_form(*, actor, project, target: str, content: bytes, dry_run: bool) -> Report:
    """Check ``content`` with pyxform, map it, create the fields (unless a dry
    run or an error: then nothing is written). Returns the report."""
    report = Report()
    if len(content) > MAX_BYTES:
        report["errors"].append({"row": None, "message": _("The file is larger than 2 MB.")})
        return report
    try:
        convert(content, file_type=".xlsx", form_name="data")
    except PyXFormError as error:
        report["errors"].append({"row": None, "message": str(error)[:500]})
        return report
    except Exception:  # noqa: BLE001 - any unreadable file is the user's input, not a crash
        report["errors"].append(
            {"row": None, "message": _("The file is not an XLSForm that can be read.")}
        )
        return report
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        report["errors"].append(
            {"row": None, "message": _("Only .xlsx files are read (not .xls or .csv).")}
        )
        return report
    planned = _plan(_sheet(book, "survey"), _sheet(book, "choices"), report)
    with transaction.atomic():
        created: dict[str, CustomField] = {
            f.code: f for f in services.form_fields(project.pk, target)
        }
        for item in planned:
            data = dict(item["data"])
            if item["relevant"] is not None:
                code, values = item["relevant"]
                data["relevant_field"] = created.get(code)
                data["relevant_values"] = values
            try:
                field = services.field_create(
                    actor=actor, project=project, target=target, data=data, choices=item["choices"]
                )
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    for message in messages:
                        report["errors"].append(
                            {"row": item["row"], "message": f"{data['code']} ({key}): {message}"}
                        )
                continue
            except PermissionDenied as error:
                report["errors"].append({"row": item["row"], "message": str(error)})
                break
            created[field.code] = field
            report["created"].append({"code": field.code, "type": field.type, "label": field.label})
        if not report["errors"] and not dry_run and report["created"]:
            audit.record(
                actor=actor,
                event=Event.CUSTOM_FORM_IMPORT,
                subject=project,
                project=project,
                extra={"target": target, "created": [c["code"] for c in report["created"]]},
            )
        if report["errors"] or dry_run:
            transaction.set_rollback(True)
    return report


# --- export ------------------------------------------------------------------------

SURVEY_COLUMNS = [
    "type",
    "name",
    "label::Français (fr)",
    "label::English (en)",
    "hint::Français (fr)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "appearance",
]


def _type_of(field: CustomField) -> tuple[str, str]:
    kind = FieldType(field.type)
    if kind == FieldType.LONG_TEXT:
        return "text", "multiline"
    if kind == FieldType.YES_NO:
        return "select_one yes_no", ""
    if kind == FieldType.SINGLE:
        return f"select_one {field.code}", ""
    if kind == FieldType.MULTIPLE:
        return f"select_multiple {field.code}", ""
    return kind.value if kind != FieldType.TEXT else "text", ""


def _relevant_of(field: CustomField) -> str:
    parent = field.relevant_field
    if parent is None or not field.relevant_values:
        return ""
    if parent.type == FieldType.MULTIPLE:
        parts = [f"selected(${{{parent.code}}}, '{v}')" for v in field.relevant_values]
    else:
        parts = [f"${{{parent.code}}} = '{v}'" for v in field.relevant_values]
    return " or ".join(parts)


def _constraint_of(field: CustomField) -> str:
    parts = []
    if field.min_value is not None:
        parts.append(f". >= {format(field.min_value.normalize(), 'f')}")
    if field.max_value is not None:
        parts.append(f". <= {format(field.max_value.normalize(), 'f')}")
    return " and ".join(parts)


def export_form(project, target: str) -> bytes:
    fields = services.form_fields(project.pk, target)
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Français (fr)", "label::English (en)"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append([f"{project.code} {target}", f"parcours_{project.code}_{target}".lower(), "fr"])
    section, groups, yes_no = "", 0, False
    for field in fields:
        if field.section != section:
            if section:
                survey.append(["end_group"])
            if field.section:
                groups += 1
                survey.append(["begin_group", f"section_{groups}", field.section, field.section])
            section = field.section
        kind, appearance = _type_of(field)
        survey.append(
            [
                kind,
                field.code,
                field.label_fr or field.label_en,
                field.label_en or field.label_fr,
                field.help_fr,
                field.help_en,
                "yes" if field.required else "",
                _relevant_of(field),
                _constraint_of(field),
                appearance,
            ]
        )
        if field.type == FieldType.YES_NO:
            yes_no = True
        for choice in field.choices.all():
            if not choice.retired:
                choices.append(
                    [
                        field.code,
                        choice.code,
                        choice.label_fr or choice.label_en,
                        choice.label_en or choice.label_fr,
                    ]
                )
    if section:
        survey.append(["end_group"])
    if yes_no:
        choices.append(["yes_no", YES, "Oui", "Yes"])
        choices.append(["yes_no", NO, "Non", "No"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
