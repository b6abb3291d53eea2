"""Agenda pages: a site's or a clinician's day and week, booking and changing
appointments, marking arrivals, and the clinician's own agenda as .ics."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from parcours.access.module_scopes import appointment_clinicians
from parcours.access.scope import log_reads
from parcours.agenda.agenda import (
    APPOINTMENT_CATEGORIES,
    agenda_clinicians,
    agenda_projects,
    agenda_sites,
    by_day,
    clinician_name,
    in_period,
    is_clinician,
    period_from,
    rows_for,
    visible_appointments,
)
from parcours.agenda.ics import agenda_ics, own_appointments
from parcours.agenda.models import Status
from parcours.audit.events import Read
from parcours.org.models import Site

STATUS_DONE = {
    Status.ARRIVED: _("Arrival marked."),
    Status.MISSED: _("Marked as missed."),
    Status.CANCELLED: _("Appointment cancelled."),
    Status.PLANNED: _("Back to planned."),
}


def _projects_or_404(user) -> set[int]:
    projects = agenda_projects(user)
    if not projects:
        raise Http404
    return projects


@login_required
def agenda_index(request: HttpRequest) -> HttpResponse:
    _projects_or_404(request.user)
    return render(
        request,
        "agenda/index.html",
        {
            "sites": list(agenda_sites(request.user)),
            "clinicians": agenda_clinicians(request.user),
            "mine": is_clinician(request.user),
            "today": timezone.localdate(),
        },
    )


def _agenda(request, appointments, period, *, title: str, subtitle: str, here: str):
    appointments = list(appointments)
    persons = {a.person_id: a.person for a in appointments}
    # The names and times shown: one access-log row per person.
    log_reads(request, persons.values(), Read.AGENDA)
    rows = rows_for(request.user, appointments)

    def link(day, span):
        return f"{here}?{urlencode({'day': day.isoformat(), 'span': span})}"

    return render(
        request,
        "agenda/agenda.html",
        {
            "title": title,
            "subtitle": subtitle,
            "period": period,
            "days": by_day(rows, period),
            "count": len(rows),
            "now": timezone.now(),
            "here": request.get_full_path(),
            "previous_url": link(period.shifted(-1), period.span),
            "next_url": link(period.shifted(1), period.span),
            "today_url": link(timezone.localdate(), period.span),
            "day_url": link(period.first, "day"),
            "week_url": link(period.first, "week"),
        },
    )


@login_required
def agenda_site(request: HttpRequest, site_id: int) -> HttpResponse:
    projects = _projects_or_404(request.user)
    site = (
        Site.objects.select_related("project").filter(pk=site_id, project_id__in=projects).first()
    )
    if site is None:
        raise Http404
    period = period_from(request.GET)
    appointments = in_period(visible_appointments(request.user).filter(site=site), period)
    return _agenda(
        request,
        appointments,
        period,
        title=site.name,
        subtitle=site.project.name,
        here=reverse("agenda:site", args=[site.pk]),
    )


@login_required
def agenda_clinician(request: HttpRequest, clinician_id: int) -> HttpResponse:
    projects = _projects_or_404(request.user)
    if clinician_id == request.user.pk and is_clinician(request.user):
        clinician = request.user
    else:
        membership = (
            appointment_clinicians(projects, APPOINTMENT_CATEGORIES)
            .filter(user_id=clinician_id)
            .first()
        )
        if membership is None:
            raise Http404
        clinician = membership.user
    period = period_from(request.GET)
    appointments = in_period(visible_appointments(request.user).filter(clinician=clinician), period)
    return _agenda(
        request,
        appointments,
        period,
        title=clinician_name(clinician),
        subtitle=_("Clinician's agenda"),
        here=reverse("agenda:clinician", args=[clinician.pk]),
    )


@login_required
def agenda_ics_view(request: HttpRequest) -> HttpResponse:
    """The user's own appointments (from 30 days ago) as an .ics file."""
    since = timezone.now() - timedelta(days=30)
    appointments = list(own_appointments(request.user, agenda_projects(request.user), since=since))
    log_reads(request, {a.person_id: a.person for a in appointments}.values(), Read.AGENDA)
    body = agenda_ics(
        appointments,
        host=request.get_host().split(":")[0] or "parcours",
        name=_("Parcours: my appointments"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="parcours-agenda.ics"'
    response["Cache-Control"] = "no-store"
    return response


# --- booking and changing ------------------------------------------------------
