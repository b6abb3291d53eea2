"""API: recording encounters and reading a person's care record.

Same rules as the pages: every person is looked up through
``person_for`` (404 for "does not exist" and "not yours to see" alike),
encounters are written only by ``care.services.encounter_record``, and the
record is built only by ``care.record.person_record``, which has already
dropped what the caller may not see. Every record read is access-logged
once (channel "api").
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from parcours.access.scope import person_for, projects_where, working_projects
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.care import services
from parcours.care.choices import DISCIPLINE_CATEGORY, TALLY_DISCIPLINES
from parcours.care.extensions import encounter_values_read, encounter_values_write
from parcours.care.models import Encounter
from parcours.care.record import FULL, TEAM_NOTE, Entry, person_record
from parcours.care.schemas import EncounterIn, EncounterOut, RecordOut
from parcours.care.validation import clean_encounter
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut, field_errors
from parcours.lib.api_schemas import Id
from parcours.org.models import ActivityType, Site
from parcours.people.models import Person
from parcours.people.schemas import ReadQuery

router = Router(tags=["care"])

WRITE_ERRORS = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, **FIELD_ERRORS}

# The keys of a record entry at each level: anything else never leaves the server.
TEAM_NOTE_KEYS = (
    "id",
    "discipline",
    "category",
    "occurred_at",
    "site",
    "author",
    "is_first_visit",
    "level",
    "team_note",
)
FULL_KEYS = (*TEAM_NOTE_KEYS, "follow_up_on", "interpreter", "confidential_note", "may_edit")

# Fields of the request body outside "details"; the services name every
# other field they refuse after the detail field it is.
TOP_LEVEL_FIELDS = set(EncounterIn.model_fields)


# --- writing encounters ------------------------------------------------------


def _locate(errors: list[dict]) -> list[dict]:
    """Service errors located where the client sent the value."""
    for error in errors:
        loc = error["loc"]
        if len(loc) != 2 or str(loc[1]).startswith("custom"):
            continue
        if loc[1] == "person":
            error["loc"] = ["path", "id"]
        elif loc[1] not in TOP_LEVEL_FIELDS:
            error["loc"] = ["body", "details", loc[1]]
    return errors


def _activity(value: int | str) -> ActivityType | None:
    if isinstance(value, int):
        return ActivityType.objects.filter(pk=value).first()
    return ActivityType.objects.filter(code=value.strip()).first()


def _record(request: HttpRequest, payload: EncounterIn, person: Person | None):
    user = request.auth
    errors: dict[str, list[str]] = {}
    if person is None and payload.discipline not in TALLY_DISCIPLINES:
        errors["discipline"] = [
            _(
                "Only outreach rounds and day-centre attendance are recorded without a "
                "person; record the others on the person (/api/v1/persons/{id}/encounters)."
            )
        ]
    # A site outside the caller's projects answers like one that does not exist.
    site = (
        Site.objects.select_related("project")
        .filter(pk=payload.site, project_id__in=working_projects(user))
        .first()
    )
    if site is None:
        errors["site"] = [_("Unknown site: choose one of your projects' sites.")]
    activity = None
    if payload.activity is not None:
        activity = _activity(payload.activity)
        if activity is None:
            errors["activity"] = [_("Unknown activity type.")]
    try:
        if errors:
            # Reported with the data's own errors, all at once.
            clean_encounter(
                payload.common_data(),
                payload.details_data(),
                person=person,
                allowed_fields=services.detail_fields(payload.discipline),
                errors=errors,
            )
        # The service checks the role (PermissionDenied → 403) and the data.
        with transaction.atomic():
            encounter = services.encounter_record(
                actor=user,
                discipline=payload.discipline,
                site=site,
                data=payload.common_data(),
                details=payload.details_data(),
                person=person,
                activity=activity,
            )
            # The project's custom fields: a value refused cancels the encounter.
            encounter_values_write(actor=user, encounter=encounter, raw=payload.custom)
    except ValidationError as error:
        return Status(422, {"detail": _locate(field_errors(error))})
    out = _encounter_out(encounter)
    out.update(encounter_values_read(user, encounter))
    return Status(201, out)


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def _encounter_out(encounter: Encounter) -> dict:
    """The encounter its author just wrote, with every field of its discipline."""
    model = services.DETAILS_MODEL[encounter.discipline]
    row = model.objects.filter(encounter=encounter).first()
    details = {}
    if row is not None:
        details = {
            field.name: _plain(getattr(row, field.name))
            for field in model._meta.concrete_fields
            if field.name != "encounter" and field.editable  # not the row key
        }
    extra = services.EXTRA_FIELDS.get(encounter.discipline, set())
    if "diagnoses" in extra:
        details["diagnoses"] = list(encounter.diagnoses.values_list("icd10", flat=True))
    if "tallies" in extra:
        details["tallies"] = list(encounter.tallies.values("sex", "age_group", "count"))
    if "linked_persons" in extra:
        details["linked_persons"] = list(encounter.linked.values_list("person_id", flat=True))
    return {
        "id": encounter.pk,
        "person": encounter.person_id,
        "discipline": encounter.discipline,
        "category": DISCIPLINE_CATEGORY[encounter.discipline].value,
        "project": encounter.project_id,
        "site": encounter.site_id,
        "activity": encounter.activity_id,
        "occurred_at": encounter.occurred_at,
        "author": str(encounter.author),
        "is_first_visit": encounter.is_first_visit,
        "version": encounter.version,
        "interpreter_mode": encounter.interpreter_mode,
        "interpreter_language": encounter.interpreter_language,
        "team_note": encounter.team_note,
        "confidential_note": encounter.confidential_note,
        "follow_up_on": encounter.follow_up_on,
        "details": details,
    }


@router.post(
    "/persons/{id}/encounters",
    response={201: EncounterOut, **WRITE_ERRORS},
    exclude_unset=True,
)
def encounter_create(request: HttpRequest, id: Path[Id], payload: EncounterIn):
    """Record an encounter of one discipline with the person.

    404 if the person is not one the caller may see; 403 if the caller's
    role may not record this discipline in the site's project; 422 with
    field errors for a bad value (``["body", "details", <field>]`` for the
    structured fields). Nothing is written on error. ``is_first_visit`` is
    derived from the person's earlier encounters of the discipline.
    """
    person = person_for(request.auth, id)
    return _record(request, payload, person)


@router.post("/encounters", response={201: EncounterOut, **WRITE_ERRORS}, exclude_unset=True)
def tally_create(request: HttpRequest, payload: EncounterIn):
    """Record an outreach round or a day-centre attendance without a person.

    Only the disciplines ``outreach`` and ``day_centre``; the people met are
    counted in ``details.tallies`` (and, for rounds, the registered persons
    met in ``details.linked_persons``). Same errors as on a person.
    """
    return _record(request, payload, None)


# --- reading the record ------------------------------------------------------------


def _entry(entry: Entry) -> dict:
    keys = FULL_KEYS if entry.level == FULL else TEAM_NOTE_KEYS
    out = {key: getattr(entry, key) for key in keys}
    if entry.level == FULL:
        out["details"] = [{"label": label, "value": value} for label, value in entry.details]
    return out


@router.get(
    "/persons/{id}/record",
    response={200: RecordOut, **AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS},
    exclude_unset=True,
)
def record_read(request: HttpRequest, id: Path[Id], filters: Query[ReadQuery]):
    """The person's care record as the caller may see it (access-logged).

    Each section lists the entries of one category the caller sees, in full
    (their discipline) or as the team note only (another discipline, with
    the person's consent to team sharing), and counts those it may not see.
    What is not shown is absent, not flagged: a team-note entry has no
    confidential note and no details; strictly restricted entries
    (sexual-violence incidents) appear only in ``restricted_count``.
    """
    user = request.auth
    person = person_for(user, id, read=Read.RECORD, request=request)
    record = person_record(user, person)
    seen = projects_where(user, Action.VIEW, Category.IDENTITY)
    opening = record.break_glass
    return {
        "person": {
            "id": person.pk,
            "codes": [e.code for e in person.enrolments.all() if e.project_id in seen],
            "display_name": person.display_name,
        },
        "sections": [
            {
                "category": section.category,
                "label": section.label,
                "entries": [_entry(e) for e in section.entries if e.level in (FULL, TEAM_NOTE)],
                "hidden_count": section.hidden_count,
            }
            for section in record.sections
        ],
        "restricted_count": record.restricted_count,
        "consents": [
            {
                "kind": c["kind"],
                "kind_label": str(c["kind_label"]),
                "category": c["category"],
                "category_label": str(c["category_label"]),
                "status": c["status"],
                "status_label": str(c["status_label"]),
                "decided_at": c["decided_at"],
                "method_label": str(c["method"]),
                "language": c["language"],
                "recorded_by": c["recorded_by"],
            }
            for c in record.consents
        ],
        "break_glass": None
        if opening is None
        else {
            "id": opening.pk,
            "role": opening.role,
            "reason": opening.reason,
            "opened_at": opening.opened_at,
            "expires_at": opening.expires_at,
        },
    }
