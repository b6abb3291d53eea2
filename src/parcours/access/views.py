"""Pages of the consent registry, the care team and break-glass.

Every write goes through access.services (audited there); every person is
fetched through get_person_for; every page a user may not use is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access import services
from parcours.access.forms import (
    BreakGlassForm,
    BreakGlassReviewForm,
    CareAssignForm,
    ConsentForm,
    consent_subjects,
    language_suggestions,
)
from parcours.access.models import (
    BreakGlass,
    CareAssignment,
    Consent,
    ConsentMethod,
    ConsentStatus,
)
from parcours.access.policy import (
    ASSIGNING_ROLES,
    BREAK_GLASS_HOURS,
    BREAK_GLASS_REVIEWERS,
    ROLE_LABELS,
    Role,
)
from parcours.access.scope import get_person_for, memberships, person_project_ids
from parcours.accounts.models import Membership
from parcours.audit.services import log_web_read
from parcours.lib.forms import apply_validation_error
from parcours.people.models import Enrolment, Person
from parcours.people.presenters import person_card
from parcours.people.validation import language_name

# Who may be assigned to a person's care (they see sexual-violence incidents).
ASSIGNABLE_ROLES = (Role.MEDICAL, Role.MENTAL_HEALTH, Role.LEGAL_PROTECTION)


def _role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


def _error_messages(error: Exception) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])


# ---------------------------------------------------------------- consents


def _consent_row(consent: Consent, labels: dict[str, str]) -> dict:
    subject = f"{consent.kind}:{consent.category}" if consent.category else consent.kind
    return {
        "consent": consent,
        "label": labels.get(subject, subject),
        "language": language_name(consent.language) or consent.language,
    }


@login_required
def consents(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    subjects = consent_subjects()
    labels = {value: label for value, label, _kind, _category in subjects}
    offered = [
        value
        for value, _label, kind, category in subjects
        if services.consent_may_record(request.user, person, kind, category)
    ]
    may_record = bool(offered) and not person.merged_into_id
    form = ConsentForm(request.POST or None, offered=offered)
    status = 200
    if request.method == "POST" and form.is_valid():
        if person.merged_into_id:
            form.add_error(
                None, _("This record was merged: record the decision on the kept record.")
            )
        else:
            try:
                consent = services.consent_record(
                    actor=request.user, person=person, **form.service_data()
                )
            except PermissionDenied as error:
                form.add_error("subject", _error_messages(error))
                status = 403
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Recorded: %(subject)s — %(status)s.")
                    % {
                        "subject": labels[form.cleaned_data["subject"]],
                        "status": consent.get_status_display(),
                    },
                )
                return redirect("access:consents", person_id=person.pk)
    log_web_read(request, person, "consents")
    in_force = services.current_consents(person)
    registry = [
        {
            "subject": value,
            "label": label,
            "current": _consent_row(in_force[(kind, category)], labels)
            if (kind, category) in in_force
            else None,
            "may_withdraw": (
                may_record
                and value in offered
                and (kind, category) in in_force
                and in_force[(kind, category)].status == ConsentStatus.GIVEN
            ),
        }
        for value, label, kind, category in subjects
    ]
    history = [
        _consent_row(c, labels)
        for c in Consent.objects.filter(person=person).select_related("recorded_by", "project")
    ]
    refused = (
        [m for errors in form.errors.values() for m in errors]
        if form.is_bound and not may_record
        else []
    )
    context = {
        "card": person_card(request.user, person),
        "break_glass": getattr(person, "break_glass", None),
        "registry": registry,
        "history": history,
        "form": form if may_record else None,
        "refused": refused,
        "languages": language_suggestions(person.languages),
        "methods": ConsentMethod.choices,
    }
    return render(request, "access/consents.html", context, status=status)


# ---------------------------------------------------------------- care team


def _assigning_project_ids(user, person) -> set[int]:
    return {pid for pid, role in memberships(user) if role in ASSIGNING_ROLES} & person_project_ids(
        person
    )


def _candidates(project_ids: set[int], taken: set[tuple[int, int]]) -> list[dict]:
    rows = (
        Membership.objects.filter(
            project_id__in=project_ids, role__in=ASSIGNABLE_ROLES, user__is_active=True
        )
        .select_related("user", "project")
        .order_by("project__name", "user__last_name", "user__first_name", "user__username")
    )
    return [
        {
            "id": m.pk,
            "membership": m,
            "label": f"{m.user} ({m.user.username}) · {_role_label(m.role)} · {m.project.code}",
        }
        for m in rows
        if (m.user_id, m.project_id) not in taken
    ]


@login_required
def care_team(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    manage_projects = _assigning_project_ids(request.user, person)
    active = CareAssignment.objects.filter(person=person, ended_at__isnull=True)
    if not manage_projects and not active.filter(user=request.user).exists():
        raise Http404
    active = list(active.select_related("user", "project", "assigned_by").order_by("assigned_at"))
    taken = {(a.user_id, a.project_id) for a in active}
    candidates = _candidates(manage_projects, taken) if manage_projects else []
    assigning = request.method == "POST" and "end" not in request.POST
    form = CareAssignForm(request.POST if assigning else None, candidates=candidates)
    if request.method == "POST":
        if not manage_projects:
            raise Http404
        if "end" in request.POST:
            _end_assignment(request, person, request.POST.get("end", ""))
            return redirect("access:care_team", person_id=person.pk)
        if form.is_valid():
            chosen = next(c for c in candidates if c["id"] == form.cleaned_data["member"])
            membership = chosen["membership"]
            try:
                services.care_assign(
                    actor=request.user,
                    person=person,
                    user=membership.user,
                    project=membership.project,
                )
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, _error_messages(error))
            else:
                messages.success(
                    request,
                    _("%(member)s is now assigned to this person's care.")
                    % {"member": membership.user},
                )
                return redirect("access:care_team", person_id=person.pk)
    else:
        log_web_read(request, person, "care_team")
    roles = {}
    for m in Membership.objects.filter(
        user_id__in={a.user_id for a in active}, project_id__in={a.project_id for a in active}
    ):
        roles.setdefault((m.user_id, m.project_id), []).append(_role_label(m.role))
    rows = [
        {
            "assignment": a,
            "roles": roles.get((a.user_id, a.project_id), []),
            "may_end": a.project_id in manage_projects,
        }
        for a in active
    ]
    past = []
    if manage_projects:
        past = list(
            CareAssignment.objects.filter(person=person, ended_at__isnull=False)
            .select_related("user", "project", "assigned_by")
            .order_by("-ended_at")[:50]
        )
    context = {
        "card": person_card(request.user, person),
        "rows": rows,
        "past": past,
        "form": form if manage_projects else None,
        "has_candidates": bool(candidates),
    }
    return render(request, "access/care_team.html", context)


def _end_assignment(request: HttpRequest, person, raw_id: str) -> None:
    try:
        assignment_id = int(raw_id)
    except ValueError:
        raise Http404 from None
    assignment = get_object_or_404(
        CareAssignment.objects.select_related("user", "person", "project"),
        pk=assignment_id,
        person=person,
        ended_at__isnull=True,
    )
    try:
        services.care_unassign(actor=request.user, assignment=assignment)
    except (PermissionDenied, ValidationError) as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(member)s is no longer assigned to this person's care.")
            % {"member": assignment.user},
        )


# ---------------------------------------------------------------- break-glass


def _no_record(form) -> None:
    form.add_error("code", _("No record with this code."))


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    role = services.break_glass_role(request.user)
    if role is None:
        raise Http404
    if request.method == "POST":
        form = BreakGlassForm(request.POST)
        if form.is_valid():
            person = _break_glass_target(form)
            if person is None:
                _no_record(form)
            else:
                try:
                    opening = services.break_glass_open(
                        actor=request.user, person=person, reason=form.cleaned_data["reason"]
                    )
                except PermissionDenied as error:
                    form.add_error(None, _error_messages(error))
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.warning(
                        request,
                        _(
                            "Record opened outside your usual scope until %(until)s. "
                            "This opening is logged and reviewed."
                        )
                        % {
                            "until": date_format(
                                timezone.localtime(opening.expires_at), "SHORT_DATETIME_FORMAT"
                            )
                        },
                    )
                    return redirect("people:detail", person_id=person.pk)
    else:
        initial = {}
        try:
            requested = int(request.GET.get("person", ""))
        except ValueError:
            requested = None
        if requested and requested > 0:
            initial["person"] = requested
        form = BreakGlassForm(initial=initial)
    openings = list(
        BreakGlass.objects.filter(user=request.user, expires_at__gt=timezone.now())
        .select_related("person")
        .order_by("expires_at")
    )
    context = {
        "form": form,
        "role_label": _role_label(role),
        "hours": BREAK_GLASS_HOURS,
        "openings": openings,
        "prefilled": bool(form["person"].value()),
    }
    return render(request, "access/break_glass.html", context)


def _break_glass_target(form):
    code = (form.cleaned_data.get("code") or "").strip().upper()
    if code:
        enrolment = Enrolment.objects.filter(code=code).select_related("person").first()
        return enrolment.person if enrolment else None
    return Person.objects.filter(pk=form.cleaned_data["person"]).first()


def _reviewer(user) -> bool:
    return any(role in BREAK_GLASS_REVIEWERS for _pid, role in memberships(user))


@login_required
def break_glass_review_list(request: HttpRequest) -> HttpResponse:
    if not _reviewer(request.user):
        raise Http404
    openings = services.break_glass_reviewable_by(request.user).order_by(
        F("reviewed_at").asc(nulls_first=True), "-opened_at", "-id"
    )
    unreviewed = openings.filter(reviewed_at__isnull=True).count()
    page = Paginator(openings, settings.PARCOURS_PAGE_SIZE).get_page(request.GET.get("page"))
    person_ids = {o.person_id for o in page.object_list}
    my_projects = {pid for pid, role in memberships(request.user) if role in BREAK_GLASS_REVIEWERS}
    codes: dict[int, list[str]] = {}
    for enrolment in Enrolment.objects.filter(person_id__in=person_ids, project_id__in=my_projects):
        codes.setdefault(enrolment.person_id, []).append(enrolment.code)
    now = timezone.now()
    rows = [
        {
            "opening": o,
            "role": _role_label(o.role),
            "codes": codes.get(o.person_id, []),
            "is_open": o.expires_at > now,
        }
        for o in page.object_list
    ]
    context = {
        "rows": rows,
        "page": page,
        "unreviewed": unreviewed,
        "review_form": BreakGlassReviewForm(),
    }
    return render(request, "access/break_glass_review.html", context)


@login_required
@require_POST
def break_glass_mark_reviewed(request: HttpRequest, opening_id: int) -> HttpResponse:
    if not _reviewer(request.user):
        raise Http404
    opening = get_object_or_404(services.break_glass_reviewable_by(request.user), pk=opening_id)
    form = BreakGlassReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            services.break_glass_review(
                actor=request.user, opening=opening, note=form.cleaned_data["note"]
            )
        except (PermissionDenied, ValidationError) as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Opening of %(person)s by %(user)s marked as reviewed.")
                % {"person": opening.person.display_name, "user": opening.user},
            )
    return redirect("access:break_glass_review")
