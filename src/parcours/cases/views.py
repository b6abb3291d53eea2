"""Pages of care pathways and case management (persons), and the project
boards (open pathways, caseload). Every page checks through scopes.py or
parcours.access, and answers 404 for "missing" and "not yours" alike."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.module_scopes import countable_categories
from parcours.access.records import FULL, encounter_for, record_scope
from parcours.access.scope import log_reads, parse_id, person_for, projects_where
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.care.choices import Discipline
from parcours.care.models import Encounter
from parcours.cases import pathways
from parcours.cases.casework import NEEDS, ClosureReason
from parcours.cases.definitions import definition
from parcours.cases.definitions import pathways as definitions
from parcours.cases.forms import (
    PathwayStartForm,
    StepCompleteForm,
)
from parcours.cases.models import (
    OPEN_TASK_STATUSES,
    Pathway,
)
from parcours.cases.scopes import (
    case_open_projects,
    pathway_for,
    sees_pathway,
    start_projects,
    visible_cases,
    visible_pathways,
)
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.org.models import Project

NEED_LABELS = dict(NEEDS)
CLOSURE_LABELS = dict(ClosureReason.CHOICES)


def _name(user) -> str:
    return user.get_full_name() or user.username if user else ""


def _protocol_urls(codes) -> dict[str, int]:
    from parcours.cases.models import Protocol

    return dict(Protocol.objects.filter(code__in=set(codes)).values_list("code", "pk"))


def pathway_view(pathway, now=None) -> dict:
    definition_ = definition(pathway.kind)
    rows = pathways.step_rows(pathway, now)
    protocols = _protocol_urls(
        [r["protocol"] for r in rows if r["protocol"]] + [definition_.protocol]
    )
    for row in rows:
        row["protocol_id"] = protocols.get(row["protocol"])
        row["discipline_label"] = Discipline(row["discipline"]).label
    return {
        "pathway": pathway,
        "definition": definition_,
        "steps": rows,
        "overdue": sum(1 for r in rows if r["overdue"]),
        "protocol_id": protocols.get(definition_.protocol),
    }


# --- a person's pathways and cases ------------------------------------------------


@login_required
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = person_for(user, person_id, read=Read.PATHWAYS, request=request)
    scope = record_scope(user, person)
    shown = [pathway_view(p) for p in visible_pathways(user, person, scope=scope)]
    cases = list(visible_cases(user).filter(person=person).select_related("worker", "project"))
    may_start = any(start_projects(user, person, d.category) for d in definitions().values())
    return render(
        request,
        "cases/person.html",
        {
            "person": person,
            "pathways": shown,
            "cases": [_case_row(c) for c in cases],
            "may_start": may_start,
            "may_open_case": bool(case_open_projects(user, person)),
        },
    )


def _case_row(case) -> dict:
    return {
        "case": case,
        "worker": _name(case.worker),
        "needs": [str(NEED_LABELS.get(n, n)) for n in case.needs],
        "overdue": case.tasks.filter(
            status__in=OPEN_TASK_STATUSES, due_on__lt=timezone.localdate()
        ).count(),
    }


def _sources(user, person, kinds) -> list[tuple[int, str]]:
    """Incidents and consultations the user sees in full, to start from."""
    scope = record_scope(user, person)
    rows = Encounter.objects.filter(
        person=person, discipline__in=("sv_incident", "medical")
    ).order_by("-occurred_at")[:20]
    return [
        (e.pk, f"{e.get_discipline_display()} · {timezone.localtime(e.occurred_at):%d/%m/%Y %H:%M}")
        for e in rows
        if scope.level(e.category, e.project_id) == FULL
    ]


@login_required
def pathway_start(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = person_for(user, person_id)
    kinds = []
    project_ids: set[int] = set()
    for kind, d in definitions().items():
        ids = start_projects(user, person, d.category)
        if ids:
            kinds.append((kind, d.title))
            project_ids |= ids
    if not kinds:
        raise Http404
    log_reads(request, [person], Read.PATHWAYS)
    projects = [(p.pk, p.name) for p in Project.objects.filter(pk__in=project_ids).order_by("name")]
    sources = _sources(user, person, kinds)
    form = PathwayStartForm(
        request.POST or None,
        kinds=kinds,
        projects=projects,
        sources=sources,
        initial={"kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = None
        if data["source"]:
            source = encounter_for(user, data["source"])
        event_at = data["event_at"]
        if event_at is None and source is not None:
            event_at = pathways.incident_time(source) or source.occurred_at
        weeks = data["gestational_weeks"]
        if weeks is None and source is not None and hasattr(source, "medical"):
            weeks = source.medical.gestational_age_weeks
        try:
            pathway = pathways.pathway_start(
                actor=user,
                person=person,
                kind=data["kind"],
                project=Project.objects.get(pk=data["project"]),
                event_at=event_at,
                source=source,
                gestational_weeks=weeks,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Pathway started."))
            return redirect("cases:pathway", pathway_id=pathway.pk)
    return render(request, "cases/pathway_start.html", {"person": person, "form": form})


@login_required
def pathway_page(request: HttpRequest, pathway_id: int) -> HttpResponse:
    pathway = pathway_for(request.user, pathway_id, request=request)
    writable = True
    try:
        pathway_for(request.user, pathway_id, write=True)
    except Http404:
        writable = False
    return render(
        request,
        "cases/pathway.html",
        (view := pathway_view(pathway))
        | {"view": view, "person": pathway.person, "writable": writable},
    )


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@login_required
@require_POST
def step_done(request: HttpRequest, pathway_id: int, key: str) -> HttpResponse:
    pathway = pathway_for(request.user, pathway_id, write=True)
    form = StepCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done (a short note)."))
        return redirect("cases:pathway", pathway_id=pathway.pk)
    try:
        pathways.step_complete(
            actor=request.user,
            pathway=pathway,
            key=key,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except pathways.StalePathway:
        messages.error(request, _("The pathway changed since you opened it: check it and retry."))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Step completed."))
    return redirect("cases:pathway", pathway_id=pathway.pk)


@login_required
@require_POST
def pathway_close(request: HttpRequest, pathway_id: int) -> HttpResponse:
    pathway = pathway_for(request.user, pathway_id, write=True)
    try:
        pathways.pathway_close(
            actor=request.user,
            pathway=pathway,
            note=request.POST.get("note", ""),
            version=_version(request),
        )
    except pathways.StalePathway:
        messages.error(request, _("The pathway changed since you opened it: check it and retry."))
    else:
        messages.success(request, _("Pathway closed."))
    return redirect("cases:pathway", pathway_id=pathway.pk)


@login_required
def project_pathways(request: HttpRequest, project_id: int) -> HttpResponse:
    """The open pathways of a project: in full (with the person) those the
    user sees in full; counted without a name those of a category the user
    may count there (a coordinator: safe abortion care, not sexual violence)."""
    user = request.user
    project = Project.objects.filter(
        pk=parse_id(project_id), pk__in=projects_where(user, Action.VIEW, Category.IDENTITY)
    ).first()
    if project is None:
        raise Http404
    countable = countable_categories(user, project)
    now = timezone.now()
    rows, named = [], []
    open_ = (
        Pathway.objects.filter(project=project, status=Pathway.Status.OPEN)
        .select_related("person")
        .prefetch_related("steps")
        .order_by("started_at")
    )
    for pathway in open_:
        full = sees_pathway(user, pathway)
        if not full and Category(pathway.category) not in countable:
            continue
        view = pathway_view(pathway, now)
        next_step = next((s for s in view["steps"] if not s["done"]), None)
        rows.append(
            {
                "full": full,
                "pathway": pathway,
                "title": view["definition"].title,
                "person": pathway.person if full else None,
                "overdue": view["overdue"],
                "next": next_step,
            }
        )
        if full:
            named.append(pathway.person)
    log_reads(request, named, Read.IDENTITY_SUMMARY)
    rows.sort(key=lambda r: (-r["overdue"], r["pathway"].started_at))
    return render(request, "cases/project_pathways.html", {"project": project, "rows": rows})
