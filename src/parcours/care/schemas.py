"""What the API reads and writes about encounters and the care record.

Input: ``EncounterIn``. Its ``details`` are the structured fields of the
discipline (``EncounterDetailsIn``), generated from the details models so
that the API offers exactly the fields the services store. The schema only
types the values; ranges, codes, ICD-10 look-ups and cross-field rules are
checked by ``care.validation`` through the services, like the forms.

Output: ``RecordOut`` is filled from ``care.record.person_record`` only, and
what the caller may not see is absent from the JSON (never null): an entry
seen at the "team_note" level has only id, discipline, category,
occurred_at, site, author, is_first_visit, level and team_note.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db import models
from django.utils import translation
from ninja import Field, Schema
from pydantic import create_model

from parcours.access.models import ConsentKind
from parcours.care.choices import TALLY_SEXES, Discipline, InterpreterMode
from parcours.care.services import DETAILS_MODEL, EXTRA_FIELDS
from parcours.care.validation import COMMON_FIELDS, LIST_FIELDS, RANGES
from parcours.lib.api_schemas import MAX_ID, Id, InputSchema
from parcours.people.ages import AGE_GROUPS

DisciplineCode = Literal[tuple(Discipline.values)]
InterpreterModeCode = Literal[tuple(InterpreterMode.values)]
TallySex = Literal[tuple(code for code, _label in TALLY_SEXES)]
TallyAgeGroup = Literal[(*(code for code, *_rest in AGE_GROUPS), "unknown")]


# --- structured details ------------------------------------------------------


class TallyIn(InputSchema):
    sex: TallySex
    age_group: TallyAgeGroup = Field(..., description="An age group code, or unknown.")
    count: int = Field(..., ge=0, le=10000)


class TallyOut(Schema):
    sex: str
    age_group: str
    count: int


EXTRA_DETAILS = {
    "diagnoses": (list[str], list[str], "ICD-10 codes (WHO 2019), e.g. A09."),
    "tallies": (
        list[TallyIn],
        list[TallyOut],
        "People met without registering them, by sex and age group.",
    ),
    "linked_persons": (
        list[Id],
        list[int],
        "Ids of registered persons met during the round (persons you may see).",
    ),
}


def _detail_fields() -> dict[str, tuple[models.Field | None, list[str]]]:
    """Field name → (model field, or None for the extra fields; disciplines)."""
    fields: dict[str, tuple[models.Field | None, list[str]]] = {}
    for discipline, model in DETAILS_MODEL.items():
        for field in model._meta.concrete_fields:
            # Not the link, nor the row key of encrypted values (not editable).
            if field.name != "encounter" and field.editable:
                fields.setdefault(field.name, (field, []))[1].append(discipline.value)
        for name in sorted(EXTRA_FIELDS.get(discipline, ())):
            fields.setdefault(name, (None, []))[1].append(discipline.value)
    return fields


def _types(name: str, field: models.Field | None) -> tuple[Any, Any]:
    """(input type, output type) of one detail field."""
    if field is None:
        return EXTRA_DETAILS[name][:2]
    if name in LIST_FIELDS:
        return list[Literal[tuple(code for code, _label in LIST_FIELDS[name])]], list[str]
    if field.choices:
        return Literal[tuple(value for value, _label in field.flatchoices)], str
    if isinstance(field, models.BooleanField):
        return bool, bool
    if isinstance(field, models.DecimalField):
        return float, float
    if isinstance(field, models.IntegerField):
        return int, int
    if isinstance(field, models.DateField):
        return date, date
    if isinstance(field, models.JSONField):
        return list[str], list[str]
    return str, str


def _description(name: str, field: models.Field | None, disciplines: list[str]) -> str:
    if field is None:
        text = EXTRA_DETAILS[name][2]
    else:
        with translation.override("en"):
            label = str(field.verbose_name)
        text = label[:1].upper() + label[1:] + "."
    if name in RANGES:
        low, high = RANGES[name]
        text += f" From {low} to {high}."
    return f"{text} ({', '.join(disciplines)})"


def _details_schemas() -> tuple[type[Schema], type[Schema]]:
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    for name, (field, disciplines) in _detail_fields().items():
        input_type, output_type = _types(name, field)
        description = _description(name, field, disciplines)
        inputs[name] = (input_type | None, Field(None, description=description))
        outputs[name] = (output_type | None, Field(None, description=description))
    details_in = create_model(
        "EncounterDetailsIn",
        __base__=InputSchema,
        __doc__=(
            "Structured fields of the encounter's discipline (in brackets after each "
            "description); send only those you know. A field of another discipline, "
            "a value out of range or an unknown code is a field error."
        ),
        **inputs,
    )
    details_out = create_model(
        "EncounterDetailsOut",
        __base__=Schema,
        __doc__="The structured fields recorded, with the names and codes of the request.",
        **outputs,
    )
    return details_in, details_out


EncounterDetailsIn, EncounterDetailsOut = _details_schemas()


# --- encounters ----------------------------------------------------------------


class EncounterIn(InputSchema):
    discipline: DisciplineCode
    occurred_at: datetime = Field(
        ...,
        description="ISO 8601 date and time, e.g. 2026-11-20T10:00:00+01:00 (without an "
        "offset: the server's time zone, Europe/Paris). Not in the future, not before "
        "the person's date of birth.",
    )
    site: int = Field(
        ...,
        ge=1,
        le=MAX_ID,
        description="Where it took place: a site of one of the caller's projects "
        "(GET /api/v1/sites). The encounter belongs to the site's project.",
    )
    activity: Id | Annotated[str, Field(max_length=40)] | None = Field(
        None,
        description="The activity type, by id or code (GET /api/v1/sites lists the codes "
        "run at each site).",
    )
    interpreter_mode: InterpreterModeCode | None = Field("", description="Empty: no interpreter.")
    interpreter_language: str | None = Field(
        "", max_length=3, description="ISO 639-1 or 639-3 code, e.g. ti."
    )
    team_note: str | None = Field(
        "",
        description="Note for the team: the other disciplines read it only if the person "
        "consented to team sharing for this category.",
    )
    confidential_note: str | None = Field("", description="Read only by your discipline.")
    follow_up_on: date | None = Field(None, description="Follow-up date, not before the encounter.")
    details: EncounterDetailsIn | None = None
    custom: dict[str, Any] | None = Field(
        None,
        description="The project's custom fields of this discipline: code → value; codes "
        "and types: GET /api/v1/projects/{id}/custom-fields?target=<discipline>. A wrong "
        'value answers 422 at ["body", "custom.<code>"]; nothing is written.',
    )

    def common_data(self) -> dict[str, Any]:
        """The fields shared by every discipline, as the care services expect them."""
        return self.model_dump(include=set(COMMON_FIELDS))

    def details_data(self) -> dict[str, Any]:
        """The detail fields sent (null means not given)."""
        if self.details is None:
            return {}
        return self.details.model_dump(exclude_unset=True, exclude_none=True)


class EncounterOut(Schema):
    id: int
    person: int | None = Field(..., description="Null for anonymous tallies.")
    discipline: str
    category: str
    project: int
    site: int
    activity: int | None
    occurred_at: datetime
    author: str
    is_first_visit: bool = Field(
        ..., description="The person's earliest encounter of this discipline (derived)."
    )
    version: int
    interpreter_mode: str
    interpreter_language: str
    team_note: str
    confidential_note: str
    follow_up_on: date | None
    details: EncounterDetailsOut  # type: ignore[valid-type]
    custom: dict[str, Any] = Field(
        default_factory=dict, description="The project's custom fields: code → value."
    )


# --- the record --------------------------------------------------------------------


class RecordPersonOut(Schema):
    id: int
    codes: list[str]
    display_name: str


class DetailOut(Schema):
    label: str
    value: str


ONLY_FULL = "Only in entries of level full."


class EntryOut(Schema):
    id: int
    discipline: str
    category: str
    occurred_at: datetime
    site: str
    author: str
    is_first_visit: bool
    level: Literal["full", "team_note"] = Field(
        ...,
        description="full: the caller's discipline (or an open break-glass); team_note: "
        "another discipline, shared with the person's consent: only the team note.",
    )
    team_note: str
    follow_up_on: date | None = Field(None, description=ONLY_FULL)
    interpreter: str = Field(None, description=ONLY_FULL)
    confidential_note: str = Field(None, description=ONLY_FULL)
    details: list[DetailOut] = Field(None, description=ONLY_FULL)
    may_edit: bool = Field(None, description=ONLY_FULL)


class SectionOut(Schema):
    category: str
    label: str
    entries: list[EntryOut]
    hidden_count: int = Field(
        ..., description="Entries of this category not shared with the caller's role."
    )


class RecordConsentOut(Schema):
    kind: Literal[tuple(ConsentKind.values)]
    kind_label: str
    category: str
    category_label: str
    status: str
    status_label: str
    decided_at: datetime
    method_label: str
    language: str
    recorded_by: str


class BreakGlassOut(Schema):
    id: int
    role: str
    reason: str
    opened_at: datetime
    expires_at: datetime


class RecordOut(Schema):
    person: RecordPersonOut
    sections: list[SectionOut] = Field(
        ..., description="Categories with entries the caller sees or entries hidden from them."
    )
    restricted_count: int = Field(
        ...,
        description="Strictly restricted entries (e.g. sexual-violence incidents) not shown, "
        "counted without their category.",
    )
    consents: list[RecordConsentOut] = Field(..., description="The decisions in force.")
    break_glass: BreakGlassOut | None = Field(
        ..., description="The caller's open break-glass on this record, if any."
    )
