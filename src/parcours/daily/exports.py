"""XLSX exports of the day's lists: a site's agenda of one day, and the
user's own follow-ups.

No role has the export right on a clinical category, so both exports carry
only what the identity export right allows (coordinators, in their
projects): the appointment's slot (time, person, discipline, clinician,
site, status; as an agenda shows it to reception), never its reason; the
follow-up's due date, person and discipline (the slot its appointment takes
in the agenda), never the encounter's content. Audited, every person
access-logged on the export channel, no cell that could run as a formula.
"""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from parcours.access.records import shown_encounters_q
from parcours.access.scope import log_reads, parse_id, projects_where, visible_persons
from parcours.access.terms import Action, Category
from parcours.agenda.agenda import clinician_name
from parcours.agenda.models import Appointment, Status
from parcours.audit import services as audit
from parcours.audit.events import Event, Read
from parcours.care.models import Encounter
from parcours.daily.figures import day_bounds
from parcours.lib.dates import parse_day
from parcours.lib.spreadsheets import safe_row, xlsx_response
from parcours.org.models import Site
from parcours.people.presenters import codes_seen

# As for the people list: an export is a work list, not a copy of the records.
MAX_ROWS = 20_000


def export_projects(user) -> set[int]:
    """Projects whose lists the user may export: identity export there."""
    return projects_where(user, Action.EXPORT, Category.IDENTITY)


def _day(value: str) -> date:
    return parse_day(value) or timezone.localdate()


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@login_required
def agenda_day_export(request: HttpRequest, site_id: int) -> HttpResponse:
    user = request.user
    projects = export_projects(user)
    site = (
        Site.objects.select_related("project")
        .filter(pk=parse_id(site_id), project_id__in=projects)
        .first()
    )
    if site is None:
        raise Http404
    day = _day(request.GET.get("day", ""))
    start, end = day_bounds(day)
    appointments = list(
        Appointment.objects.filter(
            site=site,
            starts_at__gte=start,
            starts_at__lt=end,
            person__in=visible_persons(user, Action.EXPORT, project=site.project_id),
        )
        .select_related("person", "clinician")
        .prefetch_related("person__enrolments")
        .order_by("starts_at", "id")[:MAX_ROWS]
    )
    seen = projects_where(user, Action.VIEW, Category.IDENTITY)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Agenda"))
    sheet.append(safe_row([f"{site.name} ({site.project.name})", day.isoformat()]))
    sheet.append(
        [
            _("Start"),
            _("End"),
            _("Codes"),
            _("Given name"),
            _("Family name"),
            _("Discipline"),
            _("Follow-up"),
            _("Clinician"),
            _("Status"),
        ]
    )
    for a in appointments:
        sheet.append(
            safe_row(
                [
                    _local(a.starts_at),
                    _local(a.ends_at),
                    " ".join(codes_seen(a.person, seen)),
                    a.person.given_name,
                    a.person.family_name,
                    str(a.get_discipline_display()),
                    _("yes") if a.follow_up_of_id else "",
                    clinician_name(a.clinician) if a.clinician_id else "",
                    str(Status(a.status).label),
                ]
            )
        )
    persons = {a.person_id: a.person for a in appointments}
    log_reads(request, persons.values(), Read.LIST_EXPORT, export=True)
    audit.record(
        actor=user,
        event=Event.AGENDA_EXPORT,
        subject=site,
        project=site.project,
        extra={"day": day.isoformat(), "rows": len(appointments)},
    )
    return xlsx_response(book, f"agenda-{day.isoformat()}")


def own_follow_ups(user, projects: set[int]):
    """The user's follow-ups not done, about persons and disciplines the user
    still sees in full, in ``projects``, persons the user may export."""
    shown = shown_encounters_q(user)
    if shown is None or not projects:
        return Encounter.objects.none()
    return (
        Encounter.objects.filter(
            shown,
            author=user,
            project_id__in=projects,
            follow_up_done=False,
            follow_up_on__isnull=False,
            person__in=visible_persons(user, Action.EXPORT),
        )
        .select_related("person", "site")
        .prefetch_related("person__enrolments")
        .order_by("follow_up_on", "id")
    )


@login_required
def follow_ups_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    projects = export_projects(user)
    if not projects:
        raise Http404
    follow_ups = list(own_follow_ups(user, projects)[:MAX_ROWS])
    today = timezone.localdate()
    seen = projects_where(user, Action.VIEW, Category.IDENTITY)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Follow-ups"))
    sheet.append(
        [
            _("Due"),
            _("When"),
            _("Codes"),
            _("Given name"),
            _("Family name"),
            _("Discipline"),
            _("Site"),
        ]
    )
    for e in follow_ups:
        if e.follow_up_on < today:
            when = _("overdue")
        elif e.follow_up_on == today:
            when = _("today")
        else:
            when = _("coming")
        sheet.append(
            safe_row(
                [
                    e.follow_up_on,
                    when,
                    " ".join(codes_seen(e.person, seen)),
                    e.person.given_name,
                    e.person.family_name,
                    str(e.get_discipline_display()),
                    e.site.name,
                ]
            )
        )
    persons = {e.person_id: e.person for e in follow_ups}
    log_reads(request, persons.values(), Read.LIST_EXPORT, export=True)
    audit.record(
        actor=user,
        event=Event.FOLLOW_UPS_EXPORT,
        subject=user,
        extra={"rows": len(follow_ups)},
    )
    return xlsx_response(book, "follow-ups")
