"""Writing cases: open, edit (versioned), goals, tasks, conferences, close.

Only these functions write cases; each checks who may, saves in one
transaction and writes an audit event.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.access.module_scopes import case_participant_projects
from parcours.access.records import FULL, category_write_projects, record_scope
from parcours.access.scope import person_projects
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.care.choices import SOCIAL_NEEDS
from parcours.cases.models import (
    OPEN_TASK_STATUSES,
    Case,
    CaseMember,
    Conference,
    Contribution,
    Goal,
    RiskLevel,
    Task,
    TaskStatus,
)
from parcours.cases.scopes import case_open_projects, manages

NEEDS = [
    *SOCIAL_NEEDS,
    ("medical_care", gettext_lazy("Medical care")),
    ("mental_health", gettext_lazy("Mental health")),
    ("legal", gettext_lazy("Legal / asylum procedure")),
    ("protection", gettext_lazy("Protection / safety")),
]
NEED_CODES = {code for code, _label in NEEDS}


class ClosureReason:
    CHOICES = [
        ("goals_met", gettext_lazy("Goals met")),
        ("moved", gettext_lazy("Moved on / left the area")),
        ("transferred", gettext_lazy("Transferred to another service")),
        ("lost", gettext_lazy("Lost to follow-up")),
        ("declined", gettext_lazy("The person declined")),
        ("other", gettext_lazy("Other")),
    ]
    CODES = {c for c, _l in CHOICES}


# The categories a contribution may belong to (those of Contribution).
CONTRIBUTION_CATEGORIES = tuple(Contribution.CATEGORY_BY_FIELD[1])


class Stale(Exception):
    def __init__(self, row):
        super().__init__(f"{row._meta.label} {row.pk} is at version {row.version}")
        self.row = row


def _member(case, user) -> None:
    CaseMember.objects.get_or_create(case=case, user=user)


def participant_ok(user, project_id) -> bool:
    return project_id in case_participant_projects(user)


def _clean_needs(needs) -> list[str]:
    needs = [n for n in dict.fromkeys(needs or []) if n]
    unknown = [n for n in needs if n not in NEED_CODES]
    if unknown:
        raise ValidationError({"needs": [_("Choose needs of the list.")]})
    return needs


def case_open(*, actor, person, project, worker, risk_level, needs, summary="", now=None) -> Case:
    if project.pk not in case_open_projects(actor, person):
        raise PermissionDenied(_("You do not open cases for this person in this project."))
    errors = {}
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("Choose a risk level.")]
    try:
        needs = _clean_needs(needs)
    except ValidationError as e:
        errors.update(e.message_dict)
    if not needs and "needs" not in errors:
        errors["needs"] = [_("Name at least one need, the most urgent first.")]
    if worker is None or not participant_ok(worker, project.pk):
        errors["worker"] = [_("Choose a case worker of this project.")]
    if len(summary or "") > 2000:
        errors["summary"] = [_("Keep this under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Case.objects.filter(person=person, project=project, status=Case.Status.OPEN).exists():
            raise ValidationError(_("This person already has an open case in this project."))
        case = Case.objects.create(
            person=person,
            project=project,
            worker=worker,
            risk_level=risk_level,
            needs=needs,
            summary=summary or "",
            opened_at=now or timezone.now(),
            opened_by=actor,
        )
        _member(case, worker)
        audit.record(
            actor=actor,
            event=Event.CASE_OPEN,
            subject=case,
            project=project,
            extra={"person": person.pk, "risk_level": risk_level, "needs": needs},
        )
    return case


def _locked_case(case, version):
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if locked.version != version:
        raise Stale(locked)
    locked.person = case.person
    return locked


def case_update(*, actor, case, data: dict, version: int) -> Case:
    """Change the risk level, the needs (in order), the summary or the worker."""
    if not manages(actor, case):
        raise PermissionDenied(_("Only a case manager of the project edits the case."))
    errors = {}
    changes = {}
    if "risk_level" in data:
        if data["risk_level"] not in RiskLevel.values:
            errors["risk_level"] = [_("Choose a risk level.")]
        changes["risk_level"] = data["risk_level"]
    if "needs" in data:
        try:
            changes["needs"] = _clean_needs(data["needs"])
            if not changes["needs"]:
                errors["needs"] = [_("Name at least one need, the most urgent first.")]
        except ValidationError as e:
            errors.update(e.message_dict)
    if "summary" in data:
        if len(data["summary"] or "") > 2000:
            errors["summary"] = [_("Keep this under 2000 characters.")]
        changes["summary"] = data["summary"] or ""
    if data.get("worker") is not None:
        if not participant_ok(data["worker"], case.project_id):
            errors["worker"] = [_("Choose a case worker of this project.")]
        changes["worker"] = data["worker"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_case(case, version)
        if locked.status != Case.Status.OPEN:
            raise ValidationError(_("This case is closed."))
        before = {k: getattr(locked, k) for k in changes}
        diff = {
            k: (getattr(before[k], "pk", before[k]), getattr(v, "pk", v))
            for k, v in changes.items()
            if before[k] != v
        }
        if not diff:
            return locked
        for k, v in changes.items():
            setattr(locked, k, v)
        locked.version += 1
        locked.save()
        if "worker" in changes:
            _member(locked, changes["worker"])
        audit.record(
            actor=actor,
            event=Event.CASE_UPDATE,
            subject=locked,
            project=locked.project,
            changes={k: v for k, v in diff.items() if k != "summary"},
            extra={"fields": sorted(diff), "version": locked.version},
        )
    return locked


def case_close(*, actor, case, reason: str, note: str, version: int, now=None) -> Case:
    if not manages(actor, case):
        raise PermissionDenied(_("Only a case manager of the project closes the case."))
    if reason not in ClosureReason.CODES:
        raise ValidationError({"reason": [_("Choose why the case is closed.")]})
    if reason == "other" and not (note or "").strip():
        raise ValidationError({"note": [_("Say why the case is closed.")]})
    with transaction.atomic():
        locked = _locked_case(case, version)
        if locked.status == Case.Status.CLOSED:
            raise ValidationError(_("This case is already closed."))
        locked.status = Case.Status.CLOSED
        locked.closed_at = now or timezone.now()
        locked.closure_reason = reason
        locked.closure_note = (note or "").strip()[:500]
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            event=Event.CASE_CLOSE,
            subject=locked,
            project=locked.project,
            extra={"reason": reason},
        )
    return locked


def goal_add(*, actor, case, text: str) -> Goal:
    if not manages(actor, case):
        raise PermissionDenied(_("Only a case manager of the project plans the case."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the goal.")]})
    if len(text) > 255:
        raise ValidationError({"text": [_("Keep the goal under 255 characters.")]})
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("This case is closed."))
    with transaction.atomic():
        goal = Goal.objects.create(case=case, text=text, position=case.goals.count())
        audit.record(actor=actor, event=Event.CASE_GOAL_ADD, subject=case, project=case.project)
    return goal


def _check_task(case, *, title, owner, due_on, errors: dict) -> str:
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Write the task.")]
    elif len(title) > 255:
        errors["title"] = [_("Keep the task under 255 characters.")]
    if owner is None or not participant_ok(owner, case.project_id):
        errors["owner"] = [_("Choose an owner who works on cases in this project.")]
    if not isinstance(due_on, date):
        errors["due_on"] = [_("Give a due date.")]
    elif due_on < timezone.localtime(case.opened_at).date():
        errors["due_on"] = [_("A task cannot be due before the case was opened.")]
    return title


def task_create(*, actor, case, title, owner, due_on, goal=None, conference=None) -> Task:
    if not manages(actor, case):
        raise PermissionDenied(_("Only a case manager of the project gives tasks."))
    errors: dict = {}
    title = _check_task(case, title=title, owner=owner, due_on=due_on, errors=errors)
    if goal is not None and goal.case_id != case.pk:
        errors["goal"] = [_("Choose a goal of this case.")]
    if errors:
        raise ValidationError(errors)
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("This case is closed."))
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            goal=goal,
            conference=conference,
            title=title,
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        _member(case, owner)
        audit.record(
            actor=actor,
            event=Event.CASE_TASK_CREATE,
            subject=task,
            project=case.project,
            extra={"case": case.pk, "owner": owner.pk, "due_on": due_on.isoformat()},
        )
    return task


def task_update(*, actor, task, data: dict, version: int) -> Task:
    """The owner changes the status (and note); a case manager also the
    title, owner and due date."""
    case = task.case
    is_manager = manages(actor, case)
    if not (is_manager or task.owner_id == actor.pk):
        raise PermissionDenied(_("Only the task's owner or a case manager updates it."))
    errors: dict = {}
    changes = {}
    if "status" in data and data["status"] is not None:
        if data["status"] not in TaskStatus.values:
            errors["status"] = [_("Choose a status.")]
        changes["status"] = data["status"]
    if "note" in data and data["note"] is not None:
        if len(data["note"]) > 500:
            errors["note"] = [_("Keep the note under 500 characters.")]
        changes["note"] = data["note"].strip()
    planning = {k: data[k] for k in ("title", "owner", "due_on") if data.get(k) is not None}
    if planning:
        if not is_manager:
            raise PermissionDenied(_("Only a case manager changes the task itself."))
        title = _check_task(
            case,
            title=planning.get("title", task.title),
            owner=planning.get("owner", task.owner),
            due_on=planning.get("due_on", task.due_on),
            errors=errors,
        )
        changes.update(planning)
        if "title" in planning:
            changes["title"] = title
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
        if locked.version != version:
            raise Stale(locked)
        if case.status != Case.Status.OPEN:
            raise ValidationError(_("This case is closed."))
        diff = {
            k: (
                str(getattr(getattr(locked, k), "pk", getattr(locked, k))),
                str(getattr(v, "pk", v)),
            )
            for k, v in changes.items()
            if getattr(locked, k) != v
        }
        if not diff:
            return locked
        for k, v in changes.items():
            setattr(locked, k, v)
        if "status" in diff:
            locked.completed_at = timezone.now() if locked.status == TaskStatus.DONE else None
        locked.version += 1
        locked.save()
        if "owner" in changes:
            _member(case, changes["owner"])
        audit.record(
            actor=actor,
            event=Event.CASE_TASK_UPDATE,
            subject=locked,
            project=case.project,
            changes={k: v for k, v in diff.items() if k != "note"},
            extra={"case": case.pk, "version": locked.version},
        )
    locked.case = case
    return locked


def contribution_categories(user, case) -> list[str]:
    """The categories a participant's contribution may belong to: those they
    record in the case's project (their discipline's), never identity."""
    scope = record_scope(user, case.person)
    writable = {
        c
        for c in CONTRIBUTION_CATEGORIES
        if case.project_id in category_write_projects(user, case.person, c)
        and scope.level(c, case.project_id) == FULL
    }
    return [c for c in CONTRIBUTION_CATEGORIES if c in writable]


def conference_record(
    *, actor, case, held_on, participants, decisions: str, actions=(), contribution=None
) -> Conference:
    """A conference: its date, who took part, the decisions, the agreed
    actions (each becomes a task: (title, owner, due date)), and the
    recorder's own contribution ((category, text) or None)."""
    if not manages(actor, case):
        raise PermissionDenied(_("Only a case manager of the project records a conference."))
    errors: dict = {}
    today = timezone.localdate()
    if not isinstance(held_on, date):
        errors["held_on"] = [_("Give the date of the conference.")]
    elif held_on > today:
        errors["held_on"] = [_("A conference is recorded once it was held.")]
    elif held_on < timezone.localtime(case.opened_at).date():
        errors["held_on"] = [_("The conference cannot be before the case was opened.")]
    participants = list(dict.fromkeys(participants or []))
    if not participants:
        errors["participants"] = [_("Name who took part.")]
    elif any(not participant_ok(p, case.project_id) for p in participants):
        errors["participants"] = [_("Choose participants who work on cases in this project.")]
    if len(decisions or "") > 5000:
        errors["decisions"] = [_("Keep the decisions under 5000 characters.")]
    for i, (title, owner, due_on) in enumerate(actions):
        row: dict = {}
        _check_task(case, title=title, owner=owner, due_on=due_on, errors=row)
        for messages in row.values():
            errors.setdefault("actions", []).extend(
                _("Action %(n)d: %(error)s") % {"n": i + 1, "error": m} for m in messages
            )
    if contribution is not None:
        category, text = contribution
        if text.strip() and category not in contribution_categories(actor, case):
            errors["contribution_category"] = [_("Choose the category of your discipline.")]
    if errors:
        raise ValidationError(errors)
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("This case is closed."))
    with transaction.atomic():
        conference = Conference.objects.create(
            case=case, held_on=held_on, decisions=(decisions or "").strip(), recorded_by=actor
        )
        conference.participants.set(participants)
        for user in participants:
            _member(case, user)
        audit.record(
            actor=actor,
            event=Event.CASE_CONFERENCE,
            subject=conference,
            project=case.project,
            extra={"case": case.pk, "participants": [u.pk for u in participants]},
        )
        for title, owner, due_on in actions:
            task_create(
                actor=actor,
                case=case,
                title=title,
                owner=owner,
                due_on=due_on,
                conference=conference,
            )
        if contribution is not None and contribution[1].strip():
            contribute(
                actor=actor, conference=conference, category=contribution[0], text=contribution[1]
            )
    return conference


def contribute(*, actor, conference, category: str, text: str) -> Contribution:
    """A participant's contribution, in a category of their discipline."""
    case = conference.case
    if not conference.participants.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only a participant of the conference adds a contribution."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write your contribution.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("Keep it under 5000 characters.")]})
    if category not in contribution_categories(actor, case):
        raise ValidationError({"category": [_("Choose the category of your discipline.")]})
    with transaction.atomic():
        row = Contribution.objects.create(
            conference=conference, author=actor, category=category, text=text
        )
        audit.record(
            actor=actor,
            event=Event.CASE_CONTRIBUTION,
            subject=row,
            project=case.project,
            extra={"case": case.pk, "conference": conference.pk, "category": category},
        )
    return row


def overdue_tasks(user, today=None):
    """The user's own open tasks past their due date (home-page alert)."""
    today = today or timezone.localdate()
    return (
        Task.objects.filter(
            owner=user,
            status__in=OPEN_TASK_STATUSES,
            due_on__lt=today,
            case__status=Case.Status.OPEN,
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def person_in_projects(person, project_id) -> bool:
    return project_id in person_projects(person)
