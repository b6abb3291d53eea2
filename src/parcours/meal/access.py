"""The MEAL pages' look-ups: fetch and check in one step, 404 otherwise."""

from django.http import Http404

from parcours.access.module_scopes import figure_categories, meal_plan_projects
from parcours.access.scope import parse_id, working_projects
from parcours.meal import engine
from parcours.meal.facts import all_facts
from parcours.meal.models import Indicator, Objective
from parcours.org.models import Mission, Project


def figure_project_ids(user) -> set[int]:
    """Projects where the user counts something a fact declares (exactly or
    with small cells suppressed)."""
    counted = {fact.category for fact in all_facts()}
    ids = set()
    for pid in working_projects(user):
        exact, small = figure_categories(user, pid)
        if (exact | small) & counted:
            ids.add(pid)
    return ids


def figure_project(user, project_id) -> Project:
    """A project whose figures the user reads (some of them), else 404."""
    pk = parse_id(project_id)
    if pk not in figure_project_ids(user):
        raise Http404
    return Project.objects.select_related("mission").get(pk=pk)


def plan_project(user, project_id) -> Project:
    """A project whose MEAL plan the user edits (coordinators, MEAL officers)."""
    pk = parse_id(project_id)
    if pk not in meal_plan_projects(user):
        raise Http404
    return Project.objects.select_related("mission").get(pk=pk)


def readable_indicator(user, indicator_id) -> Indicator:
    pk = parse_id(indicator_id)
    indicator = (
        Indicator.objects.filter(pk=pk, project_id__in=figure_project_ids(user))
        .select_related("project", "project__mission", "objective")
        .first()
    )
    if indicator is None or not engine.may_read(user, indicator):
        raise Http404
    return indicator


def editable_indicator(user, indicator_id) -> Indicator:
    pk = parse_id(indicator_id)
    indicator = (
        Indicator.objects.filter(pk=pk, project_id__in=meal_plan_projects(user))
        .select_related("project", "objective")
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


def editable_objective(user, objective_id) -> Objective:
    pk = parse_id(objective_id)
    objective = (
        Objective.objects.filter(pk=pk, project_id__in=meal_plan_projects(user))
        .select_related("project", "parent")
        .first()
    )
    if objective is None:
        raise Http404
    return objective


def figure_mission(user, mission_id) -> tuple[Mission, list[Project]]:
    pk = parse_id(mission_id)
    projects = list(
        Project.objects.filter(mission_id=pk, pk__in=figure_project_ids(user)).select_related(
            "mission"
        )
    )
    if not projects:
        raise Http404
    return projects[0].mission, projects
