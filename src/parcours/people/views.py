from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from parcours.access.records import editable_flags, may_see_category
from parcours.access.scope import (
    flags_offered,
    log_reads,
    parse_id,
    person_for,
    projects_where,
    visible_persons,
)
from parcours.access.terms import Action, Category
from parcours.audit.events import Read, event_label
from parcours.audit.models import AccessLog, AuditEvent
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.lib.keyset import keyset_page
from parcours.org.models import Project
from parcours.people import merging, services
from parcours.people.extensions import person_form_parts
from parcours.people.forms import (
    ExitForm,
    FilterForm,
    MergeForm,
    PersonCreateForm,
    PersonForm,
)
from parcours.people.history import display_value, redact_changes
from parcours.people.models import Enrolment, MergeRecord, Person
from parcours.people.names import match_reason
from parcours.people.presenters import codes_seen, person_card
from parcours.people.search import ALPHABETICAL, PersonFilters, find_persons, likely_duplicates
from parcours.people.search_session import link_query, search_params

FIELD_LABELS = {
    **{f.name: f.verbose_name for f in Person._meta.concrete_fields},
    **{name: field.label for name, field in PersonForm.base_fields.items()},
}


def _projects(user, action: str) -> list[Project]:
    return list(Project.objects.filter(pk__in=projects_where(user, action, Category.IDENTITY)))


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    projects = _projects(request.user, Action.VIEW)
    if not projects:
        raise Http404
    params, token = search_params(request)
    if request.method == "POST" and not request.htmx:
        # Post/redirect/get: the address (and the history) holds only the token.
        response = HttpResponseRedirect(f"{reverse('people:list')}?s={token}")
        response.status_code = 303
        return response
    form = FilterForm(params or None, projects=projects, flags=flags_offered(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    query = data.get("q", "").strip()
    found = find_persons(request.user, PersonFilters.from_form(data), query)
    if query:
        # At most MAX_CANDIDATES ranked ids in memory: numbered pages are cheap.
        paginator = Paginator(found.persons, settings.PARCOURS_PAGE_SIZE)
        paginator.count = found.count  # cached_property: the count is already known
        page = paginator.get_page(request.GET.get("page"))
    else:
        # The whole list, alphabetically: paged by key, as fast deep as on page one.
        page = keyset_page(
            found.persons,
            ALPHABETICAL,
            size=settings.PARCOURS_PAGE_SIZE,
            count=found.count,
            after=_cursor(request.GET.get("after")),
            before=_cursor(request.GET.get("before")),
        )
    log_reads(request, page.object_list, Read.IDENTITY_SUMMARY)
    seen = projects_where(request.user, Action.VIEW, Category.IDENTITY)
    rows = [
        {
            "person": p,
            "codes": codes_seen(p, seen),
            "age": p.age(),
            # Why the search found this person: namesakes told apart at the desk.
            "match": match_reason(query, f"{p.given_name} {p.family_name}", p.name_original),
        }
        for p in page.object_list
    ]
    context = {
        "country_options": country_options((data.get("nationality") or "").upper()),
        "form": form,
        "page": page,
        "total": found.count,
        "rows": rows,
        "query": query,
        "truncated": found.truncated,
        "query_string": link_query(params, token),
    }
    # Back and Forward ask the server again (htmx keeps no copy of pages in
    # the browser's storage: historyCacheSize 0): they get the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "people/_results.html" if partial else "people/list.html"
    response = render(request, template, context)
    if request.htmx and token:
        response["HX-Push-Url"] = f"{reverse('people:list')}?s={token}"
    return response


ACCESS_LOG_PAGE_SIZE = 50


def _cursor(value) -> int | None:
    """A page cursor from the URL (a row id), or None for the first page."""
    try:
        return parse_id(value)
    except Http404:
        return None


def country_options(selected: str = "") -> str:
    """The <option>s of the nationality filter, built once per language: a
    250-option template loop costs more than the search itself."""
    html = _country_options_html(get_language() or "fr")
    if selected:
        html = html.replace(
            f'value="{escape(selected)}"', f'value="{escape(selected)}" selected', 1
        )
    return mark_safe(html)  # noqa: S308 - built from escaped country codes and names


@lru_cache(maxsize=8)
def _country_options_html(language: str) -> str:
    return "".join(
        f'<option value="{escape(code)}">{escape(str(name))}</option>' for code, name in countries
    )


def _duplicates_for(request, data: dict, exclude_id=None):
    """Likely duplicates among the persons the user sees; showing them is a read."""
    if not data.get("given_name"):
        return []
    candidates = likely_duplicates(
        visible_persons(request.user),
        given_name=data.get("given_name", ""),
        family_name=data.get("family_name", ""),
        name_original=data.get("name_original", ""),
        birth_date=data.get("birth_date"),
        nationality=data.get("nationality", ""),
        exclude_id=exclude_id,
    )
    log_reads(request, [c.person for c in candidates], Read.IDENTITY_SUMMARY)
    seen = projects_where(request.user, Action.VIEW, Category.IDENTITY)
    for candidate in candidates:
        candidate.codes = codes_seen(candidate.person, seen)
    return candidates


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    projects = _projects(request.user, Action.CREATE)
    projects = [p for p in projects if p.accepts_new_records]
    if not projects:
        raise Http404
    may_contact = bool(projects_where(request.user, Action.CREATE, Category.CONTACT))
    flags = set().union(*(editable_flags(request.user, project=p) for p in projects))
    form = PersonCreateForm(
        request.POST or None, projects=projects, show_contact=may_contact, flags=flags
    )
    duplicates = []
    bound = request.POST if request.method == "POST" else None
    # What the modules above people add to the form (a project's custom fields).
    parts = person_form_parts(user=request.user, projects=projects, person=None, data=bound)
    parts_valid = all([part.is_valid() for part in parts])
    if request.method == "POST" and form.is_valid() and parts_valid:
        data = form.service_data()
        duplicates = _duplicates_for(request, data)
        if duplicates and not data.pop("not_a_duplicate"):
            form.add_error(
                None,
                _(
                    "Possible duplicates found: open them to check, or confirm this is someone else."
                ),
            )
        else:
            data.pop("not_a_duplicate", None)
            project = next(p for p in projects if p.pk == int(data.pop("project")))
            try:
                with transaction.atomic():
                    person = services.person_create(actor=request.user, project=project, data=data)
                    for part in parts:
                        part.save(actor=request.user, person=person, project=project)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s registered with code %(code)s.")
                    % {"name": person.display_name, "code": person.enrolments.first().code},
                )
                return redirect("dossier:person", person_id=person.pk)
    return render(
        request,
        "people/create.html",
        {"form": form, "duplicates": duplicates, "form_parts": parts},
    )


@login_required
@require_POST
def duplicates_check(request: HttpRequest) -> HttpResponse:
    """htmx: likely duplicates while the registration form is being filled."""
    if not projects_where(request.user, Action.CREATE, Category.IDENTITY):
        raise Http404
    form = PersonForm(request.POST)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if v}
    return render(
        request, "people/_duplicates.html", {"duplicates": _duplicates_for(request, data)}
    )


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(
        request.user,
        person_id,
        action=Action.EDIT,
        read=Read.IDENTITY if request.method == "GET" else "",
        request=request,
    )
    card = person_card(request.user, person)
    show_contact = card.contact is not None
    flags = editable_flags(request.user, person=person)
    version = person.version
    stale_changes = None
    bound = request.POST if request.method == "POST" else None
    parts = person_form_parts(user=request.user, projects=None, person=person, data=bound)
    if request.method == "POST":
        form = PersonForm(request.POST, show_contact=show_contact, flags=flags)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = 0
        parts_valid = all([part.is_valid() for part in parts])
        if form.is_valid() and parts_valid:
            try:
                with transaction.atomic():
                    services.person_update(
                        actor=request.user,
                        person_id=person.pk,
                        version=version,
                        data=form.service_data(),
                    )
                    for part in parts:
                        part.save(actor=request.user, person=person)
            except services.StaleVersion as stale:
                # Keep what was typed; show what changed; the next save is deliberate.
                version = stale.person.version
                stale_changes = [
                    {
                        "field": FIELD_LABELS.get(f, f),
                        "before": display_value(f, b),
                        "after": display_value(f, a),
                    }
                    for f, (b, a) in redact_changes(request.user, person, stale.changes).items()
                ]
                form.add_error(
                    None,
                    _(
                        "Someone else changed this record since you opened it. "
                        "Check their changes below; your entries are kept. "
                        "Save again to apply yours."
                    ),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("dossier:person", person_id=person.pk)
    else:
        form = PersonForm(
            initial=PersonForm.initial_for(person), show_contact=show_contact, flags=flags
        )
    return render(
        request,
        "people/edit.html",
        {
            "form": form,
            "card": card,
            "version": version,
            "stale_changes": stale_changes,
            "form_parts": parts,
        },
    )


@login_required
@require_POST
def person_exit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id, action=Action.EDIT)
    form = ExitForm(request.POST)
    if form.is_valid():
        try:
            services.person_exit(
                actor=request.user,
                person=person,
                exit_date=form.cleaned_data["exit_date"],
                reason=form.cleaned_data["exit_reason"],
                note=form.cleaned_data["exit_note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The person left the active list."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("dossier:person", person_id=person.pk)


@login_required
@require_POST
def person_reactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id, action=Action.EDIT)
    services.person_reactivate(actor=request.user, person=person)
    messages.success(request, _("The person is back on the active list."))
    return redirect("dossier:person", person_id=person.pk)


@login_required
@require_POST
def person_merge(request: HttpRequest, person_id: int) -> HttpResponse:
    keep = person_for(request.user, person_id, action=Action.MERGE)
    form = MergeForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["duplicate_code"].strip().upper()
        enrolment = Enrolment.objects.filter(code=code).first()
        duplicate = None
        if enrolment:
            duplicate = (
                visible_persons(request.user, Action.MERGE).filter(pk=enrolment.person_id).first()
            )
        if duplicate is None:
            messages.error(
                request, _("No record with code %(code)s that you may merge.") % {"code": code}
            )
        elif duplicate.pk == keep.pk:
            messages.error(request, _("A record cannot be merged with itself."))
        else:
            # Both records side by side, a choice per field, then a confirmation.
            return redirect("people:merge_compare", keep_id=keep.pk, duplicate_id=duplicate.pk)
    return redirect("dossier:person", person_id=keep.pk)


@login_required
@require_POST
def merge_undo(request: HttpRequest, person_id: int, record_id: int) -> HttpResponse:
    keep = person_for(request.user, person_id, action=Action.MERGE)
    record = get_object_or_404(MergeRecord, pk=record_id, kept=keep)
    try:
        merging.person_unmerge(actor=request.user, record=record)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The merge was undone: both records exist again."))
    return redirect("people:history", person_id=keep.pk)


@login_required
def person_history(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id, read=Read.HISTORY, request=request)
    card = person_card(request.user, person)
    events = AuditEvent.objects.filter(
        subject_type="people.person", subject_id=str(person.pk)
    ).select_related("actor")[:200]
    rows = [
        {
            "event": e,
            "label": event_label(e.event),
            "changes": [
                {
                    "field": FIELD_LABELS.get(f, f),
                    "before": display_value(f, b),
                    "after": display_value(f, a),
                }
                for f, (b, a) in redact_changes(request.user, person, e.changes).items()
            ],
        }
        for e in events
        # A row about one category (custom fields filled in) only for who sees
        # that category in full for the person.
        if not (e.extra or {}).get("category")
        or may_see_category(request.user, person, e.extra["category"])
    ]
    merges = (
        MergeRecord.objects.filter(kept=person).select_related("merged", "merged_by")
        if card.may_merge
        else []
    )
    # The merged records are named on the page: a read of each.
    log_reads(request, [m.merged for m in merges], Read.IDENTITY_SUMMARY)
    return render(request, "people/history.html", {"card": card, "rows": rows, "merges": merges})


@login_required
def person_access_log(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(
        request.user, person_id, action=Action.AUDIT, read=Read.ACCESS_LOG, request=request
    )
    card = person_card(request.user, person)
    # What each row says was read, as an action of its reader ("Claire Dubois
    # opened the record"), not the internal name stored in the row.
    actions = {
        Read.RECORD: _("opened the record"),
        Read.IDENTITY: _("read the identity"),
        Read.IDENTITY_SUMMARY: _("saw the person in a list or a search"),
        Read.ENCOUNTER: _("opened an encounter"),
        Read.CONSENTS: _("read the consents"),
        Read.CARE_TEAM: _("read the care team"),
        Read.HISTORY: _("read the record history"),
        Read.ACCESS_LOG: _("read who accessed the record"),
    }
    entries = AccessLog.objects.filter(person=person).select_related("user")
    # Paged by key: a record read every day for years stays as fast to page.
    page = keyset_page(
        entries,
        ("-at", "-id"),
        size=ACCESS_LOG_PAGE_SIZE,
        count=entries.count(),
        after=_cursor(request.GET.get("after")),
        before=_cursor(request.GET.get("before")),
    )
    rows = [{"entry": e, "action": actions.get(e.what, e.what_label)} for e in page.object_list]
    return render(request, "people/access_log.html", {"card": card, "page": page, "rows": rows})
