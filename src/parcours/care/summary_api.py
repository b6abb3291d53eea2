"""API: the clinical summary of a person, read and written under the rules
of the pages.

Reading needs the medical category in full for the person (404 otherwise,
like a person that does not exist) and writes one access-log row. Writing
needs the medical create or edit right in one of the person's projects
(403 for a caller who sees the person but not that right, 404 for one who
does not see the person). An edit sends the ``version`` it read: a stale
one answers 409 with the current version, and nothing is written.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from parcours.access.records import category_person_for
from parcours.access.scope import person_for
from parcours.access.terms import Category
from parcours.audit.events import Read
from parcours.care import summary_services as services
from parcours.care.models import PregnancyStatus, Severity
from parcours.care.summary import Item, clinical_summary, summary_item
from parcours.care.summary_validation import FIELDS, LIST_KINDS
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import Id, InputSchema

router = Router(tags=["clinical summary"])

ListKind = Literal[LIST_KINDS]
READ_ERRORS = {**AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS}


# --- schemas -------------------------------------------------------------------


class ItemOut(Schema):
    kind: str
    id: int
    version: int = Field(..., description="Send it back to edit the item.")
    current: bool = Field(
        ...,
        description="Allergy or condition not ended; treatment whose period includes today.",
    )
    from_encounter: int | None = Field(
        None, description="The medical encounter the item was derived from, if any."
    )


class AllergyOut(ItemOut):
    substance: str
    reaction: str
    severity: str
    ended_on: date | None


class ConditionOut(ItemOut):
    icd10: str
    label: str
    since: date | None
    note: str
    resolved_on: date | None


class TreatmentOut(ItemOut):
    name: str
    dose: str
    since: date
    until: date | None


class VaccinationOut(ItemOut):
    vaccine: str
    given_on: date
    note: str


class PregnancyOut(Schema):
    version: int
    status: str
    due_date: date | None
    as_of: date = Field(..., description="The date of the information.")
    from_encounter: int | None = None


class VitalsOut(Schema):
    encounter: int
    occurred_at: datetime
    temperature_c: float | None
    pulse_bpm: int | None
    systolic_mmhg: int | None
    diastolic_mmhg: int | None
    respiratory_rate: int | None
    spo2_percent: int | None
    weight_kg: float | None


class ClinicalSummaryOut(Schema):
    person: int
    allergies: list[AllergyOut]
    conditions: list[ConditionOut]
    treatments: list[TreatmentOut] = Field(..., description="Current and past; see current.")
    vaccinations: list[VaccinationOut]
    pregnancy: PregnancyOut | None
    last_vital_signs: VitalsOut | None = Field(
        ..., description="From the latest medical encounter with vital signs (read, not stored)."
    )


class ItemIn(InputSchema):
    """One item; send only the fields of its kind (another kind's field is a
    field error). allergy: substance*, reaction, severity, ended_on;
    condition: icd10*, since, note, resolved_on; treatment: name*, dose,
    since*, until; vaccination: vaccine*, given_on*, note (* required)."""

    kind: ListKind
    substance: str | None = Field(None, max_length=120)
    reaction: str | None = Field(None, max_length=255)
    severity: Literal[tuple(Severity.values)] | Literal[""] | None = None
    ended_on: date | None = None
    icd10: str | None = Field(None, max_length=8, description="ICD-10 code, e.g. E11.")
    since: date | None = None
    note: str | None = Field(None, max_length=255)
    resolved_on: date | None = None
    name: str | None = Field(None, max_length=255)
    dose: str | None = Field(None, max_length=120)
    until: date | None = Field(None, description="Not before since.")
    vaccine: str | None = Field(None, max_length=120)
    given_on: date | None = None

    def data(self) -> dict:
        return self.model_dump(exclude_unset=True, exclude={"kind", "id", "version"})


class ItemPatch(ItemIn):
    """The fields to change, with the item's id and the version read."""

    id: Id
    version: int


class PregnancyIn(InputSchema):
    version: int | None = Field(
        ..., description="The version read; null when the person has no pregnancy status yet."
    )
    status: Literal[tuple(PregnancyStatus.values)] | None = None
    due_date: date | None = Field(None, description="Only when pregnant.")

    def data(self) -> dict:
        return self.model_dump(exclude_unset=True, exclude={"version"})


class StaleOut(Schema):
    detail: str
    version: int = Field(..., description="The current version of the item.")


WRITE_ERRORS = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, 409: StaleOut, **FIELD_ERRORS}


# --- output --------------------------------------------------------------------


