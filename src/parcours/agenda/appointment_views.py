"""Booking, changing and marking appointments (the agenda's forms)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.appointments import (
    appointment_for,
    may_edit_appointment,
    may_mark_appointment,
)
from parcours.access.module_scopes import appointment_clinicians
from parcours.access.records import recording_sites
from parcours.access.scope import log_reads, may, parse_id, person_for, works_with
from parcours.access.terms import Action
from parcours.agenda import services
from parcours.agenda.agenda import (
    clinician_name,
)
from parcours.agenda.forms import AppointmentForm
from parcours.agenda.models import APPOINTMENT_DISCIPLINES, Status
from parcours.audit.events import Read
from parcours.care.choices import DISCIPLINE_CATEGORY, Discipline
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.org.models import Site
from parcours.people.presenters import person_card

STATUS_DONE = {
    Status.ARRIVED: _("Arrival marked."),
    Status.MISSED: _("Marked as missed."),
    Status.CANCELLED: _("Appointment cancelled."),
    Status.PLANNED: _("Back to planned."),
}


def _hint_id(value) -> int | None:
    try:
        return parse_id(value)
    except Http404:
        return None


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _clinician_choices(project_ids, category) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for membership in appointment_clinicians(project_ids, [category]):
        seen.setdefault(membership.user_id, clinician_name(membership.user))
    return list(seen.items())


def _clinician(form, choices) -> object | None:
    pk = form.cleaned_data.get("clinician")
    if pk is None:
        return None
    if pk not in dict(choices):
        form.add_error("clinician", _("Choose one of the clinicians listed."))
        return None
    return get_user_model().objects.get(pk=pk)


def _site(form, sites) -> Site | None:
    by_id = {s.pk: s for s in sites}
    site = by_id.get(form.cleaned_data.get("site"))
    if site is None:
        form.add_error("site", _("Choose one of the sites listed."))
    return site


def _warn(request, appointment) -> None:
    for warning in getattr(appointment, "warnings", []):
        messages.warning(request, warning)


def _person_url(person_id: int) -> str:
    return reverse("dossier:person", args=[person_id]) + "#appointments"


@login_required
def appointment_new(request: HttpRequest, discipline: str) -> HttpResponse:
    if discipline not in APPOINTMENT_DISCIPLINES:
        raise Http404
    discipline = Discipline(discipline)
    category = DISCIPLINE_CATEGORY[discipline]
    if not may(request.user, Action.CREATE, category):
        raise Http404
    if not request.GET.get("person"):
        messages.info(
            request, _("Open the person's record first, then book the appointment there.")
        )
        return redirect("people:list")
    person = person_for(request.user, request.GET["person"])
    if not works_with(request.user, person):
        raise Http404
    sites = list(recording_sites(request.user, category, person))
    if not sites:
        messages.error(
            request,
            _(
                "This person is not followed in a project where you book this. Enrol them "
                "in your project from their record first."
            ),
        )
        return redirect("dossier:person", person_id=person.pk)
    clinicians = _clinician_choices({s.project_id for s in sites}, category)
    site_ids = [s.pk for s in sites]
    initial = {
        "discipline": discipline.value,
        "site": hint if (hint := _hint_id(request.GET.get("site"))) in site_ids else site_ids[0],
        "clinician": request.user.pk if request.user.pk in dict(clinicians) else None,
        "duration_minutes": 30,
    }
    form = AppointmentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        disciplines=[(discipline.value, discipline.label)],
        sites=[(s.pk, f"{s.name} ({s.project.name})") for s in sites],
        clinicians=clinicians,
        fixed_discipline=True,
    )
    if request.method == "POST" and form.is_valid():
        site = _site(form, sites)
        clinician = _clinician(form, clinicians)
        if not form.errors:
            try:
                appointment = services.appointment_create(
                    actor=request.user,
                    person=person,
                    discipline=discipline,
                    site=site,
                    clinician=clinician,
                    data={
                        "starts_at": form.cleaned_data["starts_at"],
                        "duration_minutes": form.cleaned_data["duration_minutes"],
                        "reason": form.cleaned_data["reason"],
                    },
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Appointment booked."))
                _warn(request, appointment)
                return redirect(_person_url(person.pk))
    # The form shows the person: a read, on the first display and on a redisplay.
    log_reads(request, [person], Read.IDENTITY)
    return render(
        request,
        "agenda/appointment_form.html",
        {
            "form": form,
            "card": person_card(request.user, person),
            "title": _("Book an appointment: %(what)s") % {"what": discipline.label},
        },
    )


@login_required
def appointment_edit(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = appointment_for(
        request.user,
        appointment_id,
        read=Read.APPOINTMENT if request.method == "GET" else "",
        request=request,
    )
    if not may_edit_appointment(request.user, appointment) or appointment.status == Status.SEEN:
        raise Http404
    category = appointment.category
    sites = list(Site.objects.in_use().filter(project_id=appointment.project_id))
    if appointment.site not in sites:
        sites.insert(0, appointment.site)
    clinicians = _clinician_choices({appointment.project_id}, category)
    version = appointment.version
    form = AppointmentForm(
        request.POST if request.method == "POST" else None,
        initial={
            "discipline": appointment.discipline,
            "site": appointment.site_id,
            "clinician": appointment.clinician_id,
            "starts_at": timezone.localtime(appointment.starts_at),
            "duration_minutes": appointment.duration_minutes,
            "reason": appointment.reason,
        },
        disciplines=[(appointment.discipline, appointment.get_discipline_display())],
        sites=[(s.pk, s.name) for s in sites],
        clinicians=clinicians,
        fixed_discipline=True,
    )
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = 0
        if form.is_valid():
            site = _site(form, sites)
            clinician = _clinician(form, clinicians)
            if not form.errors:
                try:
                    updated = services.appointment_update(
                        actor=request.user,
                        appointment_id=appointment.pk,
                        version=version,
                        data={
                            "site": site,
                            "clinician": clinician,
                            "starts_at": form.cleaned_data["starts_at"],
                            "duration_minutes": form.cleaned_data["duration_minutes"],
                            "reason": form.cleaned_data["reason"],
                        },
                    )
                except services.StaleAppointment as stale:
                    version = stale.appointment.version
                    form.add_error(
                        None,
                        _(
                            "Someone else changed this appointment since you opened it. Your "
                            "entries are kept below: save again to apply them."
                        ),
                    )
                except ValidationError as error:
                    apply_validation_error(form, error)
                except PermissionDenied:
                    raise Http404 from None
                else:
                    messages.success(request, _("Changes saved."))
                    _warn(request, updated)
                    return redirect(_safe_next(request, _person_url(appointment.person_id)))
    if request.method == "POST":
        # Shown again after a refusal: the person and the reason are read again.
        log_reads(request, [appointment.person], Read.APPOINTMENT)
    return render(
        request,
        "agenda/appointment_form.html",
        {
            "form": form,
            "card": person_card(request.user, appointment.person),
            "title": _("Change the appointment: %(what)s")
            % {"what": appointment.get_discipline_display()},
            "appointment": appointment,
            "version": version,
            "next": request.GET.get("next", ""),
        },
    )


@login_required
@require_POST
def appointment_status(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Reception and the care team: arrived, missed, cancelled, back to planned."""
    appointment = appointment_for(request.user, appointment_id)
    if not may_mark_appointment(request.user, appointment):
        raise Http404
    day = timezone.localtime(appointment.starts_at).date().isoformat()
    fallback = f"{reverse('agenda:site', args=[appointment.site_id])}?day={day}"
    status = request.POST.get("status", "")
    if status not in STATUS_DONE:
        messages.error(request, _("Choose what happened: arrived, missed or cancelled."))
        return redirect(_safe_next(request, fallback))
    try:
        # No version sent: treated as stale, never as the current one.
        version = parse_id(request.POST.get("version", ""))
    except Http404:
        version = 0
    try:
        services.appointment_update(
            actor=request.user,
            appointment_id=appointment.pk,
            version=version,
            data={"status": status},
        )
    except services.StaleAppointment:
        messages.error(
            request,
            _("Someone else changed this appointment meanwhile: check it and try again."),
        )
    except ValidationError as error:
        flash_errors(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request, f"{appointment.person.display_name}: {STATUS_DONE[Status(status)]}"
        )
    return redirect(_safe_next(request, fallback))
