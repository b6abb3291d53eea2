"""What an agenda shows: the appointments a user sees, as plain rows.

Every row is built from decisions of parcours.access: the slot (person,
time, discipline, clinician, status) for the staff of the project who see
identities; the reason only where the user reads the discipline's category
in full; the actions the user may take on it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from parcours.access.appointments import full_view_projects
from parcours.access.module_scopes import appointment_clinicians
from parcours.access.records import FULL, recording_sites
from parcours.access.scope import projects_where, visible_persons, works_with
from parcours.access.terms import Action, Category
from parcours.agenda.models import APPOINTMENT_DISCIPLINES, OPEN_STATUSES, Appointment, Status
from parcours.agenda.validation import past_and_planned
from parcours.care.choices import DISCIPLINE_CATEGORY
from parcours.lib.dates import parse_day
from parcours.org.models import Site

APPOINTMENT_CATEGORIES = sorted({DISCIPLINE_CATEGORY[d] for d in APPOINTMENT_DISCIPLINES})


def agenda_projects(user) -> set[int]:
    """Projects whose agenda the user sees: where they see identities."""
    return projects_where(user, Action.VIEW, Category.IDENTITY)


def visible_appointments(user):
    """The appointments whose slot the user sees (their persons visible)."""
    projects = agenda_projects(user)
    if not projects:
        return Appointment.objects.none()
    return Appointment.objects.filter(
        project_id__in=projects, person__in=visible_persons(user)
    ).select_related("person", "site", "clinician")


def agenda_sites(user):
    return Site.objects.filter(project_id__in=agenda_projects(user), is_active=True).select_related(
        "project"
    )


def agenda_clinicians(user) -> list[dict]:
    """The clinicians of the user's projects who hold appointments, once each."""
    seen: dict[int, dict] = {}
    for membership in appointment_clinicians(agenda_projects(user), APPOINTMENT_CATEGORIES):
        seen.setdefault(
            membership.user_id, {"id": membership.user_id, "name": clinician_name(membership.user)}
        )
    return list(seen.values())


def clinician_name(user) -> str:
    return user.get_full_name() or user.username


def is_clinician(user) -> bool:
    """Holds appointments somewhere (has an agenda of their own)."""
    return any(projects_where(user, Action.CREATE, c) for c in APPOINTMENT_CATEGORIES)


# --- periods -------------------------------------------------------------------


@dataclass
class Period:
    first: date
    days: int

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.first + timedelta(days=self.days), time.min)
        )

    @property
    def span(self) -> str:
        return "week" if self.days == 7 else "day"

    def shifted(self, direction: int) -> date:
        return self.first + timedelta(days=direction * self.days)


def period_from(params, *, today: date | None = None) -> Period:
    """?day=YYYY-MM-DD&span=day|week (a week starts on Monday); today otherwise."""
    today = today or timezone.localdate()
    day = parse_day(params.get("day")) or today
    if params.get("span") == "week":
        return Period(day - timedelta(days=day.weekday()), 7)
    return Period(day, 1)


# --- rows ----------------------------------------------------------------------


@dataclass
class Row:
    id: int
    starts_at: datetime
    ends_at: datetime
    person_id: int
    person_name: str
    discipline: str
    discipline_label: str
    clinician: str
    site: str
    status: str
    status_label: str
    version: int
    reason: str | None  # None: not the user's to read
    follow_up: bool
    past_planned: bool
    may_mark: bool
    may_edit: bool
    record_url: str | None
    actions: list[tuple[str, str]] = field(default_factory=list)


# The status buttons offered on an open appointment (value, label).
MARKS = {
    Status.PLANNED: (Status.ARRIVED, Status.MISSED, Status.CANCELLED),
    Status.ARRIVED: (Status.MISSED, Status.CANCELLED, Status.PLANNED),
    Status.MISSED: (Status.ARRIVED, Status.PLANNED),
    Status.CANCELLED: (Status.PLANNED,),
    Status.SEEN: (),
}


