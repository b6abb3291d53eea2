"""Pages to record encounters of every discipline, edit them, close follow-ups."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.records import (
    encounter_for,
    may_edit_encounter,
    may_record_any_consent,
    recording_projects,
    recording_sites,
    shown_encounters_q,
)
from parcours.access.scope import (
    care_team_projects,
    log_reads,
    may,
    person_for,
    visible_persons,
    works_with,
)
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.care import models as m
from parcours.care import services
from parcours.care.choices import (
    ACTIVITY_SERVICES,
    ACTIVITY_TYPE_CODES,
    DISCIPLINE_CATEGORY,
    TALLY_DISCIPLINES,
    TALLY_SEXES,
    Discipline,
)
from parcours.care.extensions import form_parts
from parcours.care.forms import FORMS, NEW_LABELS, TALLY_GROUPS
from parcours.care.icd10 import icd10_search
from parcours.lib.forms import apply_validation_error
from parcours.org.models import Site
from parcours.people.presenters import person_card

FOLLOW_UP_HORIZON_DAYS = 7


def _discipline(value: str) -> Discipline:
    if value not in Discipline.values:
        raise Http404
    return Discipline(value)


def _person_for_recording(request, person_id):
    """The person an encounter is about: one the user works with (not via
    break-glass). Showing the form shows their identity: logged once."""
    person = person_for(request.user, person_id)
    if not works_with(request.user, person):
        raise Http404
    if request.method == "GET" and not request.htmx:
        log_reads(request, [person], Read.IDENTITY)
    return person


def _after_save(encounter) -> HttpResponse:
    if encounter.person_id:
        url = reverse("dossier:person", args=[encounter.person_id])
        return redirect(f"{url}#encounter-{encounter.pk}")
    return redirect("care:recorded", encounter_id=encounter.pk)


def _context(form, *, discipline, person, title, **extra) -> dict:
    card = None
    if person is not None:
        card = person_card(form.author, person)
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


def sites_running(sites, discipline: str) -> list[Site]:
    """Of ``sites`` (activity types prefetched), those that run the activity of
    ``discipline``; all of them for the disciplines tied to no activity type."""
    codes = ACTIVITY_TYPE_CODES.get(discipline)
    if codes is None:
        return list(sites)
    return [s for s in sites if any(t.code in codes for t in s.activity_types.all())]


@login_required
def encounter_new(request: HttpRequest, discipline: str) -> HttpResponse:
    discipline = _discipline(discipline)
    category = DISCIPLINE_CATEGORY[discipline]
    if not may(request.user, Action.CREATE, category):
        raise Http404
    person = None
    if request.GET.get("person"):
        person = _person_for_recording(request, request.GET["person"])
    elif discipline not in TALLY_DISCIPLINES:
        messages.info(request, _("Open the person's record first, then add the encounter there."))
        return redirect("people:list")
    allowed = list(recording_sites(request.user, category, person))
    if not allowed:
        if person is None or not recording_projects(request.user, category):
            raise Http404
        messages.error(
            request,
            _(
                "This person is not followed in a project where you record this. Enrol them "
                "in your project from their record first."
            ),
        )
        return redirect("dossier:person", person_id=person.pk)
    sites = sites_running(allowed, discipline)
    if not sites:
        # Never a site that does not run the activity (a day centre for a round).
        messages.error(
            request,
            _(
                "None of the sites where you may record this runs the activity "
                "“%(what)s”: nothing can be recorded. Ask your coordinator to add the "
                "activity to the site where it takes place."
            )
            % {"what": discipline.label},
        )
        if person is not None:
            return redirect("dossier:person", person_id=person.pk)
        return redirect("home")
    form_class = FORMS[discipline]
    bound = request.POST if request.method == "POST" else None
    form = form_class(
        bound,
        author=request.user,
        sites=sites,
        linkable_persons=visible_persons(request.user),
        person=person,
        site_hint=request.GET.get("site"),
        refresh_url=request.get_full_path(),
    )
    # What the modules above care add to this form (dispensing from the pharmacy).
    parts = form_parts(discipline, user=request.user, sites=sites, data=bound, person=person)
    parts_valid = all([part.is_valid() for part in parts])
    if bound is not None and form.is_valid() and parts_valid:
        data, details = form.payload()
        try:
            with transaction.atomic():
                encounter = services.encounter_record(
                    actor=request.user,
                    discipline=discipline,
                    site=form.site_object,
                    activity=form.activity_object,
                    person=person,
                    data=data,
                    details=details,
                    # From the agenda: the appointment this encounter closes (the
                    # agenda checks it, care passes it on).
                    appointment=request.GET.get("appointment") or None,
                )
                for part in parts:
                    part.save(actor=request.user, encounter=encounter)
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
        _context(
            form,
            discipline=discipline,
            person=person,
            title=NEW_LABELS[discipline],
            form_parts=parts,
            parts_invalid=bound is not None and not parts_valid,
        ),
    )


@login_required
def encounter_edit(request: HttpRequest, encounter_id: int) -> HttpResponse:
    encounter = encounter_for(
        request.user,
        encounter_id,
        Action.EDIT,
        read=Read.ENCOUNTER if request.method == "GET" else "",
        request=request,
    )
    discipline = Discipline(encounter.discipline)
    form_class = FORMS[discipline]
    version = encounter.version
    kwargs = {"author": request.user, "person": encounter.person, "encounter": encounter}
    bound = request.POST if request.method == "POST" else None
    # What the modules above care add (what was dispensed, and more dispensing).
    parts = form_parts(
        discipline,
        user=request.user,
        sites=[encounter.site],
        data=bound,
        person=encounter.person,
        encounter=encounter,
    )
    parts_valid = all([part.is_valid() for part in parts])
    if bound is not None:
        form = form_class(bound, **kwargs)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = 0
        if form.is_valid() and parts_valid:
            data, details = form.payload()
            try:
                with transaction.atomic():
                    services.encounter_update(
                        actor=request.user,
                        encounter_id=encounter.pk,
                        version=version,
                        data=data,
                        details=details,
                    )
                    for part in parts:
                        part.save(actor=request.user, encounter=encounter)
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
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Changes saved."))
                return _after_save(encounter)
    else:
        form = form_class(initial=form_class.initial_for(encounter), **kwargs)
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
            form_parts=parts,
            parts_invalid=bound is not None and not parts_valid,
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
    encounter = encounter_for(request.user, encounter_id, Action.EDIT)
    try:
        services.follow_up_close(actor=request.user, encounter=encounter)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Follow-up marked as done."))
    fallback = (
        reverse("dossier:person", args=[encounter.person_id])
        if encounter.person_id
        else reverse("home")
    )
    return redirect(_safe_next(request, fallback))


@login_required
def encounter_recorded(request: HttpRequest, encounter_id: int) -> HttpResponse:
    """Confirmation of an activity recorded without a person (counts, services)."""
    encounter = encounter_for(request.user, encounter_id)
    if encounter.person_id is not None or encounter.discipline not in TALLY_DISCIPLINES:
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
        "may_edit": may_edit_encounter(request.user, encounter),
    }
    return render(request, "care/recorded.html", {"summary": summary})


@login_required
@require_POST
def icd10(request: HttpRequest) -> HttpResponse:
    """htmx: ICD-10 codes matching the query, as checkboxes to add to the diagnoses.
    Posted: the words typed while recording someone's consultation (a
    diagnosis) stay out of URLs and server and proxy logs."""
    if not may(request.user, Action.CREATE, Category.MEDICAL):
        raise Http404
    query = request.POST.get("q", "")[:100]
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
    mine = works_with(user, person)
    new = []
    if mine and not person.merged_into_id:
        projects = {d: recording_projects(user, c, person) for d, c in DISCIPLINE_CATEGORY.items()}
        # One query: which of those projects have a site in use.
        with_sites = set(
            Site.objects.in_use()
            .filter(project_id__in=set().union(*projects.values()))
            .values_list("project_id", flat=True)
        )
        for discipline in Discipline:
            if projects[discipline] & with_sites:
                url = reverse("care:new", args=[discipline.value])
                new.append(
                    {
                        "discipline": discipline.value,
                        "label": NEW_LABELS[discipline],
                        "url": f"{url}?person={person.pk}",
                    }
                )
    may_consent = mine and may_record_any_consent(user, person)
    may_assign = mine and bool(care_team_projects(user, person))
    return {
        "new": new,
        "consents_url": _url_or_none("dossier:consents", person.pk) if may_consent else None,
        "care_team_url": _url_or_none("dossier:care_team", person.pk) if may_assign else None,
    }


def follow_ups_due(user, *, today=None) -> list[dict]:
    """The user's own follow-ups not done, overdue or due within a week, about persons
    and disciplines the user still sees: one row per person, at their earliest due
    date (earliest first), with the number of follow-ups due for them. "Done" on
    the row closes that earliest one (``id``)."""
    today = today or timezone.localdate()
    shown = shown_encounters_q(user)
    if shown is None:
        return []
    due = m.Encounter.objects.filter(
        shown,
        author=user,
        follow_up_done=False,
        follow_up_on__isnull=False,
        follow_up_on__lte=today + timedelta(days=FOLLOW_UP_HORIZON_DAYS),
    )
    # The 50 persons due first, counted in the database (never a truncated count).
    persons = list(
        due.values("person_id")
        .annotate(first_due=Min("follow_up_on"), count=Count("id"))
        .order_by("first_due", "person_id")[:50]
    )
    counts = {row["person_id"]: row["count"] for row in persons}
    rows: dict[int, dict] = {}
    encounters = (
        due.filter(person_id__in=counts).select_related("person").order_by("follow_up_on", "id")
    )
    for e in encounters:
        row = rows.get(e.person_id)
        if row is None:
            rows[e.person_id] = {
                "id": e.pk,
                "person": e.person,
                "person_id": e.person_id,
                "person_name": e.person.display_name,
                "disciplines": [e.get_discipline_display()],
                "due": e.follow_up_on,
                "overdue": e.follow_up_on < today,
                "today": e.follow_up_on == today,
                "days": (e.follow_up_on - today).days,
                "count": counts[e.person_id],
            }
        elif e.get_discipline_display() not in row["disciplines"]:
            row["disciplines"].append(e.get_discipline_display())
    for row in rows.values():
        row["discipline_label"] = ", ".join(str(label) for label in row.pop("disciplines"))
    return list(rows.values())
