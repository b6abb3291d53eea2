"""Data-protection pages: subject access (request, PDF/JSON export), erasure
and legal hold, retention rules and runs, pseudonymised exports, register.
Each one checks its rule in parcours.access.scope and is audited."""

import json
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parcours.access.module_scopes import (
    erasure_projects,
    may_read_register,
    pseudonymised_export_projects,
    subject_access_projects,
)
from parcours.access.scope import is_configuration_admin, log_reads, person_for, person_projects
from parcours.audit import services as audit
from parcours.audit.events import Event, Read
from parcours.gdpr import exports, services, subject_access
from parcours.gdpr.models import (
    Anonymisation,
    ErasureRequest,
    RequestChannel,
    RetentionRule,
    RetentionRun,
    SubjectAccessRequest,
)
from parcours.gdpr.register import register_pdf
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.lib.pdf import PDF_CONTENT_TYPE
from parcours.lib.spreadsheets import xlsx_response
from parcours.org.models import Project


class AccessRequestForm(forms.Form):
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("How it was made"), choices=RequestChannel.choices
    )
    identity_checked = forms.BooleanField(label=gettext_lazy("Identity checked"), required=False)
    identity_check = forms.CharField(
        label=gettext_lazy("How the identity was checked"), max_length=255, required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the export"), choices=SubjectAccessRequest.Language.choices
    )


class ErasureForm(forms.Form):
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("How it was made"), choices=RequestChannel.choices
    )
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"), choices=ErasureRequest.Basis.choices
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the identity and every free text will be removed"),
    )


def _person_in(request, person_id, projects: set[int], read: str = ""):
    person = person_for(request.user, person_id, read=read, request=request)
    if not person_projects(person) & projects:
        raise Http404
    return person


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    access = subject_access_projects(user)
    erasure = erasure_projects(user)
    meal = pseudonymised_export_projects(user)
    admin = is_configuration_admin(user)
    register = may_read_register(user)
    if not (access or erasure or meal or admin or register):
        raise Http404
    return render(
        request,
        "gdpr/index.html",
        {
            "access_requests": SubjectAccessRequest.objects.filter(
                project_id__in=access
            ).select_related("recorded_by")[:30],
            "erasures": ErasureRequest.objects.filter(project_id__in=erasure).select_related(
                "recorded_by"
            )[:30],
            "meal_projects": Project.objects.filter(pk__in=meal),
            "admin": admin,
            "register": register,
            "runs": RetentionRun.objects.all()[:10] if admin else [],
        },
    )


