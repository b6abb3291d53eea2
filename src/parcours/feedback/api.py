"""API: the public feedback route (no token), the items for staff within
their rights, their handling with version (409 if stale), and testimonies
within the advocacy rules.

A sensitive item exists only for the safeguarding focal points: for anyone
else it is absent from the list and "not found" on update.
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from parcours.access.models import TestimonyUse
from parcours.feedback import public_texts, rules, services, testimonies
from parcours.feedback.models import FeedbackItem
from parcours.feedback.models import Status as ItemStatus
from parcours.feedback.public import client_address
from parcours.feedback.references import normalise
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import MAX_ID, InputSchema

router = Router(tags=["feedback"])

MAX_RESULTS = 500


class FeedbackIn(InputSchema):
    project: str = Field(..., max_length=50, description="The project's code, e.g. CAL.")
    site: int | None = Field(None, ge=1, le=MAX_ID)
    language: str = Field("fr", max_length=8, description="fr, en, ar, ti, am, ps, prs, so.")
    message: str = Field(..., description="At most 5,000 characters.")
    topic: str | None = Field(None, max_length=40, description="A category code, or none.")
    contact: str | None = Field(None, description="How to reach the person; none: anonymous.")
    website: str | None = Field(None, description="Leave empty (a trap for robots).")


class ReferenceOut(Schema):
    reference: str


class RateOut(Schema):
    detail: str


@router.post(
    "/feedback",
    auth=None,
    response={201: ReferenceOut, 429: RateOut, **FIELD_ERRORS},
    summary="Send feedback (public, no token)",
)
def feedback_submit(request: HttpRequest, payload: FeedbackIn):
    """The public page's checks: a known open project (and site), a message of
    1 to 5,000 readable characters, a known topic, at most 10 submissions an
    hour from one address (429 after). Errors are in the language sent.
    Returns the reference the person quotes to follow up; nothing else about
    any submission is ever returned."""
    from django.utils import translation

    if payload.language not in public_texts.PUBLIC_LANGUAGES:
        # Not saved as French behind the sender's back: the language is a figure.
        raise ValidationError(
            {
                "language": [
                    _("Unknown language: one of %(codes)s.")
                    % {"codes": ", ".join(public_texts.PUBLIC_LANGUAGES)}
                ]
            }
        )
    language = payload.language
    with translation.override(language):
        project = services.public_project(payload.project)
        if project is None:
            raise ValidationError({"project": [public_texts.text("unknown_project")]})
        site = None
        if payload.site is not None:
            site = services.public_site(project, payload.site)
            if site is None:
                raise ValidationError({"site": [public_texts.text("unknown_project")]})
        try:
            item = services.public_submit(
                project=project,
                site=site,
                language=language,
                message=payload.message,
                topic=payload.topic or "",
                contact=payload.contact or "",
                honeypot=payload.website or "",
                address=client_address(request),
            )
        except services.RateLimited:
            return Status(429, {"detail": public_texts.text("error_rate")})
    return Status(201, {"reference": item.reference})


class ItemOut(Schema):
    reference: str
    project: int
    site: int | None
    channel: str
    language: str
    category: str
    sensitive: bool
    status: str
    message: str
    contact: str
    received_at: datetime
    acknowledge_due: date
    respond_due: date
    handler: int | None
    response: str
    response_method: str
    version: int


class ItemListOut(Schema):
    count: int
    results: list[ItemOut]


class ItemQuery(InputSchema):
    project: int | None = Field(None, ge=1, le=MAX_ID)
    status: ItemStatus | None = None


def _out(item: FeedbackItem) -> dict:
    return {
        "reference": item.reference,
        "project": item.project_id,
        "site": item.site_id,
        "channel": item.channel,
        "language": item.language,
        "category": item.category,
        "sensitive": item.sensitive,
        "status": item.status,
        "message": item.message,
        "contact": item.contact,
        "received_at": item.received_at,
        "acknowledge_due": item.acknowledge_due,
        "respond_due": item.respond_due,
        "handler": item.handler_id,
        "response": item.response,
        "response_method": item.response_method,
        "version": item.version,
    }


@router.get("/feedback", response={200: ItemListOut, **AUTH_ERRORS, **FIELD_ERRORS})
def feedback_list(request: HttpRequest, filters: Query[ItemQuery]):
    """The items you read in full, newest first (at most 500): items that are
    not sensitive for coordinators and MEAL, sensitive ones for the
    safeguarding focal points only. ``project`` narrows to one project."""
    items = rules.readable_items(request.auth)
    if filters.project is not None:
        items = items.filter(project_id=filters.project)
    if filters.status is not None:
        items = items.filter(status=filters.status)
    rows = list(items[:MAX_RESULTS])
    return {"count": len(rows), "results": [_out(i) for i in rows]}


class ItemPatchIn(InputSchema):
    reference: str = Field(..., max_length=20)
    version: int = Field(..., ge=0, le=2**31)
    status: ItemStatus | None = Field(None, description="The next step (forward only).")
    note: str | None = Field(None, max_length=1000, description="Needed to skip a step.")
    response: str | None = Field(None, max_length=5000)
    response_method: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=20, description="'' for not classified.")
    sensitivity_raised: bool | None = None
    handler: int | None = Field(None, ge=1, le=MAX_ID)


class StaleOut(Schema):
    detail: str
    current_version: int


@router.patch(
    "/feedback",
    response={
        200: ItemOut,
        409: StaleOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        404: ErrorOut,
        **FIELD_ERRORS,
    },
    exclude_unset=True,
)
def feedback_update(request: HttpRequest, payload: ItemPatchIn):
    """Handle an item named by its ``reference``; send the ``version`` you
    read (409 with the current one if it changed). Classify, raise the
    sensitivity, assign the handler, and/or move it one step (with the
    response and how it was given on "responded"). A closed item is final
    (422); an item you do not read is 404."""
    user = request.auth
    item = rules.readable_items(user).filter(reference=normalise(payload.reference)).first()
    if item is None:
        raise Http404
    if not rules.may_edit(user, item):
        raise PermissionDenied(_("You do not handle this item."))
    sent = payload.model_dump(exclude_unset=True, exclude={"reference", "version"})
    edit = {}
    if "category" in sent:
        edit["category"] = sent["category"] or ""
    if "sensitivity_raised" in sent:
        edit["sensitivity_raised"] = bool(sent["sensitivity_raised"])
    if "handler" in sent:
        edit["handler"] = None
        if sent["handler"] is not None:
            edit["handler"] = get_user_model().objects.filter(pk=sent["handler"]).first()
            if edit["handler"] is None:
                raise ValidationError({"handler": [_("Choose someone who may handle this item.")]})
    version = payload.version
    try:
        # The edit and the step together or not at all: a refused step
        # (skipped without a note…) leaves the classification unchanged.
        with transaction.atomic():
            if edit:
                item = services.feedback_update(actor=user, item=item, version=version, data=edit)
                version = item.version
            if sent.get("status"):
                item = services.feedback_move(
                    actor=user,
                    item=item,
                    version=version,
                    to_status=sent["status"],
                    note=sent.get("note") or "",
                    response=sent.get("response"),
                    response_method=sent.get("response_method"),
                )
    except services.StaleItem as stale:
        return Status(
            409,
            {
                "detail": _("Someone else changed this item since you read it."),
                "current_version": stale.item.version,
            },
        )
    if not rules.readable_items(user).filter(pk=item.pk).exists():
        raise Http404  # made sensitive by this change: no longer yours to read
    return _out(item)


class TestimonyOut(Schema):
    reference: str
    project: int
    date: date
    place: str
    place_type: str
    language: str
    violence_types: list[str]
    perpetrator_types: list[str]
    care_barriers: list[str]
    use: str
    status: str
    attribution: str
    text: str


class TestimonyListOut(Schema):
    count: int
    results: list[TestimonyOut]


@router.get("/testimonies", response={200: TestimonyListOut, **AUTH_ERRORS})
def testimony_list(request: HttpRequest):
    """Testimonies in force you read: for advocacy, reviewed ones whose
    consent allows public use (the name to quote only for identifiable
    use); for the protection team, all of their projects'. A withdrawn
    consent removes a testimony from the next answer on. Never the person."""
    user = request.auth
    full = testimonies.protection_projects(user)
    rows = list(testimonies.visible_testimonies(user)[:MAX_RESULTS])
    return {
        "count": len(rows),
        "results": [
            {
                "reference": t.reference,
                "project": t.project_id,
                "date": t.date,
                "place": t.place,
                "place_type": t.place_type,
                "language": t.language,
                "violence_types": t.violence_types,
                "perpetrator_types": t.perpetrator_types,
                "care_barriers": t.care_barriers,
                "use": TestimonyUse(t.use_in_force).value,
                "status": t.status,
                "attribution": t.attribution
                if (testimonies.shows_attribution(t) or t.project_id in full)
                else "",
                "text": t.text,
            }
            for t in rows
        ],
    }
