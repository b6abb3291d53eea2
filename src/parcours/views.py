"""Pages that belong to no single app: home and health check."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.access.module_scopes import meal_plan_projects
from parcours.access.records import recording_sites
from parcours.access.scope import log_reads, may, user_roles, visible_persons
from parcours.access.terms import ROLE_LABELS, Action, Category
from parcours.accounts.grants import home_alerts as role_grant_alerts
from parcours.audit.events import Read
from parcours.audit.models import AuditEvent
from parcours.care.choices import DISCIPLINE_CATEGORY, TALLY_DISCIPLINES
from parcours.care.forms import NEW_LABELS
from parcours.care.models import Encounter
from parcours.care.views import follow_ups_due
from parcours.cases.alerts import home_alerts as cases_alerts
from parcours.feedback.home import home_context as feedback_home
from parcours.meal.access import figure_project_ids
from parcours.meal.periods import last_complete_month
from parcours.meal.views import dashboard_context
from parcours.network.referrals import overdue_for
from parcours.org.models import Project
from parcours.stock.alerts import home_alerts as stock_alerts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    figures = figure_project_ids(user)
    # MEAL officers and advocacy read figures only: their home is the
    # dashboard, unless feedback items they handle are overdue (shown here).
    # The pharmacy staff read no person either, but their home has the
    # pharmacy alerts.
    figures_only = (
        figures
        and not may(user, Action.VIEW, Category.IDENTITY)
        and not may(user, Action.VIEW, Category.STOCK)
    )
    if figures_only and not feedback_home(user).get("feedback_overdue"):
        return redirect("meal:index")
    # Coordinators see their project's indicators first.
    plan = sorted(meal_plan_projects(user) & figures)
    meal_home = None
    if plan:
        project = Project.objects.select_related("mission").get(pk=plan[0])
        meal_home = dashboard_context(user, project, last_complete_month(), limit=6)
    roles_by_project: dict[int, list[str]] = {}
    for project_id, role in user_roles(user):
        roles_by_project.setdefault(project_id, []).append(role)
    projects = [
        {"project": p, "roles": sorted(str(ROLE_LABELS[r]) for r in roles_by_project[p.pk])}
        for p in Project.objects.filter(pk__in=roles_by_project).select_related("mission")
    ]
    recent = []
    if may(user, Action.VIEW, Category.IDENTITY):
        # Registrations, edits and encounters: whatever the user last worked on.
        touched = [
            (event.at, int(event.subject_id))
            for event in AuditEvent.objects.filter(actor=user, subject_type="people.person").only(
                "at", "subject_id"
            )[:50]
        ]
        touched += list(
            Encounter.objects.filter(author=user, person__isnull=False)
            .order_by("-created_at")
            .values_list("created_at", "person_id")[:50]
        )
        touched.sort(reverse=True)
        ordered = list(dict.fromkeys(person_id for _at, person_id in touched))[:10]
        found = visible_persons(user).in_bulk(ordered)
        recent = [found[i] for i in ordered if i in found]
    counts = [
        {"label": NEW_LABELS[d], "url": reverse("care:new", args=[d.value])}
        for d in sorted(TALLY_DISCIPLINES)
        if recording_sites(user, DISCIPLINE_CATEGORY[d]).exists()
    ]
    follow_ups = follow_ups_due(user)
    overdue_referrals = overdue_for(user)
    cases = cases_alerts(user)
    # The persons named on the page: a read of each, like any list.
    named = {p.pk: p for p in [*recent, *(f["person"] for f in follow_ups), *cases["persons"]]}
    named.update({r.person_id: r.person for r in overdue_referrals})
    log_reads(request, named.values(), Read.IDENTITY_SUMMARY)
    return render(
        request,
        "home.html",
        {
            "projects": projects,
            "recent": recent,
            "follow_ups": follow_ups,
            "counts": counts,
            "meal_home": meal_home,
            "stock_alerts": stock_alerts(user),
            "role_grants": role_grant_alerts(user),
            **feedback_home(user),
            "overdue_referrals": overdue_referrals,
            "cases": cases,
            "meal_link": bool(figures) and meal_home is None,
        },
    )


def health(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers; reveals nothing."""
    return JsonResponse({"status": "ok"})