@login_required
def access_request(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_in(
        request, person_id, subject_access_projects(request.user), read=Read.IDENTITY
    )
    form = AccessRequestForm(
        initial={"received_on": timezone.localdate(), "language": request.user.language or "fr"}
    )
    if request.method == "POST":
        form = AccessRequestForm(request.POST)
        if form.is_valid():
            try:
                services.access_request_record(
                    actor=request.user, person=person, data=form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("Request recorded: the export can be generated."))
                return redirect("gdpr:access_export", person_id=person.pk)
    requests_ = SubjectAccessRequest.objects.filter(person=person).select_related("recorded_by")
    return render(
        request, "gdpr/access_request.html", {"person": person, "form": form, "requests": requests_}
    )


@login_required
def access_export(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_in(request, person_id, subject_access_projects(request.user))
    subject_request = (
        SubjectAccessRequest.objects.filter(person=person).order_by("-recorded_at").first()
    )
    fmt = request.GET.get("format", "")
    if fmt not in ("pdf", "json"):
        log_reads(request, [person], Read.IDENTITY)
        return render(
            request,
            "gdpr/access_export.html",
            {"person": person, "subject_request": subject_request},
        )
    if subject_request is None:
        messages.info(request, _("Record the person's request first."))
        return redirect("gdpr:access_request", person_id=person.pk)
    log_reads(request, [person], Read.SUBJECT_ACCESS, export=True)
    SubjectAccessRequest.objects.filter(pk=subject_request.pk).update(
        exports=subject_request.exports + 1
    )
    audit.record(
        actor=request.user,
        event=Event.GDPR_ACCESS_EXPORT,
        subject=person,
        extra={"request": subject_request.pk, "format": fmt},
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        body = json.dumps(
            subject_access.as_json(
                subject_access.build(request.user, person), request=subject_request
            ),
            ensure_ascii=False,
            indent=2,
            default=str,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{person.pk}-{stamp}.json"'
        )
    else:
        response = HttpResponse(
            subject_access.as_pdf(request.user, person, subject_request),
            content_type=PDF_CONTENT_TYPE,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{person.pk}-{stamp}.pdf"'
        )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def erasure(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_in(request, person_id, erasure_projects(request.user), read=Read.IDENTITY)
    form = ErasureForm(initial={"received_on": timezone.localdate()})
    if request.method == "POST":
        form = ErasureForm(request.POST)
        if form.is_valid():
            try:
                outcome = services.erasure_request(
                    actor=request.user, person=person, data=form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                if outcome.status == ErasureRequest.Status.REFUSED:
                    messages.error(
                        request,
                        _("Erasure refused: %(reason)s") % {"reason": outcome.refusal_reason},
                    )
                else:
                    messages.success(request, _("The person's data was erased (anonymised)."))
                return redirect("gdpr:erasure", person_id=person.pk)
    return render(
        request,
        "gdpr/erasure.html",
        {
            "person": person,
            "form": form,
            "hold": services.held(person),
            "anonymised": Anonymisation.objects.filter(person=person).first(),
            "requests": ErasureRequest.objects.filter(person=person),
        },
    )


@login_required
@require_POST
def legal_hold(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_in(request, person_id, erasure_projects(request.user))
    try:
        if request.POST.get("lift"):
            services.legal_hold_lift(actor=request.user, person=person)
        else:
            services.legal_hold_set(
                actor=request.user, person=person, reason=request.POST.get("reason", "")
            )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("gdpr:erasure", person_id=person.pk)


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    if not is_configuration_admin(request.user):
        raise Http404
    if request.method == "POST":
        for key in RetentionRule.Key.values:
            raw = request.POST.get(key, "").strip()
            if not raw:
                continue
            try:
                services.retention_rule_set(actor=request.user, key=key, days=int(raw))
            except ValueError:
                messages.error(request, _("Enter a number of days."))
            except (ValidationError, PermissionDenied) as error:
                flash_errors(request, error)
        return redirect("gdpr:retention")
    days = services.rule_days()
    return render(
        request,
        "gdpr/retention.html",
        {
            "rules": [(key, label, days[key]) for key, label in RetentionRule.Key.choices],
            "runs": RetentionRun.objects.all()[:20],
        },
    )


@login_required
def pseudonymised_export(request: HttpRequest) -> HttpResponse:
    projects = pseudonymised_export_projects(request.user)
    if not projects:
        raise Http404
    fmt = request.GET.get("format", "")
    if fmt not in ("xlsx", "csv_persons", "csv_encounters"):
        return render(
            request,
            "gdpr/pseudonymised.html",
            {"projects": Project.objects.filter(pk__in=projects)},
        )
    chosen = projects
    if request.GET.get("project"):
        try:
            chosen = projects & {int(request.GET["project"])}
        except ValueError:
            raise Http404 from None
        if not chosen:
            raise Http404
    for project_id in sorted(chosen):
        audit.record(
            actor=request.user,
            event=Event.GDPR_PSEUDONYMISED_EXPORT,
            subject=Project.objects.get(pk=project_id),
            extra={"format": fmt},
        )
    if fmt == "xlsx":
        return xlsx_response(exports.as_xlsx(chosen), "pseudonymised")
    what = "encounters" if fmt == "csv_encounters" else "persons"
    response = HttpResponse(exports.as_csv(chosen, what), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="parcours-pseudonymised-{what}-{date.today().isoformat()}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def register(request: HttpRequest) -> HttpResponse:
    if not may_read_register(request.user):
        raise Http404
    language = request.GET.get("lang") or request.user.language or "fr"
    language = language if language in ("fr", "en") else "fr"
    audit.record(
        actor=request.user,
        event=Event.GDPR_REGISTER,
        subject=request.user,
        extra={"language": language},
    )
    response = HttpResponse(register_pdf(language), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="register-of-processing.pdf"'
    return response
