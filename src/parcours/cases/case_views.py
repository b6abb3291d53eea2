"""Case management pages: opening, the case page, plan, tasks, conferences,
closure and the caseload (split from cases.views, which keeps the pathways)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.module_scopes import case_participants, caseload_projects
from parcours.access.records import FULL, record_scope
from parcours.access.scope import log_reads, parse_id, person_for
from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.audit.events import Read
from parcours.cases import casework
from parcours.cases.casework import NEEDS, ClosureReason
from parcours.cases.forms import (
    CaseCloseForm,
    CaseEditForm,
    CaseOpenForm,
    ConferenceForm,
    ContributionForm,
    GoalForm,
    TaskForm,
    TaskStatusForm,
)
from parcours.cases.models import (
    OPEN_TASK_STATUSES,
    RISK_ORDER,
    Case,
    Conference,
    Task,
)
from parcours.cases.scopes import (
    case_for,
    case_open_projects,
    manages,
    task_for,
)
from parcours.cases.views import _name
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.org.models import Project

NEED_LABELS = dict(NEEDS)
CLOSURE_LABELS = dict(ClosureReason.CHOICES)


# --- cases ----------------------------------------------------------------------


def _participants(case_or_project_ids):
    User = get_user_model()
    ids = case_participants(case_or_project_ids).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


@login_required
def case_open(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = person_for(user, person_id)
    project_ids = case_open_projects(user, person)
    if not project_ids:
        raise Http404
    log_reads(request, [person], Read.CASE)
    projects = [(p.pk, p.name) for p in Project.objects.filter(pk__in=project_ids).order_by("name")]
    form = CaseOpenForm(
        request.POST or None,
        projects=projects,
        workers=_participants(project_ids),
        initial={"worker": user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = casework.case_open(
                actor=user,
                person=person,
                project=Project.objects.get(pk=data["project"]),
                worker=data["worker"],
                risk_level=data["risk_level"],
                needs=form.needs(),
                summary=data["summary"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Case opened."))
            return redirect("cases:case", case_id=case.pk)
    return render(request, "cases/case_open.html", {"person": person, "form": form})


def _contributions(user, case, conference) -> tuple[list, int]:
    """The contributions the user may read (the policy on their category for
    the person, as for a team note); and how many stay hidden."""
    scope = record_scope(user, case.person)
    shown, hidden = [], 0
    for c in conference.contributions.select_related("author"):
        level = scope.level(c.category, case.project_id)
        if level == FULL or (level == "team_note" and c.category != Category.SV_INCIDENT):
            shown.append(
                {
                    "author": _name(c.author),
                    "category": CATEGORY_LABELS[Category(c.category)],
                    "text": c.text,
                }
            )
        else:
            hidden += 1
    return shown, hidden


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = case_for(user, case_id, request=request)
    manager = manages(user, case)
    today = timezone.localdate()
    tasks = list(case.tasks.select_related("owner", "goal").order_by("status", "due_on"))
    for t in tasks:
        t.overdue = t.status in OPEN_TASK_STATUSES and t.due_on < today
        t.mine = t.owner_id == user.pk
        t.editable = manager or t.mine
        t.owner_name = _name(t.owner)
    conferences = []
    # A participant who records no category of the person in this project (a
    # coordinator) has nothing to file a contribution under: no empty form.
    categories = _category_choices(casework.contribution_categories(user, case))
    for conf in case.conferences.prefetch_related("participants").order_by("-held_on"):
        shown, hidden = _contributions(user, case, conf)
        participant = any(p.pk == user.pk for p in conf.participants.all())
        may_contribute = participant and case.status == Case.Status.OPEN
        conferences.append(
            {
                "conference": conf,
                "participants": [_name(p) for p in conf.participants.all()],
                "contributions": shown,
                "hidden": hidden,
                "form": ContributionForm(categories=categories)
                if may_contribute and categories
                else None,
                "no_category": may_contribute and not categories,
            }
        )
    goals = list(case.goals.all())
    participants = _participants({case.project_id})
    context = {
        "case": case,
        "person": case.person,
        "manager": manager,
        "worker": _name(case.worker),
        "needs": [str(NEED_LABELS.get(n, n)) for n in case.needs],
        "closure_label": CLOSURE_LABELS.get(case.closure_reason, ""),
        "goals": goals,
        "tasks": tasks,
        "conferences": conferences,
        "status_form": TaskStatusForm(),
    }
    if manager and case.status == Case.Status.OPEN:
        context |= {
            "edit_form": CaseEditForm(
                workers=participants,
                initial={
                    "version": case.version,
                    "worker": case.worker_id,
                    "risk_level": case.risk_level,
                    "summary": case.summary,
                    **{f"need_{i + 1}": n for i, n in enumerate(case.needs[:3])},
                },
            ),
            "close_form": CaseCloseForm(initial={"version": case.version}),
            "goal_form": GoalForm(),
            "task_form": TaskForm(owners=participants, goals=[(g.pk, g.text) for g in goals]),
        }
    return render(request, "cases/case.html", context)


def _category_choices(categories) -> list[tuple[str, str]]:
    return [(c, CATEGORY_LABELS[Category(c)]) for c in categories]


@login_required
@require_POST
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id, manage=True)
    form = CaseEditForm(request.POST, workers=_participants({case.project_id}))
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("cases:case", case_id=case.pk)
    data = form.cleaned_data
    return _versioned_change(
        request,
        case,
        lambda: casework.case_update(
            actor=request.user,
            case=case,
            data={
                "risk_level": data["risk_level"],
                "needs": form.needs(),
                "summary": data["summary"],
                "worker": data["worker"],
            },
            version=data["version"],
        ),
        success=_("Case saved."),
    )


def _versioned_change(request, case, change, *, success: str) -> HttpResponse:
    """Apply a change made against the version the user read, then back to
    the case page saying what happened (a concurrent edit is refused, never
    overwritten)."""
    try:
        change()
    except casework.Stale:
        messages.error(
            request, _("Someone else changed this case since you opened it: check it and retry.")
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, success)
    return redirect("cases:case", case_id=case.pk)


@login_required
@require_POST
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id, manage=True)
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the case is closed."))
        return redirect("cases:case", case_id=case.pk)
    return _versioned_change(
        request,
        case,
        lambda: casework.case_close(
            actor=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        ),
        success=_("Case closed."),
    )


@login_required
@require_POST
def goal_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id, manage=True)
    try:
        casework.goal_add(actor=request.user, case=case, text=request.POST.get("text", ""))
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Goal added."))
    return redirect("cases:case", case_id=case.pk)


@login_required
@require_POST
def task_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id, manage=True)
    goals = list(case.goals.all())
    form = TaskForm(
        request.POST, owners=_participants({case.project_id}), goals=[(g.pk, g.text) for g in goals]
    )
    if not form.is_valid():
        for name, errors in form.errors.items():
            for e in errors:
                messages.error(
                    request, f"{form.fields[name].label}: {e}" if name in form.fields else e
                )
        return redirect("cases:case", case_id=case.pk)
    data = form.cleaned_data
    goal = next((g for g in goals if g.pk == data["goal"]), None)
    try:
        casework.task_create(
            actor=request.user,
            case=case,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            goal=goal,
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Task added."))
    return redirect("cases:case", case_id=case.pk)


@login_required
@require_POST
def task_update(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_for(request.user, task_id)
    form = TaskStatusForm(request.POST)
    back = request.POST.get("next") == "home"
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            casework.task_update(
                actor=request.user,
                task=task,
                data={"status": form.cleaned_data["status"], "note": form.cleaned_data["note"]},
                version=form.cleaned_data["version"],
            )
        except casework.Stale:
            messages.error(
                request,
                _("Someone else changed this task since you opened it: check it and retry."),
            )
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Task updated."))
    if back:
        return redirect("home")
    return redirect("cases:case", case_id=task.case_id)


def _parse_actions(text: str, participants) -> tuple[list, list[str]]:
    """Lines "action | user name | YYYY-MM-DD" → (title, owner, due date)."""
    from parcours.lib.dates import parse_day

    by_username = {u.username: u for u in participants}
    actions, errors = [], []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            errors.append(
                _("Line %(n)d: write the action, the owner and the due date, separated by “|”.")
                % {"n": n}
            )
            continue
        owner = by_username.get(parts[1])
        due = parse_day(parts[2])
        if owner is None:
            errors.append(_("Line %(n)d: unknown owner.") % {"n": n})
        if due is None:
            errors.append(_("Line %(n)d: the due date is YYYY-MM-DD.") % {"n": n})
        if owner is not None and due is not None:
            actions.append((parts[0], owner, due))
    return actions, errors


@login_required
def conference_new(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = case_for(user, case_id, manage=True)
    participants = _participants({case.project_id})
    categories = _category_choices(casework.contribution_categories(user, case))
    form = ConferenceForm(
        request.POST or None,
        participants=participants,
        categories=categories,
        initial={"held_on": timezone.localdate(), "participants": [user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions, errors = _parse_actions(data["actions"], participants)
        if errors:
            for e in errors:
                form.add_error("actions", e)
        else:
            try:
                casework.conference_record(
                    actor=user,
                    case=case,
                    held_on=data["held_on"],
                    participants=list(data["participants"]),
                    decisions=data["decisions"],
                    actions=actions,
                    contribution=(data["contribution_category"], data["contribution"])
                    if data.get("contribution", "").strip()
                    else None,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Conference recorded."))
                return redirect("cases:case", case_id=case.pk)
    return render(
        request, "cases/conference_form.html", {"case": case, "person": case.person, "form": form}
    )


@login_required
@require_POST
def contribute(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = request.user
    conference = Conference.objects.filter(pk=parse_id(conference_id)).first()
    if conference is None:
        raise Http404
    case = case_for(user, conference.case_id)
    if not conference.participants.filter(pk=user.pk).exists():
        raise Http404
    conference.case = case
    form = ContributionForm(
        request.POST, categories=_category_choices(casework.contribution_categories(user, case))
    )
    if not form.is_valid():
        messages.error(request, _("Write your contribution and choose its category."))
    else:
        try:
            casework.contribute(
                actor=user,
                conference=conference,
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
            )
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Contribution added."))
    return redirect("cases:case", case_id=case.pk)


@login_required
def caseload(request: HttpRequest, project_id: int) -> HttpResponse:
    """Open cases per worker, their risk and overdue tasks (supervisors)."""
    user = request.user
    project = Project.objects.filter(
        pk=parse_id(project_id), pk__in=caseload_projects(user)
    ).first()
    if project is None:
        raise Http404
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(project=project, status=Case.Status.OPEN).select_related(
            "worker", "person"
        )
    )
    overdue: dict[int, int] = {}
    for case_id in Task.objects.filter(
        case__in=cases, status__in=OPEN_TASK_STATUSES, due_on__lt=today
    ).values_list("case_id", flat=True):
        overdue[case_id] = overdue.get(case_id, 0) + 1
    workers: dict[int, dict] = {}
    for case in cases:
        w = workers.setdefault(
            case.worker_id,
            {"name": _name(case.worker), "cases": [], "overdue": 0, "high": 0},
        )
        w["cases"].append(
            {
                "case": case,
                "person": case.person,
                "risk": case.get_risk_level_display(),
                "risk_code": case.risk_level,
                "overdue": overdue.get(case.pk, 0),
            }
        )
        w["overdue"] += overdue.get(case.pk, 0)
        w["high"] += case.risk_level in ("high", "critical")
    for w in workers.values():
        w["cases"].sort(key=lambda r: (RISK_ORDER.get(r["risk_code"], 9), -r["overdue"]))
    log_reads(request, [c.person for c in cases], Read.IDENTITY_SUMMARY)
    rows = sorted(workers.values(), key=lambda w: (-w["overdue"], w["name"]))
    return render(request, "cases/caseload.html", {"project": project, "workers": rows})
