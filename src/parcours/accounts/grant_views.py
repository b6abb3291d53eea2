"""Roles waiting for a second person's approval (coordinators and medical
referents of the project). See accounts.grants."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from parcours.access.scope import grant_approver_projects
from parcours.access.terms import role_label
from parcours.accounts import grants
from parcours.accounts.models import GrantStatus, RoleGrant


def _rows(user, queryset) -> list[dict]:
    decidable = set(grants.decidable(user).values_list("pk", flat=True))
    return [
        {"grant": g, "role": role_label(g.role), "decidable": g.pk in decidable} for g in queryset
    ]


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    if not grant_approver_projects(request.user):
        raise Http404
    rows = _rows(request.user, grants.visible(request.user).order_by("-requested_at")[:100])
    return render(request, "accounts/grants.html", {"rows": rows})


@login_required
def grant_decide(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = (
        RoleGrant.objects.filter(pk=grant_id, project_id__in=grant_approver_projects(request.user))
        .select_related("user", "project", "requested_by")
        .first()
    )
    if grant is None:
        raise Http404
    if request.method == "POST":
        try:
            grants.grant_decide(
                actor=request.user, grant=grant, approve=request.POST.get("decision") == "approve"
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("accounts:grants")
    return render(
        request,
        "accounts/grant_decide.html",
        {
            "grant": grant,
            "role": role_label(grant.role),
            "pending": grant.status == GrantStatus.PENDING,
            "decidable": grants.decidable(request.user).filter(pk=grant.pk).exists(),
        },
    )
