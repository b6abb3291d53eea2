"""Who sees what of pathways and cases: the access layer's public functions
applied to this app's rows. Every look-up fetches and checks in one step and
raises Http404 for "missing" and "not yours" alike."""

from django.db.models import Q
from django.http import Http404

from parcours.access.module_scopes import case_manager_projects
from parcours.access.records import FULL, RecordScope, category_write_projects, record_scope
from parcours.access.scope import log_reads, parse_id, person_for, person_projects, visible_persons
from parcours.audit.events import Read
from parcours.cases.models import Case, CaseMember, Pathway, Task

# --- pathways --------------------------------------------------------------------


def sees_pathway(user, pathway, scope: RecordScope | None = None) -> bool:
    """The same decision as for the incident or encounter it is about: the
    pathway's category in full for the person in the pathway's project (a
    sexual-violence pathway: the assigned care team and referents only)."""
    scope = scope or record_scope(user, pathway.person)
    return scope.level(pathway.category, pathway.project_id) == FULL


def visible_pathways(user, person, *, scope: RecordScope | None = None) -> list[Pathway]:
    scope = scope or record_scope(user, person)
    rows = Pathway.objects.filter(person=person).prefetch_related("steps").order_by("-started_at")
    return [p for p in rows if sees_pathway(user, p, scope)]


def start_projects(user, person, category: str) -> set[int]:
    """The person's projects where the user may start a pathway of ``category``:
    who records that category there and sees it in full for the person."""
    scope = record_scope(user, person)
    return {
        pid
        for pid in category_write_projects(user, person, category)
        if scope.level(category, pid) == FULL
    }


def pathway_for(user, pathway_id, *, write: bool = False, request=None) -> Pathway:
    pathway = (
        Pathway.objects.select_related("person", "project").filter(pk=parse_id(pathway_id)).first()
    )
    if pathway is None:
        raise Http404
    person = person_for(user, pathway.person_id)
    pathway.person = person
    if not sees_pathway(user, pathway):
        raise Http404
    if write and pathway.project_id not in category_write_projects(user, person, pathway.category):
        raise Http404
    if request is not None:
        log_reads(request, [person], Read.PATHWAYS)
    return pathway


# --- cases -----------------------------------------------------------------------


def visible_cases(user):
    """Cases the user sees: all those of the projects they manage cases in,
    and those they take part in; always of persons they see."""
    managed = case_manager_projects(user)
    member = CaseMember.objects.filter(user=user).values("case_id")
    return Case.objects.filter(
        Q(project_id__in=managed) | Q(pk__in=member),
        person__in=visible_persons(user),
    )


def manages(user, case) -> bool:
    return case.project_id in case_manager_projects(user)


def is_member(user, case) -> bool:
    return CaseMember.objects.filter(case=case, user=user).exists()


def case_for(user, case_id, *, manage: bool = False, request=None) -> Case:
    case = (
        Case.objects.select_related("person", "project", "worker")
        .filter(pk=parse_id(case_id))
        .first()
    )
    if case is None:
        raise Http404
    person = person_for(user, case.person_id)
    case.person = person
    if not (manages(user, case) or (not manage and is_member(user, case))):
        raise Http404
    if request is not None:
        log_reads(request, [person], Read.CASE)
    return case


def task_for(user, task_id) -> Task:
    """A task its owner or a manager of the case may update; else 404."""
    task = Task.objects.select_related("case", "case__person").filter(pk=parse_id(task_id)).first()
    if task is None:
        raise Http404
    case = case_for(user, task.case_id)
    task.case = case
    if not (task.owner_id == user.pk or manages(user, case)):
        raise Http404
    return task


def case_open_projects(user, person) -> set[int]:
    return case_manager_projects(user) & person_projects(person)
