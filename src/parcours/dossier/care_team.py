"""The care team of a person: who is assigned to their care (and so sees
their sexual-violence incidents), assigned and ended by a referent or
coordinator of the person's project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from parcours.access import services
from parcours.access.models import CareAssignment
from parcours.access.scope import (
    care_team_candidates,
    care_team_projects,
    log_reads,
    parse_id,
    person_for,
    roles_in_projects,
)
from parcours.access.terms import role_label
from parcours.audit.events import Read
from parcours.dossier.forms import CareAssignForm
from parcours.lib.forms import error_messages, flash_errors
from parcours.people.presenters import person_card


def _candidates(project_ids: set[int], taken: set[tuple[int, int]]) -> list[dict]:
    return [
        {
            "id": m.pk,
            "membership": m,
            "label": f"{m.user} ({m.user.username}) · {role_label(m.role)} · {m.project.code}",
        }
        for m in care_team_candidates(project_ids)
        if (m.user_id, m.project_id) not in taken
    ]


@login_required
def care_team(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id)
    manage_projects = care_team_projects(request.user, person)
    active = CareAssignment.objects.filter(person=person, ended_at__isnull=True)
    if not manage_projects and not active.filter(user=request.user).exists():
        raise Http404
    active = list(active.select_related("user", "project", "assigned_by").order_by("assigned_at"))
    taken = {(a.user_id, a.project_id) for a in active}
    candidates = _candidates(manage_projects, taken) if manage_projects else []
    assigning = request.method == "POST" and "end" not in request.POST
    form = CareAssignForm(request.POST if assigning else None, candidates=candidates)
    if request.method == "POST":
        if not manage_projects:
            raise Http404
        if "end" in request.POST:
            _end_assignment(request, person, request.POST.get("end", ""))
            return redirect("dossier:care_team", person_id=person.pk)
        if form.is_valid():
            chosen = next(c for c in candidates if c["id"] == form.cleaned_data["member"])
            membership = chosen["membership"]
            try:
                services.care_assign(
                    actor=request.user,
                    person=person,
                    user=membership.user,
                    project=membership.project,
                )
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, error_messages(error))
            else:
                messages.success(
                    request,
                    _("%(member)s is now assigned to this person's care.")
                    % {"member": membership.user},
                )
                return redirect("dossier:care_team", person_id=person.pk)
    else:
        log_reads(request, [person], Read.CARE_TEAM)
    roles = roles_in_projects({a.user_id for a in active}, {a.project_id for a in active})
    rows = [
        {
            "assignment": a,
            "roles": [role_label(r) for r in roles.get((a.user_id, a.project_id), [])],
            "may_end": a.project_id in manage_projects,
        }
        for a in active
    ]
    past = []
    if manage_projects:
        past = list(
            CareAssignment.objects.filter(person=person, ended_at__isnull=False)
            .select_related("user", "project", "assigned_by")
            .order_by("-ended_at")[:50]
        )
    context = {
        "card": person_card(request.user, person),
        "rows": rows,
        "past": past,
        "form": form if manage_projects else None,
        "has_candidates": bool(candidates),
    }
    return render(request, "dossier/care_team.html", context)


def _end_assignment(request: HttpRequest, person, raw_id: str) -> None:
    assignment_id = parse_id(raw_id)
    assignment = get_object_or_404(
        CareAssignment.objects.select_related("user", "person", "project"),
        pk=assignment_id,
        person=person,
        ended_at__isnull=True,
    )
    try:
        services.care_unassign(actor=request.user, assignment=assignment)
    except (PermissionDenied, ValidationError) as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(member)s is no longer assigned to this person's care.")
            % {"member": assignment.user},
        )
