"""API: searching, reading, registering and editing persons.

Same rules as the pages: every lookup goes through ``person_for`` and
every list through ``visible_persons``; writes go through the people
services; every person returned is access-logged (channel "api").
"""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from parcours.access.scope import (
    flags_offered,
    log_reads,
    person_for,
    projects_where,
    visible_persons,
    working_projects,
)
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut, field_errors
from parcours.lib.api_schemas import Id
from parcours.lib.keyset import keyset_page
from parcours.org.models import Project
from parcours.people import services
from parcours.people.extensions import person_values_read, person_values_write
from parcours.people.history import redact_changes
from parcours.people.models import Person
from parcours.people.presenters import codes_seen, person_card
from parcours.people.schemas import (
    MAX_PAGE_SIZE,
    DuplicatesOut,
    PersonCreateIn,
    PersonOut,
    PersonPage,
    PersonPatchIn,
    PersonQuery,
    PersonSearchIn,
    ReadQuery,
    StaleOut,
)
from parcours.people.search import ALPHABETICAL, find_persons, likely_duplicates
from parcours.people.validation import clean_person_data

router = Router(tags=["persons"])

NOT_FOUND = {404: ErrorOut}


def _summary(person: Person, seen_projects: set[int]) -> dict:
    return {
        "id": person.pk,
        "codes": codes_seen(person, seen_projects),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "name_original": person.name_original,
        "sex": person.sex,
        "age": person.age(),
        "nationality": str(person.nationality or ""),
        "is_active": person.is_active,
    }


def _card(user, person: Person) -> dict:
    """The person as the policy lets ``user`` see them; no "contact" key if hidden."""
    card = asdict(person_card(user, person))
    if card["contact"] is None:
        del card["contact"]
    card["flags"] = [{"code": f["code"], "label": str(f["label"])} for f in card["flags"]]
    for key in ("sex_label", "birth_date_precision_label", "minority_appeal_label"):
        card[key] = str(card[key])
    card["exit_reason_label"] = str(card["exit_reason_label"])
    # The project's custom fields the caller sees (code → value).
    card.update(person_values_read(user, person))
    for group in card["groups"]:
        group["kind"], group["relation"] = str(group["kind"]), str(group["relation"])
        for member in group["members"]:
            member["relation"] = str(member["relation"])
    return card


@router.get("", response={200: PersonPage, **AUTH_ERRORS, **FIELD_ERRORS})
def person_list(request: HttpRequest, filters: Query[PersonQuery]):
    """List the persons the caller may see, like the people list page, in
    alphabetical order, paged by key (``after`` = the previous page's
    ``next_after``; ``page`` still works but is slow deep in a long list).

    No name search here: a ``q`` parameter answers 400. Search by name with
    ``POST /api/v1/persons/search``, so that the name stays out of URLs and
    logs. Every person returned is access-logged as an identity summary.
    """
    if "q" in request.GET:
        message = _(
            "Search by name with POST /api/v1/persons/search and a JSON body "
            '{"q": "…"}: a name in an address is kept in server and proxy logs.'
        )
        return Status(400, {"detail": message})
    return _search(request, filters, "")


@router.post("/search", response={200: PersonPage, **AUTH_ERRORS, **FIELD_ERRORS})
def person_search(request: HttpRequest, payload: PersonSearchIn):
    """Search the persons the caller may see by name (any spelling or script)
    or code, with the filters of ``GET /persons``, all in the JSON body.

    With ``q``: best match first, at most 500 candidates (``truncated`` says
    when more matched), paged by ``page``. Without it: the alphabetical list
    of ``GET /persons``, paged by ``after``. Reads only (the POST keeps the
    name out of URLs); every person returned is access-logged as an identity
    summary.
    """
    return _search(request, payload, payload.q)


def _search(request: HttpRequest, filters: PersonQuery, q: str):
    user = request.auth
    if filters.flag and filters.flag not in flags_offered(user):
        # The same refusal whether or not anyone carries the flag.
        error = ValidationError({"flag": [_("You may not filter on this vulnerability.")]})
        source = "query" if request.method == "GET" else "body"
        return Status(422, {"detail": field_errors(error, source=source)})
    found = find_persons(user, filters.person_filters(), q)
    page_size = min(filters.page_size, MAX_PAGE_SIZE)
    next_after = None
    if not q.strip() and (filters.after or filters.page == 1):
        # The alphabetical list, paged by key like the page.
        page = keyset_page(
            found.persons, ALPHABETICAL, size=page_size, count=found.count, after=filters.after
        )
        rows, next_after = page.object_list, page.next_after
    else:
        offset = (filters.page - 1) * page_size
        # A page past the end is empty (and never reaches the database).
        rows = list(found.persons[offset : offset + page_size]) if offset < found.count else []
    log_reads(request, rows, Read.IDENTITY_SUMMARY)
    seen = projects_where(user, Action.VIEW, Category.IDENTITY)
    return {
        "count": found.count,
        "page": filters.page,
        "page_size": page_size,
        "truncated": found.truncated,
        "results": [_summary(p, seen) for p in rows],
        "next_after": next_after,
    }


