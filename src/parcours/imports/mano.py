"""What Mano's files look like (see docs/imports.md and the research notes
on Mano's exports): which sheet holds what, its technical columns, and the
quirks of its serialisation.

- The raw export (``data.xlsx``) has one sheet per entity, technical keys as
  headers (custom fields by label), ISO UTC strings for dates, ``true`` as
  text, arrays joined with ", " (teams as UUIDs), JSON for the rest (cut at
  32,766 characters, so long JSON is unparseable), falsy values as empty
  cells, and each record's plaintext ``entityKey`` (never imported).
- The formatted exports (``Personnes suivies.xlsx``, ``Consultations.xlsx``…)
  have one sheet with French labels, every value as text, teams as names,
  booleans as Oui/Non, ``<label> - <type>`` columns for consultation fields.
- The person-import template (``persons.xlsx``, sheet ``personne``) has
  labels and, on row 2, example values.
"""

import json
import re
from datetime import UTC, date, datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.access.terms import Category
from parcours.imports.mapping import suggest_mapping
from parcours.imports.readers import Sheet
from parcours.imports.values import (
    PARIS,
    ValueProblem,
    norm,
    to_date,
)

SOCIAL = Category.SOCIAL.value
MEDICAL = Category.MEDICAL.value

PERSON_WRITABLE = [
    "given_name",
    "family_name",
    "name_original",
    "sex",
    "birth_date",
    "nationality",
    "languages",
    "phone",
]

# Sheet names (lower case) -> entity. Raw export, formatted exports, template.
SHEET_ENTITIES = {
    "personnes suivies": "persons",
    "personnes créées": "persons",
    "personnes": "persons",
    "personne": "persons",
    "persons": "persons",
    "actions": "actions",
    "comments": "comments",
    "commentaires": "comments",
    "passages": "passages",
    "rencontres": "rencontres",
    "territoires": "territories",
    "observations de territoires": "observations",
    "observations": "observations",
    "consultations": "consultations",
    "treatments": "treatments",
    "traitements": "treatments",
    "medical-files": "medical_files",
    "dossiers médicaux": "medical_files",
    "équipes": "teams",
    "contacts": "contacts",
    "structures": "contacts",
}
# Sheets Mano exports that have no place in Parcours (yet), and why.
NOT_IMPORTED = {
    "utilisateurs": gettext_lazy(
        "Mano's user accounts are not persons followed; accounts are created in the configuration."
    ),
    "comptes rendus": gettext_lazy("daily team reports are kept in Parcours' own daily reports."),
    "services": gettext_lazy("Mano's reception counters are not records of persons."),
    "lieux fréquentés": gettext_lazy(
        "places cannot be re-attached to persons from this export (Mano leaves the links out)."
    ),
}
# The order in which entities are imported: persons before what points to them.
ORDER = [
    "teams",
    "contacts",
    "persons",
    "medical_files",
    "consultations",
    "treatments",
    "passages",
    "rencontres",
    "territories",
    "observations",
    "actions",
    "comments",
]
TEAM_COLUMNS = {
    "persons": None,  # from the mapping's teams field
    "consultations": ("teams", "Équipe"),
    "passages": ("team", "Équipe"),
    "rencontres": ("team", "Équipe"),
    "observations": ("team", "Équipe"),
    "actions": ("teams", "team", "Équipe"),
}
MEDICAL_FILE_TECHNICAL = {
    "_id",
    "id",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "person",
    "documents",
    "comments",
    "history",
    "encryptedEntityKey",
    "entityKey",
    "organisation",
    "Nom prénom ou Pseudonyme",
    "Autres pseudos",
    "Genre",
    "Date de naissance",
    "Équipes en charge",
    "Créée par",
    "Créée le",
    "Mise à jour le",
}
CONSULTATION_TECHNICAL = {
    "_id",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "status",
    "dueAt",
    "completedAt",
    "onlyVisibleBy",
    "name",
    "type",
    "person",
    "user",
    "teams",
    "documents",
    "comments",
    "history",
    "isConsultation",
    "withTime",
    "encryptedEntityKey",
    "entityKey",
    "organisation",
    "id",
    "Équipe",
    "Avec heure",
    "Statut",
    "Personne suivie - Nom",
    "Personne suivie - id",
    "Type",
    "Complétée le",
    "À faire le",
    "Créée par",
    "Créée le",
    "Mise à jour le",
}
OBSERVATION_TECHNICAL = {
    "_id",
    "id",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "territory",
    "user",
    "team",
    "observedAt",
    "documents",
    "encryptedEntityKey",
    "entityKey",
    "organisation",
    "Territoire - Nom",
    "Observé le",
    "Équipe",
    "Créée par",
    "Créée le",
    "Mise à jour le",
}
VITALS = {
    "constantes-poids": ("weight_kg", float),
    "constantes-temperature": ("temperature_c", float),
    "constantes-frequence-cardiaque": ("pulse_bpm", int),
    "constantes-tension-arterielle-systolique": ("systolic_mmhg", int),
    "constantes-tension-arterielle-diastolique": ("diastolic_mmhg", int),
    "constantes-frequence-respiratoire": ("respiratory_rate", int),
    "constantes-saturation-o2": ("spo2_percent", int),
}
TRUNCATED = "... [TRONQUÉ]"


