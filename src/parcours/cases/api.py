"""API: a person's care pathways (steps with deadlines), cases and tasks.

Same rules as the pages: a pathway is returned only to who sees its
category in full for the person (sexual violence: the care team of the
incident); a case to the case managers of its project and to who takes
part in it; a task is changed by its owner (status, note) or a case
manager. Writes carry the version read: 409 when stale, nothing written.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from parcours.access.scope import log_reads, person_for
from parcours.audit.events import Read
from parcours.cases import casework, pathways
from parcours.cases.definitions import definition
from parcours.cases.models import OPEN_TASK_STATUSES, Goal, Task
from parcours.cases.schemas import (
    CaseCreateIn,
    CaseListOut,
    CaseOut,
    CasePatchIn,
    PathwayListOut,
    StaleOut,
    TaskCreateIn,
    TaskListOut,
    TaskOut,
    TaskPatchIn,
    TaskQuery,
)
from parcours.cases.scopes import (
    case_for,
    case_open_projects,
    task_for,
    visible_cases,
    visible_pathways,
)
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import Id
from parcours.org.models import Project

router = Router(tags=["cases"])
WRITE_ERRORS = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, **FIELD_ERRORS}
MAX_RESULTS = 500


def _pathway_out(pathway) -> dict:
    definition_ = definition(pathway.kind)
    return {
        "id": pathway.pk,
        "kind": pathway.kind,
        "label": definition_.title,
        "category": pathway.category,
        "project": pathway.project_id,
        "status": pathway.status,
        "event_at": pathway.event_at,
        "started_at": pathway.started_at,
        "gestational_weeks": pathway.gestational_weeks,
        "version": pathway.version,
        "steps": [
            {
                "key": r["key"],
                "label": r["label"],
                "discipline": r["discipline"],
                "due_at": r["due_at"],
                "done_at": r["done_at"],
                "done": r["done"],
                "overdue": r["overdue"],
                "in_time": r["in_time"],
                "from_encounter": r["auto"],
                "time_left": r["left"],
                "protocol": r["protocol"],
            }
            for r in pathways.step_rows(pathway)
        ],
    }


@router.get("/persons/{id}/pathways", response={200: PathwayListOut, **AUTH_ERRORS, 404: ErrorOut})
def person_pathways(request: HttpRequest, id: Path[Id]):
    """The person's care pathways that you see (a sexual-violence pathway:
    the care team of the incident and the medical referents only), each
    step with its deadline, the time left and whether it was done in time."""
    person = person_for(request.auth, id, read=Read.PATHWAYS, request=request)
    rows = [_pathway_out(p) for p in visible_pathways(request.auth, person)]
    return {"count": len(rows), "results": rows}


def _case_out(case) -> dict:
    today = timezone.localdate()
    return {
        "id": case.pk,
        "person": case.person_id,
        "person_name": case.person.display_name,
        "project": case.project_id,
        "worker": case.worker_id,
        "risk_level": case.risk_level,
        "needs": list(case.needs),
        "summary": case.summary,
        "status": case.status,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "closure_reason": case.closure_reason,
        "version": case.version,
        "overdue_tasks": sum(
            1 for t in case.tasks.all() if t.status in OPEN_TASK_STATUSES and t.due_on < today
        ),
    }


@router.get("/cases", response={200: CaseListOut, **AUTH_ERRORS})
def case_list(request: HttpRequest, status: str = "open"):
    """The cases you see (all those of the projects where you manage cases,
    and those you take part in); ``status``: open (default), closed or all."""
    cases = visible_cases(request.auth).select_related("person").prefetch_related("tasks")
    if status in ("open", "closed"):
        cases = cases.filter(status=status)
    cases = list(cases.order_by("-opened_at")[:MAX_RESULTS])
    log_reads(request, [c.person for c in cases], Read.CASE)
    return {"count": len(cases), "results": [_case_out(c) for c in cases]}


def _user(user_id, field):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError({field: [_("Unknown user.")]})
    return user


@router.post("/persons/{id}/cases", response={201: CaseOut, **WRITE_ERRORS})
def case_create(request: HttpRequest, id: Path[Id], payload: CaseCreateIn):
    """Open a case (case managers of one of the person's projects: social
    workers, coordinators, medical referents; 403 for others who see the
    person)."""
    user = request.auth
    person = person_for(user, id)
    if not case_open_projects(user, person):
        raise PermissionDenied(_("You do not open cases for this person."))
    project = Project.objects.filter(pk=payload.project).first()
    if project is None or project.pk not in case_open_projects(user, person):
        raise ValidationError(
            {"project": [_("Choose one of the person's projects where you manage cases.")]}
        )
    case = casework.case_open(
        actor=user,
        person=person,
        project=project,
        worker=_user(payload.worker, "worker"),
        risk_level=payload.risk_level,
        needs=payload.needs,
        summary=payload.summary,
    )
    case.person = person
    log_reads(request, [person], Read.CASE)
    return Status(201, _case_out(case))


@router.patch("/cases/{id}", response={200: CaseOut, 409: StaleOut, **WRITE_ERRORS})
def case_update(request: HttpRequest, id: Path[Id], payload: CasePatchIn):
    """Change the risk level, the needs (the most urgent first), the summary or
    the worker; send the ``version`` you read (409 if someone changed it since)."""
    user = request.auth
    case = case_for(user, id, manage=True)
    sent = payload.model_dump(exclude_unset=True, exclude={"version"})
    data = {k: v for k, v in sent.items() if v is not None and k != "worker"}
    if sent.get("worker") is not None:
        data["worker"] = _user(sent["worker"], "worker")
    try:
        updated = casework.case_update(actor=user, case=case, data=data, version=payload.version)
    except casework.Stale as stale:
        return Status(
            409,
            {
                "detail": _("Someone else changed this case since you read it."),
                "current_version": stale.row.version,
            },
        )
    log_reads(request, [case.person], Read.CASE)
    return _case_out(updated)


def _task_out(task, today) -> dict:
    return {
        "id": task.pk,
        "case": task.case_id,
        "title": task.title,
        "owner": task.owner_id,
        "due_on": task.due_on,
        "status": task.status,
        "note": task.note,
        "overdue": task.status in OPEN_TASK_STATUSES and task.due_on < today,
        "version": task.version,
    }


@router.get("/tasks", response={200: TaskListOut, **AUTH_ERRORS, **FIELD_ERRORS})
def task_list(request: HttpRequest, filters: Query[TaskQuery]):
    """Your tasks (``mine=1``, the default) or every task of the cases you
    see (``mine=0``); ``overdue=1``: only those past their due date."""
    user = request.auth
    today = timezone.localdate()
    tasks = Task.objects.filter(case__in=visible_cases(user))
    if filters.mine:
        tasks = tasks.filter(owner=user)
    if filters.overdue:
        tasks = tasks.filter(status__in=OPEN_TASK_STATUSES, due_on__lt=today)
    tasks = list(tasks.order_by("due_on", "id")[:MAX_RESULTS])
    return {"count": len(tasks), "results": [_task_out(t, today) for t in tasks]}


@router.post("/cases/{id}/tasks", response={201: TaskOut, **WRITE_ERRORS})
def task_create(request: HttpRequest, id: Path[Id], payload: TaskCreateIn):
    """Give a task (case managers): due on or after the day the case was opened."""
    user = request.auth
    case = case_for(user, id, manage=True)
    goal = None
    if payload.goal is not None:
        goal = Goal.objects.filter(pk=payload.goal, case=case).first()
        if goal is None:
            raise ValidationError({"goal": [_("Choose a goal of this case.")]})
    task = casework.task_create(
        actor=user,
        case=case,
        title=payload.title,
        owner=_user(payload.owner, "owner"),
        due_on=payload.due_on,
        goal=goal,
    )
    return Status(201, _task_out(task, timezone.localdate()))


@router.patch("/tasks/{id}", response={200: TaskOut, 409: StaleOut, **WRITE_ERRORS})
def task_update(request: HttpRequest, id: Path[Id], payload: TaskPatchIn):
    """The owner changes the status and note; a case manager also the title,
    owner and due date. Send the ``version`` you read (409 if stale)."""
    user = request.auth
    task = task_for(user, id)
    sent = payload.model_dump(exclude_unset=True, exclude={"version"})
    data = {k: v for k, v in sent.items() if k != "owner"}
    if sent.get("owner") is not None:
        data["owner"] = _user(sent["owner"], "owner")
    try:
        updated = casework.task_update(actor=user, task=task, data=data, version=payload.version)
    except casework.Stale as stale:
        return Status(
            409,
            {
                "detail": _("Someone else changed this task since you read it."),
                "current_version": stale.row.version,
            },
        )
    except Http404:
        raise
    return _task_out(updated, timezone.localdate())