def _item(item: Item) -> dict:
    return {
        "kind": item.kind,
        "id": item.id,
        "version": item.version,
        "current": item.current,
        "from_encounter": item.from_encounter,
        **{name: item.fields.get(name) for name in FIELDS[item.kind]},
        **({"label": item.fields["label"]} if item.kind == "condition" else {}),
    }


def _row_out(kind: str, row) -> dict:
    return _item(summary_item(kind, row))


def _stale(stale: services.StaleItem):
    return Status(
        409,
        {
            "detail": _("Someone changed this item after you read it: read it again."),
            "version": stale.item.version,
        },
    )


# --- routes --------------------------------------------------------------------


@router.get("/persons/{id}/clinical-summary", response={200: ClinicalSummaryOut, **READ_ERRORS})
def clinical_summary_read(request: HttpRequest, id: Path[Id]):
    """The person's clinical summary: allergies, chronic conditions,
    treatments, vaccinations, pregnancy status and the last vital signs.

    Only for who sees the person's medical information in full (404
    otherwise); access-logged.
    """
    user = request.auth
    person = category_person_for(
        user, id, Category.MEDICAL, read=Read.CLINICAL_SUMMARY, request=request
    )
    summary = clinical_summary(user, person)
    pregnancy = summary.pregnancy
    vitals = summary.vitals
    return {
        "person": person.pk,
        "allergies": [_item(i) for i in summary.allergies],
        "conditions": [_item(i) for i in summary.conditions],
        "treatments": [_item(i) for i in summary.treatments],
        "vaccinations": [_item(i) for i in summary.vaccinations],
        "pregnancy": None
        if pregnancy is None
        else {
            "version": pregnancy.version,
            "status": pregnancy.fields["status"],
            "due_date": pregnancy.fields["due_date"],
            "as_of": pregnancy.fields["as_of"],
            "from_encounter": pregnancy.from_encounter,
        },
        "last_vital_signs": None
        if vitals is None
        else {
            "encounter": vitals.encounter,
            "occurred_at": vitals.occurred_at,
            **{
                k: (float(v) if v is not None and k in ("temperature_c", "weight_kg") else v)
                for k, v in vitals.values.items()
            },
        },
    }


@router.post(
    "/persons/{id}/clinical-summary/items",
    response={201: AllergyOut | ConditionOut | TreatmentOut | VaccinationOut, **WRITE_ERRORS},
)
def clinical_summary_item_create(request: HttpRequest, id: Path[Id], payload: ItemIn):
    """Add an allergy, a chronic condition, a treatment or a vaccination.

    422 with field errors for bad input (an allergy without a substance, a
    treatment ending before it starts…); nothing is written then.
    """
    # The answer shows the summary's content: the read is logged like a GET.
    person = person_for(request.auth, id, read=Read.CLINICAL_SUMMARY, request=request)
    item = services.summary_item_create(
        actor=request.auth, person=person, kind=payload.kind, data=payload.data()
    )
    return Status(201, _row_out(payload.kind, item))


@router.patch(
    "/persons/{id}/clinical-summary/items",
    response={200: AllergyOut | ConditionOut | TreatmentOut | VaccinationOut, **WRITE_ERRORS},
)
def clinical_summary_item_update(request: HttpRequest, id: Path[Id], payload: ItemPatch):
    """Change an item (named by ``id`` and ``kind``): only the fields sent.

    End it by sending its end date (``ended_on``, ``resolved_on`` or
    ``until``). 409 if ``version`` is not the current one.
    """
    # The answer shows the summary's content: the read is logged like a GET.
    person = person_for(request.auth, id, read=Read.CLINICAL_SUMMARY, request=request)
    try:
        item = services.summary_item_update(
            actor=request.auth,
            person=person,
            kind=payload.kind,
            item_id=payload.id,
            version=payload.version,
            data=payload.data(),
        )
    except services.StaleItem as stale:
        return _stale(stale)
    return _row_out(payload.kind, item)


@router.patch(
    "/persons/{id}/clinical-summary/pregnancy",
    response={200: PregnancyOut, **WRITE_ERRORS},
)
def clinical_summary_pregnancy_set(request: HttpRequest, id: Path[Id], payload: PregnancyIn):
    """Set the pregnancy status and the estimated due date (``version``: the
    one read, null the first time). 409 if someone changed it meanwhile."""
    # The answer shows the summary's content: the read is logged like a GET.
    person = person_for(request.auth, id, read=Read.CLINICAL_SUMMARY, request=request)
    try:
        row = services.pregnancy_set(
            actor=request.auth, person=person, version=payload.version, data=payload.data()
        )
    except services.StaleItem as stale:
        return _stale(stale)
    return {
        "version": row.version,
        "status": row.status,
        "due_date": row.due_date,
        "as_of": row.as_of,
        "from_encounter": row.source_encounter_id,
    }