def entity_of(sheet: Sheet, mapping: dict, single: bool) -> str | None:
    name = sheet.name.strip().lower()
    if name in SHEET_ENTITIES:
        return SHEET_ENTITIES[name]
    if "contact" in name:  # Mano's contacts template: a sheet whose name contains it
        return "contacts"
    if "person" in name:  # Mano's template reader: the first sheet whose name contains it
        return "persons"
    if single and name not in NOT_IMPORTED:
        return mapping.get("entity", "persons")
    return None


def plan(sheets: list[Sheet], mapping: dict) -> list[tuple[Sheet, str | None]]:
    """The sheets in the order they are imported, each with its entity (None: not imported)."""
    single = len(sheets) == 1
    planned = [(sheet, entity_of(sheet, mapping, single)) for sheet in sheets]
    return sorted(planned, key=lambda p: ORDER.index(p[1]) if p[1] in ORDER else len(ORDER))


def describe(kind: str, planned) -> str:
    entities = {e for _s, e in planned}
    names = {s.name.lower() for s, _e in planned}
    if "personnes suivies" in names and any("_id" in s.header for s, _e in planned):
        return "mano-raw"
    if any(s.name.lower() == "personne" for s, _e in planned):
        return "mano-template"
    if any("id" in s.header and "Nom prénom ou Pseudonyme" in s.header for s, _e in planned) or (
        len(planned) == 1 and entities & {"consultations", "actions", "passages", "rencontres"}
    ):
        return "mano-formatted"
    return kind


def why_not(sheet_name: str) -> str:
    reason = NOT_IMPORTED.get(sheet_name.strip().lower())
    return str(reason) if reason else _("this sheet is not one Parcours knows.")


def fresh_rows(sheet: Sheet):
    return sheet.reopen()


def peek_rows(sheet: Sheet):
    return sheet.reopen()


def team_column(entity: str | None, header: list[str], mapping: dict) -> str | None:
    if entity == "persons":
        columns = person_columns(header, mapping)
        return next((c for c, f in columns.items() if f == "teams"), None)
    for column in TEAM_COLUMNS.get(entity or "") or ():
        if column in header:
            return column
    return None


def present(row: dict, *columns) -> list[str]:
    return [c for c in columns if c in row] or [columns[0]]


def person_columns(header: list[str], mapping: dict) -> dict:
    """Column -> target for the persons sheet: the mapping's, else suggested."""
    columns = dict(mapping.get("columns") or {})
    if not columns:
        columns = suggest_mapping(header)["columns"]
    # A raw export's technical "name" column is Mano's full name.
    if "_id" in header and "name" in header and columns.get("name") in (None, "full_name"):
        columns["name"] = "full_name"
    return columns


def is_template(sheet: Sheet) -> bool:
    return sheet.name.strip().lower() == "personne" and "id" not in sheet.header


def is_template_example(header: list[str], cells: list) -> bool:
    """Row 2 of Mano's template: "test" in text fields, 2021-01-01 in dates."""
    values = dict(zip(header, cells, strict=False))
    return values.get("Nom prénom ou Pseudonyme") == "test" and (
        values.get("Date de naissance") in ("2021-01-01", None)
    )


