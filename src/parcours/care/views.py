"""Pages to record encounters of every discipline, edit them, close follow-ups."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.policy import ASSIGNING_ROLES, Action, Category
from parcours.access.scope import (
    can,
    can_on_person,
    get_person_for,
    memberships,
    person_project_ids,
    persons_visible_to,
    project_ids_for,
)
from parcours.audit.services import log_web_read
from parcours.care import models as m
from parcours.care import services
from parcours.care.choices import (
    ACTIVITY_SERVICES,
    DISCIPLINE_CATEGORY,
    TALLY_DISCIPLINES,
    TALLY_SEXES,
    Discipline,
)
from parcours.care.forms import FORMS, NEW_LABELS, TALLY_GROUPS, open_sites_exist, sites_for
from parcours.care.icd10 import icd10_search
from parcours.care.record import FULL, Visibility
from parcours.lib.forms import apply_validation_error
from parcours.people.presenters import person_card

FOLLOW_UP_HORIZON_DAYS = 7


def _discipline(value: str) -> Discipline:
    if value not in Discipline.values:
        raise Http404
    return Discipline(value)


def _person_for_recording(user, person_id):
    """The person an encounter is about: one the user works with (not via break-glass)."""
    person = get_person_for(user, person_id)
    if not can_on_person(user, person, Category.IDENTITY, Action.VIEW):
        raise Http404
    return person


def _after_save(encounter) -> HttpResponse:
    if encounter.person_id:
        url = reverse("people:detail", args=[encounter.person_id])
        return redirect(f"{url}#encounter-{encounter.pk}")
    return redirect("care:recorded", encounter_id=encounter.pk)


def _context(form, *, discipline, person, title, **extra) -> dict:
    card = None
    if person is not None:
        card = person_card(form.user, person)
    return {
        "form": form,
        "layout": form.layout(),
        "discipline": discipline,
        "discipline_label": Discipline(discipline).label,
        "card": card,
        "title": title,
        "person_required": discipline not in TALLY_DISCIPLINES,
        **extra,
    }


@login_required
def encounter_new(request: HttpRequest, discipline: str) -> HttpResponse:
    discipline = _discipline(discipline)
    if not can(request.user, DISCIPLINE_CATEGORY[discipline], Action.CREATE):
        raise Http404
    sites = sites_for(request.user, discipline)
    if not sites:
        raise Http404
    person = None
    if request.GET.get("person"):
        person = _person_for_recording(request.user, request.GET["person"])
    elif discipline not in TALLY_DISCIPLINES:
        messages.info(request, _("Open the person's record first, then add the encounter there."))
        return redirect("people:list")
    form_class = FORMS[discipline]
    bound = request.POST if request.method == "POST" else None
    form = form_class(
        bound,
        user=request.user,
        sites=sites,
        person=person,
        site_hint=request.GET.get("site"),
        refresh_url=request.get_full_path(),
    )
    if bound is None and person is not None and not request.htmx:
        log_web_read(request, person, "identity")
    if bound is not None and form.is_valid():
        data, details = form.payload()
        try:
            encounter = services.encounter_record(
                actor=request.user,
                discipline=discipline,
                site=form.site_object,
                activity=form.activity_object,
                person=person,
                data=data,
                details=details,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(what)s recorded.") % {"what": discipline.label})
            return _after_save(encounter)
    return render(
        request,
        "care/encounter_form.html",
        _context(form, discipline=discipline, person=person, title=NEW_LABELS[discipline]),
    )


def _editable_encounter(user, encounter_id: int) -> m.Encounter:
    """The encounter if the user may change it (author or referent, seen in full), else 404."""
    encounter = (
        m.Encounter.objects.select_related("person", "site", "project")
        .filter(pk=encounter_id)
        .first()
    )
    if encounter is None or not services.may_edit(user, encounter):
        raise Http404
    if encounter.person is not None:
        level = Visibility(user, encounter.person).level(encounter.category, encounter.project_id)
        if level != FULL:
            raise Http404
    return encounter


@login_required
def encounter_edit(request: HttpRequest, encounter_id: int) -> HttpResponse:
    encounter = _editable_encounter(request.user, encounter_id)
    discipline = Discipline(encounter.discipline)
    form_class = FORMS[discipline]
    version = encounter.version
    kwargs = {"user": request.user, "person": encounter.person, "encounter": encounter}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = 0
        if form.is_valid():
            data, details = form.payload()
            try:
                services.encounter_update(
                    actor=request.user,
                    encounter_id=encounter.pk,
                    version=version,
                    data=data,
                    details=details,
                )
            except services.StaleEncounter as stale:
                # Keep what was typed; the next save is a deliberate overwrite.
                version = stale.encounter.version
                form.add_error(
                    None,
                    _(
                        "Someone else changed this encounter since you opened it. Your entries "
                        "are kept below: open the record in another tab to compare, then save "
                        "again to apply yours."
                    ),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return _after_save(encounter)
    else:
        form = form_class(initial=form_class.initial_for(encounter), **kwargs)
        if encounter.person is not None:
            log_web_read(request, encounter.person, "encounter")
    return render(
        request,
        "care/encounter_form.html",
        _context(
            form,
            discipline=discipline,
            person=encounter.person,
            title=_("Edit: %(what)s") % {"what": discipline.label},
            encounter=encounter,
            version=version,
            site_name=encounter.site.name,
            activity_name=str(encounter.activity) if encounter.activity_id else "",
        ),
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def follow_up_done(request: HttpRequest, encounter_id: int) -> HttpResponse:
    encounter = m.Encounter.objects.filter(pk=encounter_id).first()
    if encounter is None or not (
        encounter.author_id == request.user.pk or services.may_edit(request.user, encounter)
    ):
        raise Http404
    try:
        services.follow_up_close(actor=request.user, encounter=encounter)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Follow-up marked as done."))
    fallback = (
        reverse("people:detail", args=[encounter.person_id])
        if encounter.person_id
        else reverse("home")
    )
    return redirect(_safe_next(request, fallback))


@login_required
def encounter_recorded(request: HttpRequest, encounter_id: int) -> HttpResponse:
    """Confirmation of an activity recorded without a person (counts, services)."""
    encounter = (
        m.Encounter.objects.select_related("site", "activity_details", "author")
        .prefetch_related("tallies")
        .filter(pk=encounter_id, discipline__in=TALLY_DISCIPLINES, person__isnull=True)
        .first()
    )
    if encounter is None or not (
        encounter.author_id == request.user.pk
        or can(request.user, Category.ACTIVITY, Action.VIEW, encounter.project_id)
    ):
        raise Http404
    counts = {(t.sex, t.age_group): t.count for t in encounter.tallies.all()}
    rows = [
        {"label": label, "cells": [counts.get((sex, group), 0) for sex, _l in TALLY_SEXES]}
        for group, label in TALLY_GROUPS
    ]
    details = getattr(encounter, "activity_details", None)
    service_labels = dict(ACTIVITY_SERVICES)
    summary = {
        "id": encounter.pk,
        "discipline": encounter.discipline,
        "discipline_label": encounter.get_discipline_display(),
        "occurred_at": encounter.occurred_at,
        "site": encounter.site.name,
        "author": str(encounter.author),
        "place": details.place if details else "",
        "services": [str(service_labels.get(s, s)) for s in (details.services if details else [])],
        "total": sum(counts.values()),
        "sexes": [label for _sex, label in TALLY_SEXES],
        "rows": [r for r in rows if any(r["cells"])],
        "linked": encounter.linked.count(),
        "may_edit": services.may_edit(request.user, encounter),
    }
    return render(request, "care/recorded.html", {"summary": summary})


@login_required
def icd10(request: HttpRequest) -> HttpResponse:
    """htmx: ICD-10 codes matching the query, as checkboxes to add to the diagnoses."""
    if not can(request.user, Category.MEDICAL, Action.CREATE):
        raise Http404
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "care/_icd10_results.html",
        {"results": icd10_search(query, limit=15), "query": query.strip()},
    )


# --- helpers for the other pages (person record, home) ---------------------------


def _url_or_none(name: str, *args) -> str | None:
    """The URL if the route exists (consent pages are added by the access app)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def record_actions(user, person) -> dict:
    """What the person page may offer about care: new-encounter buttons, consent links."""
    works_with = can_on_person(user, person, Category.IDENTITY, Action.VIEW)
    new = []
    if works_with and not person.merged_into_id:
        with_sites: dict[frozenset, bool] = {}
        for discipline in Discipline:
            ids = frozenset(project_ids_for(user, DISCIPLINE_CATEGORY[discipline], Action.CREATE))
            if ids and ids not in with_sites:
                with_sites[ids] = open_sites_exist(ids)
            if ids and with_sites[ids]:
                url = reverse("care:new", args=[discipline.value])
                new.append(
                    {
                        "discipline": discipline.value,
                        "label": NEW_LABELS[discipline],
                        "url": f"{url}?person={person.pk}",
                    }
                )
    projects = person_project_ids(person)
    may_consent = works_with and any(
        project_ids_for(user, category, Action.CONSENT) & projects for category in Category
    )
    may_assign = works_with and any(
        pid in projects and role in ASSIGNING_ROLES for pid, role in memberships(user)
    )
    return {
        "new": new,
        "consents_url": _url_or_none("access:consents", person.pk) if may_consent else None,
        "care_team_url": _url_or_none("access:care_team", person.pk) if may_assign else None,
    }


def follow_ups_due(user, *, today=None) -> list[dict]:
    """The user's own follow-ups not done, overdue or due within a week, about persons
    and disciplines the user still sees."""
    today = today or timezone.localdate()
    allowed = Q()
    for discipline, category in DISCIPLINE_CATEGORY.items():
        ids = project_ids_for(user, category, Action.VIEW)
        if ids:
            allowed |= Q(discipline=discipline, project_id__in=ids)
    if not allowed:
        return []
    encounters = (
        m.Encounter.objects.filter(
            allowed,
            author=user,
            follow_up_done=False,
            follow_up_on__isnull=False,
            follow_up_on__lte=today + timedelta(days=FOLLOW_UP_HORIZON_DAYS),
            person__in=persons_visible_to(user),
        )
        .select_related("person")
        .order_by("follow_up_on", "id")[:50]
    )
    return [
        {
            "id": e.pk,
            "person_id": e.person_id,
            "person_name": e.person.display_name,
            "discipline_label": e.get_discipline_display(),
            "due": e.follow_up_on,
            "overdue": e.follow_up_on < today,
            "today": e.follow_up_on == today,
            "days": (e.follow_up_on - today).days,
        }
        for e in encounters
    ]
