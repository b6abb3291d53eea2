"""The referral pages: a person's referrals, sending one, following it
(status, dates), its letter, and the user's own referrals. Every page about
a person writes its access-log row."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.records import record_scope
from parcours.access.scope import person_for
from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.audit import services as audit
from parcours.audit.events import Event, Read
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.lib.pdf import PDF_CONTENT_TYPE
from parcours.network import services
from parcours.network.forms import ReferralForm, StatusForm
from parcours.network.letter import check_letter, letter_sections, referral_letter
from parcours.network.models import Service
from parcours.network.referrals import (
    colleagues,
    consented_organisations,
    log_referral_reads,
    may_update,
    my_referrals,
    person_referrals,
    referral_consent,
    referral_for,
    referring_categories,
    shareable_categories,
)


def _label(category: str) -> str:
    return str(CATEGORY_LABELS[Category(category)])


@login_required
def person_referrals_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id, read=Read.REFERRAL, request=request)
    scope = record_scope(request.user, person)
    rows = person_referrals(request.user, person, scope=scope)
    today = timezone.localdate()
    return render(
        request,
        "network/person_referrals.html",
        {
            "person": person,
            "rows": [
                {
                    "referral": r,
                    "overdue": r.is_overdue(today),
                    "shared": [_label(c) for c in r.shared_categories],
                }
                for r in rows
            ],
            "may_refer": bool(referring_categories(request.user, person)),
        },
    )


def _form(request, person, data=None):
    disciplines = referring_categories(request.user, person)
    project_ids = sorted({p for projects in disciplines.values() for p in projects})
    people = {}
    for membership in colleagues(project_ids[0]) if project_ids else []:
        if membership.user_id != request.user.pk:
            user = membership.user
            people[user.pk] = user.get_full_name() or user.username
    directory = [
        (s.pk, f"{s.city} · {s.name}" if s.city else s.name)
        for s in Service.objects.filter(is_active=True).order_by("city", "name")
    ]
    return ReferralForm(
        data,
        disciplines=list(disciplines),
        colleagues=sorted(people.items(), key=lambda item: item[1]),
        services=directory,
        shareable=shareable_categories(request.user, person),
        initial={"kind": "external"},
    )


@login_required
def referral_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id, read=Read.REFERRAL, request=request)
    if not referring_categories(request.user, person):
        raise Http404
    form = _form(request, person, request.POST or None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.referral_data()
        try:
            referral = services.referral_send(
                actor=request.user,
                person=person,
                data=data,
                confirm_warnings=bool(form.cleaned_data.get("confirm")),
            )
        except services.NeedsConfirmation as pending:
            warnings = pending.warnings
            form = _form(request, person, {**request.POST.dict(), "confirm": "1"} | _lists(request))
            form.is_valid()
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Referral sent."))
            return redirect("network:referral_detail", referral.pk)
    return render(
        request,
        "network/referral_form.html",
        {
            "person": person,
            "form": form,
            "warnings": warnings,
            "consented": consented_organisations(person),
        },
    )


def _lists(request) -> dict:
    """The multiple-choice values of the POST (QueryDict.dict() keeps one)."""
    return {"categories": request.POST.getlist("categories")}


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, scope = referral_for(request.user, referral_id, read=Read.REFERRAL, request=request)
    letter_refusal = ""
    if referral.kind == "external":
        try:
            check_letter(referral)
        except PermissionDenied as refusal:
            letter_refusal = str(refusal)
    return render(
        request,
        "network/referral_detail.html",
        {
            "referral": referral,
            "person": referral.person,
            "overdue": referral.is_overdue(),
            "shared": [_label(c) for c in referral.shared_categories],
            "sections": letter_sections(referral, scope)
            if referral.kind == "external" and not letter_refusal
            else [],
            "letter_refusal": letter_refusal,
            "consent_in_force": referral.kind == "external"
            and referral_consent(referral.person, referral.organisation) is not None,
            "may_update": may_update(request.user, referral, scope),
            "form": StatusForm(initial={"version": referral.version}),
        },
    )


@login_required
@require_POST
def referral_status(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, scope = referral_for(request.user, referral_id)
    if not may_update(request.user, referral, scope):
        raise Http404
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("network:referral_detail", referral.pk)
    data = form.cleaned_data
    try:
        services.referral_update(
            actor=request.user,
            referral_id=referral.pk,
            version=data["version"],
            status=data["status"],
            on=data["on"],
            note=data["note"],
            follow_up_on=data["follow_up_on"],
        )
    except services.Stale:
        messages.error(
            request, _("Someone else changed this referral since you opened it: check it again.")
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Referral updated."))
    return redirect("network:referral_detail", referral.pk)


@login_required
def referral_letter_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, scope = referral_for(request.user, referral_id)
    language = request.GET.get("lang", "fr")
    try:
        pdf = referral_letter(referral, scope, language=language)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect("network:referral_detail", referral.pk)
    log_referral_reads(request, [referral])
    audit.record(
        actor=request.user,
        event=Event.REFERRAL_LETTER,
        subject=referral,
        project=referral.project,
        extra={
            "person": referral.person_id,
            "language": language,
            "shared": referral.shared_categories,
        },
    )
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = list(my_referrals(request.user)[:200])
    log_referral_reads(request, rows)
    today = timezone.localdate()
    return render(
        request,
        "network/my_referrals.html",
        {"rows": [{"referral": r, "overdue": r.is_overdue(today)} for r in rows]},
    )