@router.get(
    "/{id}",
    response={200: PersonOut, **AUTH_ERRORS, **NOT_FOUND, **FIELD_ERRORS},
    exclude_unset=True,
)
def person_detail(
    request: HttpRequest,
    id: Path[Id],
    filters: Query[ReadQuery],
):
    """One person, as the caller's role may see them (access-logged)."""
    person = person_for(request.auth, id, read=Read.IDENTITY, request=request)
    return _card(request.auth, person)


@router.post(
    "",
    response={
        201: PersonOut,
        409: DuplicatesOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        **NOT_FOUND,
        **FIELD_ERRORS,
    },
    exclude_unset=True,
)
def person_create(request: HttpRequest, payload: PersonCreateIn):
    """Register a person in a project; they get the project's next code (e.g. CAL-00042).

    404 if the project is not one of the caller's, 403 if their role there
    may not register persons. With ``check_duplicates``, answers 409 with
    the likely duplicates the caller may see, unless ``confirm_not_duplicate``.
    """
    user = request.auth
    project = Project.objects.filter(pk=payload.project, pk__in=working_projects(user)).first()
    if project is None:
        return Status(404, {"detail": _("Not found.")})
    data = payload.service_data(
        exclude={"project", "check_duplicates", "confirm_not_duplicate", "custom"}
    )
    may_create = project.pk in projects_where(user, Action.CREATE, Category.IDENTITY)
    if may_create and payload.check_duplicates and not payload.confirm_not_duplicate:
        cleaned = clean_person_data({"given_name": "", **data})
        duplicates = likely_duplicates(
            visible_persons(user),
            given_name=cleaned["given_name"],
            family_name=cleaned.get("family_name", ""),
            name_original=cleaned.get("name_original", ""),
            birth_date=cleaned.get("birth_date"),
            nationality=cleaned.get("nationality", ""),
        )
        if duplicates:
            log_reads(request, [d.person for d in duplicates], Read.IDENTITY_SUMMARY)
            seen = projects_where(user, Action.VIEW, Category.IDENTITY)
            return Status(
                409,
                {
                    "detail": _(
                        "Possible duplicates found: check them, or send "
                        "confirm_not_duplicate to register this person anyway."
                    ),
                    "duplicates": [
                        {"person": _summary(d.person, seen), "score": d.score, "reasons": d.reasons}
                        for d in duplicates
                    ],
                },
            )
    # The service checks the role (PermissionDenied → 403) and the data (→ 422);
    # a custom value refused (→ 422) cancels the registration.
    with transaction.atomic():
        person = services.person_create(actor=user, project=project, data=data)
        person_values_write(actor=user, person=person, project=project, raw=payload.custom)
    log_reads(request, [person], Read.IDENTITY)
    return Status(201, _card(user, person))


@router.patch(
    "/{id}",
    response={
        200: PersonOut,
        409: StaleOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        **NOT_FOUND,
        **FIELD_ERRORS,
    },
    exclude_unset=True,
)
def person_update(request: HttpRequest, id: Path[Id], payload: PersonPatchIn):
    """Change some fields of a person; send the ``version`` you read.

    If someone changed the person since, nothing is written and the answer
    is 409 with the current version and what changed (field → [before,
    after]); re-read, check, and send again with the current version.
    """
    user = request.auth
    person = person_for(user, id, action=Action.EDIT)
    data = payload.service_data(exclude={"version", "custom"})
    try:
        with transaction.atomic():
            person = services.person_update(
                actor=user, person_id=person.pk, version=payload.version, data=data
            )
            person_values_write(actor=user, person=person, project=None, raw=payload.custom)
    except services.StaleVersion as stale:
        changes = redact_changes(user, stale.person, stale.changes)
        return Status(
            409,
            {
                "detail": _("Someone else changed this record since you read it."),
                "current_version": stale.person.version,
                "changes": {field: list(values) for field, values in changes.items()},
            },
        )
    log_reads(request, [person], Read.IDENTITY)
    return _card(user, person)
