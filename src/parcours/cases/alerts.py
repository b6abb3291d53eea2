"""What the home page tells each user (in-app notifications): their own
overdue tasks, the overdue pathway steps of the persons whose care team they
are in, the reviews of the protocols they own; and the pages of this app
they may open."""

from django.utils import timezone

from parcours.access.module_scopes import (
    care_team_user_ids,
    case_manager_projects,
    caseload_projects,
    lessons_projects,
    protocol_reader,
)
from parcours.access.scope import projects_where, working_projects
from parcours.access.terms import Action, Category
from parcours.cases.casework import overdue_tasks
from parcours.cases.definitions import definition
from parcours.cases.library import reviews_due
from parcours.cases.models import Pathway, PathwayStep
from parcours.cases.scopes import sees_pathway
from parcours.org.models import Project

MAX_ALERTS = 30


def overdue_steps(user, now=None) -> list[dict]:
    """Open pathways with overdue steps (one alert per pathway, its overdue
    steps named, the earliest deadline first), for the care team of the person (the
    members assigned to their care, the referents, who started the pathway)
    and only when they see the pathway in full."""
    now = now or timezone.now()
    steps = (
        PathwayStep.objects.filter(
            done_at__isnull=True,
            due_at__lt=now,
            pathway__status=Pathway.Status.OPEN,
            pathway__project_id__in=working_projects(user),
        )
        .select_related("pathway", "pathway__person")
        .order_by("due_at")
    )
    by_pathway: dict[int, list] = {}
    for step in steps[:500]:
        by_pathway.setdefault(step.pathway_id, []).append(step)
    alerts = []
    for pathway_steps in by_pathway.values():
        pathway = pathway_steps[0].pathway
        team = care_team_user_ids(pathway.person, pathway.project_id) | {pathway.started_by_id}
        if user.pk not in team or not sees_pathway(user, pathway):
            continue
        definition_ = definition(pathway.kind)
        labels = []
        for step in pathway_steps:
            step_def = definition_.step(step.key)
            labels.append(step_def.title if step_def else step.key)
        alerts.append(
            {
                "pathway": pathway,
                "person": pathway.person,
                "labels": labels,
                "title": definition_.title,
                "due_at": pathway_steps[0].due_at,
            }
        )
        if len(alerts) >= MAX_ALERTS:
            break
    return alerts[:MAX_ALERTS]


def home_alerts(user) -> dict:
    tasks = list(overdue_tasks(user).select_related("case__person")[:MAX_ALERTS])
    steps = overdue_steps(user)
    projects = {p.pk: p for p in Project.objects.filter(pk__in=working_projects(user))}
    identity = projects_where(user, Action.VIEW, Category.IDENTITY)
    links = []
    for pid, project in sorted(projects.items(), key=lambda kv: kv[1].name):
        entry = {"project": project, "pathways": pid in identity}
        entry["caseload"] = pid in caseload_projects(user)
        entry["lessons"] = pid in lessons_projects(user)
        entry["cases"] = pid in case_manager_projects(user)
        if any(v for k, v in entry.items() if k != "project"):
            links.append(entry)
    return {
        "tasks": tasks,
        "steps": steps,
        "reviews": list(reviews_due(user)),
        "links": links,
        "protocols": protocol_reader(user),
        # The persons named (for the access log of the home page).
        "persons": [t.case.person for t in tasks] + [s["person"] for s in steps],
    }
