"""Two people to give a role that reads clinical content.

An administrator manages accounts but reads no clinical content, and cannot
change that alone: giving a role that reads a clinical category (the access
layer says which: ``scope.grant_needs_approval``) creates a pending
``RoleGrant``; a coordinator or medical referent of the project approves or
refuses it (``scope.grant_approver_projects``), never the person who would
receive the role and never the one who asked. Pending and recent decisions
are shown on the approvers' home page.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.scope import grant_approver_projects
from parcours.accounts.models import GrantStatus, Membership, RoleGrant, User
from parcours.audit import services as audit
from parcours.audit.events import Event

# Approved or refused grants stay on the approvers' home page this long.
RECENT = timedelta(days=7)


def membership_add(*, actor, user: User, project, role: str, extra=None) -> Membership:
    membership = Membership.objects.create(user=user, project=project, role=role)
    audit.record(
        actor=actor,
        event=Event.MEMBERSHIP_GRANT,
        subject=membership,
        project=project,
        extra={"user": user.pk, "role": role, **(extra or {})},
    )
    return membership


def grant_request(*, actor, user: User, project, role: str) -> RoleGrant:
    if RoleGrant.objects.filter(
        user=user, project=project, role=role, status=GrantStatus.PENDING
    ).exists():
        raise ValidationError({"role": [_("This role is already waiting for approval.")]})
    grant = RoleGrant.objects.create(
        user=user,
        project=project,
        role=role,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record(
        actor=actor,
        event=Event.MEMBERSHIP_REQUEST,
        subject=grant,
        project=project,
        extra={"user": user.pk, "role": role},
    )
    return grant


def decidable(user):
    """Pending grants this user may approve or refuse."""
    return (
        RoleGrant.objects.filter(
            status=GrantStatus.PENDING, project_id__in=grant_approver_projects(user)
        )
        .exclude(user=user)
        .exclude(requested_by=user)
    )


def visible(user):
    """Grants of the projects the user approves in (pending, and recent decisions)."""
    since = timezone.now() - RECENT
    return (
        RoleGrant.objects.filter(project_id__in=grant_approver_projects(user))
        .filter(Q(status=GrantStatus.PENDING) | Q(decided_at__gte=since))
        .select_related("user", "project", "requested_by", "decided_by")
    )


@transaction.atomic
def grant_decide(*, actor, grant: RoleGrant, approve: bool) -> RoleGrant:
    """Approve (the membership is created) or refuse a pending grant."""
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.project_id not in grant_approver_projects(actor):
        raise ValidationError(_("Only a coordinator or a medical referent of the project decides."))
    if grant.user_id == actor.pk:
        raise ValidationError(_("Nobody approves a role given to themself."))
    if grant.requested_by_id == actor.pk:
        raise ValidationError(_("A second person approves: not the one who asked."))
    if grant.status != GrantStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    grant.status = GrantStatus.APPROVED if approve else GrantStatus.REFUSED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        if not Membership.objects.filter(
            user_id=grant.user_id, project_id=grant.project_id, role=grant.role
        ).exists():
            membership_add(
                actor=actor,
                user=grant.user,
                project=grant.project,
                role=grant.role,
                extra={"requested_by": grant.requested_by_id, "grant": grant.pk},
            )
    else:
        audit.record(
            actor=actor,
            event=Event.MEMBERSHIP_REFUSE,
            subject=grant,
            project=grant.project,
            extra={"user": grant.user_id, "role": grant.role},
        )
    return grant


def home_alerts(user) -> dict | None:
    """For coordinators and medical referents: roles waiting for their approval
    and roles given or refused in their projects during the last days."""
    if not grant_approver_projects(user):
        return None
    rows = list(visible(user).order_by("-requested_at")[:20])
    if not rows:
        return None
    return {
        "pending": sum(1 for g in rows if g.status == GrantStatus.PENDING),
        "decided": sum(1 for g in rows if g.status != GrantStatus.PENDING),
    }


def pending_for_user(user: User):
    return RoleGrant.objects.filter(user=user, status=GrantStatus.PENDING).select_related("project")