class RowBuilder:
    """Builds the rows of one request: the policy asked once per category."""

    def __init__(self, user, *, now: datetime | None = None):
        self.user = user
        self.now = now or timezone.now()
        self.today = timezone.localtime(self.now).date()
        self.full = {c: full_view_projects(user, c) for c in APPOINTMENT_CATEGORIES}
        self.edit = {c: projects_where(user, Action.EDIT, c) for c in APPOINTMENT_CATEGORIES}
        self.create = {c: projects_where(user, Action.CREATE, c) for c in APPOINTMENT_CATEGORIES}
        self.mark = projects_where(user, Action.EDIT, Category.IDENTITY)

    def reason_shown(self, appointment: Appointment) -> bool:
        return appointment.project_id in self.full.get(appointment.category, set())

    def row(self, a: Appointment) -> Row:
        category = a.category
        shown = self.reason_shown(a)
        may_mark = a.project_id in self.mark
        record_url = None
        if (
            a.status in (*OPEN_STATUSES, Status.MISSED)
            and shown
            and a.project_id in self.create.get(category, set())
        ):
            url = reverse("care:new", args=[a.discipline])
            record_url = f"{url}?{urlencode({'person': a.person_id, 'site': a.site_id, 'appointment': a.pk})}"
        status = Status(a.status)
        marks = MARKS[status] if may_mark else ()
        local_day = timezone.localtime(a.starts_at).date()
        actions = []
        for mark in marks:
            if mark == Status.ARRIVED and local_day != self.today:
                continue
            if mark == Status.MISSED and a.starts_at > self.now:
                continue
            if mark == Status.PLANNED and past_and_planned(a.starts_at, now=self.now):
                continue
            actions.append((mark.value, ACTION_LABELS[mark]))
        return Row(
            id=a.pk,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            person_id=a.person_id,
            person_name=a.person.display_name,
            discipline=a.discipline,
            discipline_label=a.get_discipline_display(),
            clinician=clinician_name(a.clinician) if a.clinician_id else "",
            site=a.site.name,
            status=status.value,
            status_label=status.label,
            version=a.version,
            reason=a.reason if shown else None,
            follow_up=a.follow_up_of_id is not None,
            past_planned=status == Status.PLANNED and past_and_planned(a.starts_at, now=self.now),
            may_mark=may_mark,
            may_edit=shown
            and a.project_id in self.edit.get(category, set())
            and status != Status.SEEN,
            record_url=record_url,
            actions=actions,
        )


ACTION_LABELS = {
    Status.ARRIVED: _("Arrived"),
    Status.MISSED: _("Missed"),
    Status.CANCELLED: _("Cancel"),
    Status.PLANNED: _("Back to planned"),
}


def rows_for(user, appointments) -> list[Row]:
    builder = RowBuilder(user)
    return [builder.row(a) for a in appointments]


def by_day(rows: list[Row], period: Period) -> list[dict]:
    days = {period.first + timedelta(days=i): [] for i in range(period.days)}
    for row in rows:
        day = timezone.localtime(row.starts_at).date()
        if day in days:
            days[day].append(row)
    return [{"day": day, "rows": items} for day, items in days.items()]


def in_period(queryset, period: Period):
    return queryset.filter(starts_at__gte=period.start, starts_at__lt=period.end).order_by(
        "starts_at", "id"
    )


# --- the person's page ---------------------------------------------------------


def person_appointments(user, person, *, scope=None, now=None) -> dict:
    """The person's appointments the user sees (coming ones, the last past
    ones) and the number missed, for the person's page. ``scope``: the
    request's record scope (decides whether each reason is shown)."""
    now = now or timezone.now()
    projects = agenda_projects(user)
    if not projects:
        return {"upcoming": [], "past": [], "missed_count": 0, "shown": False}
    mine = Appointment.objects.filter(person=person, project_id__in=projects).select_related(
        "person", "site", "clinician"
    )
    builder = RowBuilder(user, now=now)
    if scope is not None:
        builder.reason_shown = lambda a: scope.level(a.category, a.project_id) == FULL
    upcoming = mine.filter(starts_at__gte=now - timedelta(hours=12)).order_by("starts_at")[:10]
    past = mine.filter(starts_at__lt=now - timedelta(hours=12)).order_by("-starts_at")[:5]
    return {
        "upcoming": [builder.row(a) for a in upcoming],
        "past": [builder.row(a) for a in past],
        "missed_count": mine.filter(status=Status.MISSED).count(),
        "book": booking_links(user, person),
        "shown": True,
    }


def booking_links(user, person) -> list[dict]:
    """The disciplines the user may book for this person (a site in use in one
    of the person's projects where the user records that discipline)."""
    if person.merged_into_id or not works_with(user, person):
        return []
    links = []
    for discipline in APPOINTMENT_DISCIPLINES:
        category = DISCIPLINE_CATEGORY[discipline]
        if recording_sites(user, category, person).exists():
            url = reverse("agenda:new", args=[discipline.value])
            links.append(
                {
                    "discipline": discipline.value,
                    "label": _("Book: %(what)s") % {"what": discipline.label},
                    "url": f"{url}?{urlencode({'person': person.pk})}",
                }
            )
    return links