def row_key(row: dict) -> str | None:
    return row.get("_id") or row.get("id")


def readable(value: str) -> str:
    """A cell as people read it: JSON arrays of strings joined, the truncation mark kept."""
    text = str(value)
    if text.startswith("[") and text.endswith("]"):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, list) and all(isinstance(v, str) for v in data):
            return ", ".join(data)
    return text


def to_datetime(text: str) -> datetime | None:
    """A Mano date or date-time as an aware datetime: ISO UTC strings
    (``…T22:00:00.000Z``: a date typed in Paris, kept as its Paris date at
    noon), the formatted exports' local ``YYYY-MM-DD HH:mm``, dd/mm/yyyy."""
    value = str(text).strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z)?$", value)
    if match:
        day = date.fromisoformat(match.group(1))
        moment = datetime.combine(
            day, time(int(match.group(2)), int(match.group(3)), int(match.group(4) or 0))
        )
        if match.group(5):
            moment = moment.replace(tzinfo=UTC).astimezone(PARIS)
            if moment.time() == time(0, 0):
                return moment.replace(hour=12)
            return moment
        return moment.replace(tzinfo=PARIS)
    try:
        day = to_date(value)
    except ValueProblem:
        return None
    return datetime.combine(day, time(12, 0), tzinfo=PARIS) if day else None


def embedded_comments(cell: str | None) -> tuple[str, list[str]]:
    """Comments embedded as JSON (consultations, treatments): their text, and
    a problem when Mano cut the JSON (cells are cut at 32,766 characters)."""
    if not cell:
        return "", []
    try:
        comments = json.loads(cell)
    except ValueError:
        return "", [
            _(
                "The comments cell is cut JSON (Mano cuts cells at 32,766 characters): its "
                "comments were not imported."
            )
        ]
    lines = []
    for comment in comments if isinstance(comments, list) else []:
        if isinstance(comment, dict) and comment.get("comment"):
            when = str(comment.get("date") or "")[:10]
            lines.append(f"[{when}] {comment['comment']}" if when else str(comment["comment"]))
    return "\n".join(lines), []


def consultation_text(row: dict, kind: str) -> tuple[str, list[str]]:
    """The consultation's own fields as text for the confidential note. In
    the formatted export every field of every type has a column
    "<label> - <type>": only those of the row's own type are kept."""
    lines = []
    suffix = f" - {kind}"
    for label, value in row.items():
        if not value or label in CONSULTATION_TECHNICAL or label.startswith("constantes-"):
            continue
        if " - " in label:
            if not label.endswith(suffix):
                continue
            label = label[: -len(suffix)]
        lines.append(f"{label}: {readable(value)}")
    comments, problems = embedded_comments(row.get("comments"))
    if comments:
        lines.append(comments)
    if any(TRUNCATED in line for line in lines):
        problems.append(_("A text was cut by Mano (… [TRONQUÉ]): imported as cut."))
    return "\n".join(lines), problems


def vitals(row: dict) -> dict:
    values = {}
    for column, (field, kind) in VITALS.items():
        raw = row.get(column)
        if not raw:
            continue
        try:
            number = kind(float(str(raw).replace(",", ".")))
        except ValueError:
            problem = ValueProblem(_("“%(value)s” is not a number.") % {"value": raw[:40]})
            problem.column, problem.value = column, raw
            raise problem from None
        values[field] = round(number, 1) if kind is float else number
    return values


def observation_figures(row: dict) -> tuple[list[tuple[str, int]], str]:
    tallies, lines = [], []
    for label, value in row.items():
        if not value or label in OBSERVATION_TECHNICAL:
            continue
        key = norm(label)
        if key.startswith("nombre de personnes non connues"):
            try:
                count = int(float(value))
            except ValueError:
                count = 0
            sex = "female" if "femme" in key else "male"
            if count > 0:
                tallies.append((sex, count))
            continue
        lines.append(f"{label}: {readable(value)}")
    return tallies, "\n".join(lines)


ACTION_STATUS = {"A FAIRE": "todo", "FAIT": "done", "ANNULEE": "cancelled"}


def action_status(value: str | None) -> str:
    return ACTION_STATUS.get((value or "").strip().upper(), (value or "")[:40])
