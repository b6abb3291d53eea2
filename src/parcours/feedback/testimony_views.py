"""Testimony pages: the list, recording, the page of one testimony (with
the review helper for the protection team), editing, review, withdrawal.
Advocacy reaches only reviewed testimonies of public use, and never the
person's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parcours.access.models import TestimonyUse
from parcours.access.scope import log_reads, parse_id, projects_where, visible_persons
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.feedback import testimonies
from parcours.feedback.forms import TestimonyForm
from parcours.feedback.highlight import highlighted
from parcours.feedback.models import TAG_FIELDS, PlaceType, Testimony, TestimonyStatus
from parcours.lib.forms import apply_validation_error
from parcours.org.models import Project

STALE = gettext_lazy(
    "Someone else changed this testimony since you opened it: here it is as it is now. "
    "Make your change again."
)


def _testimony_or_404(user, testimony_id) -> Testimony:
    found = testimonies.visible_testimonies(user).filter(pk=parse_id(testimony_id)).first()
    if found is None:
        raise Http404
    return found


def _labels(testimony) -> dict:
    out = {}
    for name, choices in TAG_FIELDS.items():
        labels = dict(choices.choices)
        out[name] = [labels.get(v, v) for v in getattr(testimony, name)]
    return out


@login_required
def testimony_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not projects_where(user, Action.VIEW, Category.TESTIMONY):
        raise Http404
    rows = list(testimonies.visible_testimonies(user)[:300])
    full = testimonies.protection_projects(user)
    return render(
        request,
        "feedback/testimonies.html",
        {
            "rows": [
                {
                    "t": t,
                    "use": TestimonyUse(t.use_in_force).label,
                    "tags": _labels(t),
                    "place_type": dict(PlaceType.choices).get(t.place_type, ""),
                }
                for t in rows
            ],
            "may_record": bool(full),
            "withdrawn": testimonies.withdrawn_count(user),
            "may_export": bool(projects_where(user, Action.EXPORT, Category.TESTIMONY)),
        },
    )


def _person_from_code(user, code: str):
    code = (code or "").strip().upper()
    if not code:
        return None
    return visible_persons(user).filter(enrolments__code=code).first()


@login_required
def testimony_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    project_ids = testimonies.protection_projects(user)
    if not project_ids:
        raise Http404
    projects = list(Project.objects.filter(pk__in=project_ids).order_by("name"))
    form = TestimonyForm(request.POST or None)
    person_code = request.POST.get("person_code", "") if request.method == "POST" else ""
    project_value = request.POST.get("project", "")
    errors = []
    if request.method == "POST" and form.is_valid():
        project = next((p for p in projects if str(p.pk) == project_value), None)
        person = _person_from_code(user, person_code)
        if project is None:
            errors.append(_("Choose the project."))
        elif person_code.strip() and person is None:
            errors.append(_("No person with this code among the persons you follow."))
        else:
            try:
                testimony = testimonies.testimony_record(
                    actor=user, project=project, person=person, data=form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                errors.extend(getattr(error, "messages", [str(error)]))
            else:
                messages.success(
                    request,
                    _("Testimony %(reference)s recorded: it waits for review.")
                    % {"reference": testimony.reference},
                )
                return redirect("feedback:testimony", testimony_id=testimony.pk)
    status = 400 if (form.errors or errors) else 200
    return render(
        request,
        "feedback/testimony_form.html",
        {
            "form": form,
            "projects": projects,
            "project_value": project_value,
            "person_code": person_code,
            "errors": errors,
            "testimony": None,
        },
        status=status,
    )


def _names(testimony) -> list[str]:
    person = testimony.person
    if person is None:
        return [testimony.attribution] if testimony.attribution else []
    names = [person.given_name, person.family_name, person.name_original, testimony.attribution]
    names += (
        list(person.aliases.values_list("name", flat=True)) if hasattr(person, "aliases") else []
    )
    parts = [p for n in names if n for p in n.split()]
    return [n for n in names if n] + parts


@login_required
def testimony_page(request: HttpRequest, testimony_id) -> HttpResponse:
    user = request.user
    testimony = _testimony_or_404(user, testimony_id)
    full = testimony.project_id in testimonies.protection_projects(user)
    if full and testimony.person_id:
        log_reads(request, [testimony.person], Read.TESTIMONY)
    return render(
        request,
        "feedback/testimony.html",
        {
            "t": testimony,
            "full": full,
            "use": TestimonyUse(testimony.use_in_force).label,
            "attribution": testimonies.shows_attribution(testimony) or full,
            "tags": _labels(testimony),
            "place_type": dict(PlaceType.choices).get(testimony.place_type, ""),
            "text": highlighted(testimony.text, _names(testimony)) if full else testimony.text,
            "may_review": testimonies.may_review(user, testimony)
            and testimony.status == TestimonyStatus.TO_REVIEW,
            "may_edit": testimonies.may_edit(user, testimony),
        },
    )


def _initial(testimony) -> dict:
    return {
        "date": testimony.date,
        "place": testimony.place,
        "place_type": testimony.place_type,
        "language": testimony.language,
        "text": testimony.text,
        "violence_types": testimony.violence_types,
        "perpetrator_types": testimony.perpetrator_types,
        "care_barriers": testimony.care_barriers,
        "use": testimony.use_in_force,
        "attribution": testimony.attribution,
    }


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@login_required
def testimony_edit(request: HttpRequest, testimony_id) -> HttpResponse:
    user = request.user
    testimony = _testimony_or_404(user, testimony_id)
    if not testimonies.may_edit(user, testimony):
        raise Http404
    form = TestimonyForm(request.POST or None, initial=_initial(testimony))
    if request.method == "POST" and form.is_valid():
        try:
            testimonies.testimony_update(
                actor=user, testimony=testimony, version=_version(request), data=form.cleaned_data
            )
        except testimonies.StaleTestimony:
            messages.error(request, STALE)
            return redirect("feedback:testimony_edit", testimony_id=testimony.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Testimony saved: it waits for review again."))
            return redirect("feedback:testimony", testimony_id=testimony.pk)
    return render(
        request,
        "feedback/testimony_form.html",
        {"form": form, "testimony": testimony, "errors": []},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def testimony_review(request: HttpRequest, testimony_id) -> HttpResponse:
    user = request.user
    testimony = _testimony_or_404(user, testimony_id)
    if not testimonies.may_review(user, testimony):
        raise Http404
    try:
        testimonies.testimony_review(actor=user, testimony=testimony, version=_version(request))
    except testimonies.StaleTestimony:
        messages.error(request, STALE)
    else:
        messages.success(request, _("Reviewed: ready for advocacy within its consent."))
    return redirect("feedback:testimony", testimony_id=testimony.pk)


@login_required
@require_POST
def testimony_withdraw(request: HttpRequest, testimony_id) -> HttpResponse:
    user = request.user
    testimony = _testimony_or_404(user, testimony_id)
    if not testimonies.may_edit(user, testimony):
        raise Http404
    try:
        testimonies.testimony_withdraw(actor=user, testimony=testimony)
    except (PermissionDenied, ValidationError) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
        return redirect("feedback:testimony", testimony_id=testimony.pk)
    messages.success(
        request, _("Consent withdrawn: the testimony is out of every list and export.")
    )
    return redirect("feedback:testimonies")
