"""Break-glass: a clinician opens a record outside their scope, with a
written reason, for a few hours; referents and coordinators review openings."""

import contextlib

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
from parcours.access.models import BreakGlass
from parcours.access.scope import (
    break_glass_hours,
    break_glass_review_projects,
    break_glass_reviewable_by,
    break_glass_role,
    log_reads,
    may_review_break_glass,
    parse_id,
)
from parcours.access.terms import role_label
from parcours.audit.events import Read
from parcours.dossier.forms import BreakGlassForm, BreakGlassReviewForm
from parcours.lib.forms import apply_validation_error, error_messages, flash_errors
from parcours.people.models import Enrolment, Person


def _no_record(form) -> None:
    form.add_error("code", _("No record with this code."))


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    role = break_glass_role(request.user)
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
                    form.add_error(None, error_messages(error))
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    if opening.needs_approval:
                        messages.warning(
                            request,
                            _(
                                "You have used today's break-glass openings. Your request was "
                                "sent to the coordinator and the medical referent of the "
                                "person's project: the record opens when one of them approves it."
                            ),
                        )
                        return redirect("dossier:break_glass")
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
                    return redirect("dossier:person", person_id=person.pk)
    else:
        initial = {}
        with contextlib.suppress(Http404):
            initial["person"] = parse_id(request.GET.get("person"))
        form = BreakGlassForm(initial=initial)
    now = timezone.now()
    mine = BreakGlass.objects.filter(user=request.user).select_related("person")
    openings = [o for o in mine.filter(expires_at__gt=now).order_by("expires_at") if o.is_open]
    pending = list(
        mine.filter(needs_approval=True, approved_at__isnull=True, reviewed_at__isnull=True)
    )
    context = {
        "form": form,
        "role_label": role_label(role),
        "hours": break_glass_hours(),
        "openings": openings,
        "pending": pending,
        "daily_limit": settings.PARCOURS_BREAK_GLASS_DAILY_LIMIT,
        "prefilled": bool(form["person"].value()),
    }
    return render(request, "dossier/break_glass.html", context)


def _break_glass_target(form):
    code = (form.cleaned_data.get("code") or "").strip().upper()
    if code:
        enrolment = Enrolment.objects.filter(code=code).select_related("person").first()
        return enrolment.person if enrolment else None
    return Person.objects.filter(pk=form.cleaned_data["person"]).first()


@login_required
def break_glass_review_list(request: HttpRequest) -> HttpResponse:
    if not may_review_break_glass(request.user):
        raise Http404
    openings = break_glass_reviewable_by(request.user).order_by(
        F("reviewed_at").asc(nulls_first=True), "-needs_approval", "-opened_at", "-id"
    )
    unreviewed = openings.filter(reviewed_at__isnull=True).count()
    page = Paginator(openings, settings.PARCOURS_PAGE_SIZE).get_page(request.GET.get("page"))
    person_ids = {o.person_id for o in page.object_list}
    my_projects = break_glass_review_projects(request.user)
    codes: dict[int, list[str]] = {}
    for enrolment in Enrolment.objects.filter(person_id__in=person_ids, project_id__in=my_projects):
        codes.setdefault(enrolment.person_id, []).append(enrolment.code)
    log_reads(request, {o.person for o in page.object_list}, Read.IDENTITY_SUMMARY)
    rows = [
        {
            "opening": o,
            "role": role_label(o.role),
            "codes": codes.get(o.person_id, []),
            "is_open": o.is_open,
            "is_pending": o.is_pending,
        }
        for o in page.object_list
    ]
    context = {
        "rows": rows,
        "page": page,
        "unreviewed": unreviewed,
        "review_form": BreakGlassReviewForm(),
    }
    return render(request, "dossier/break_glass_review.html", context)


@login_required
@require_POST
def break_glass_mark_reviewed(request: HttpRequest, opening_id: int) -> HttpResponse:
    if not may_review_break_glass(request.user):
        raise Http404
    opening = get_object_or_404(break_glass_reviewable_by(request.user), pk=opening_id)
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
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("Opening of %(person)s by %(user)s marked as reviewed.")
                % {"person": opening.person.display_name, "user": opening.user},
            )
    return redirect("dossier:break_glass_review")


@login_required
@require_POST
def break_glass_approve(request: HttpRequest, opening_id: int) -> HttpResponse:
    if not may_review_break_glass(request.user):
        raise Http404
    opening = get_object_or_404(break_glass_reviewable_by(request.user), pk=opening_id)
    try:
        services.break_glass_approve(actor=request.user, opening=opening)
    except (PermissionDenied, ValidationError) as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(user)s may open the record of %(person)s for %(hours)d hours.")
            % {
                "person": opening.person.display_name,
                "user": opening.user,
                "hours": break_glass_hours(),
            },
        )
    return redirect("dossier:break_glass_review")
