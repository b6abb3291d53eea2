"""Writes of the consent registry, care-team assignments and break-glass."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.models import (
    SHAREABLE_CATEGORIES,
    BreakGlass,
    CareAssignment,
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentStatus,
)
from parcours.access.policy import (
    ASSIGNING_ROLES,
    BREAK_GLASS_HOURS,
    BREAK_GLASS_REVIEWERS,
    BREAK_GLASS_ROLES,
    Action,
    Category,
)
from parcours.access.scope import memberships, person_project_ids, project_ids_for
from parcours.audit import services as audit
from parcours.people.validation import language_name

MIN_REASON_LENGTH = 15


def _consent_category(kind: str, category: str) -> Category:
    """The category whose CONSENT action allows recording this consent."""
    if kind == ConsentKind.TEAM_SHARING:
        return Category(category)
    return Category.IDENTITY


def consent_may_record(user, person, kind: str, category: str = "") -> bool:
    """May ``user`` record a decision of ``person`` about (kind, category)?
    The same rule consent_record enforces, for forms to offer only what passes."""
    try:
        needed = _consent_category(kind, category)
    except ValueError:
        return False
    return bool(project_ids_for(user, needed, Action.CONSENT) & person_project_ids(person))


@transaction.atomic
def consent_record(
    *,
    actor,
    person,
    kind: str,
    status: str,
    method: str,
    category: str = "",
    scope: str = "",
    language: str = "",
    note: str = "",
    decided_at: datetime | None = None,
) -> Consent:
    errors: dict[str, list[str]] = {}
    if kind not in ConsentKind.values:
        errors["kind"] = [_("Unknown kind of consent “%(kind)s”.") % {"kind": kind}]
    if status not in ConsentStatus.values:
        errors["status"] = [_("A consent is given, refused or withdrawn.")]
    if method not in ConsentMethod.values:
        errors["method"] = [_("Say how the consent was obtained.")]
    if kind == ConsentKind.TEAM_SHARING:
        if category not in SHAREABLE_CATEGORIES:
            errors["category"] = [
                _(
                    "Team sharing is given for one category: medical, mental health, social or legal."
                )
            ]
    elif category:
        errors["category"] = [_("Only team sharing is given per category.")]
    if language and language_name(language) is None:
        errors["language"] = [_("Unknown language code “%(code)s” (ISO 639).") % {"code": language}]
    decided_at = decided_at or timezone.now()
    if timezone.is_naive(decided_at):
        decided_at = timezone.make_aware(decided_at)
    if decided_at > timezone.now() + timedelta(minutes=5):
        errors["decided_at"] = [_("A consent cannot be recorded in the future.")]
    if errors:
        raise ValidationError(errors)
    allowed_projects = project_ids_for(actor, _consent_category(kind, category), Action.CONSENT)
    projects = sorted(allowed_projects & person_project_ids(person))
    if not projects:
        raise PermissionDenied(_("Your role may not record this consent."))
    consent = Consent.objects.create(
        person=person,
        project_id=projects[0],
        kind=kind,
        category=category,
        scope=scope.strip()[:120],
        status=status,
        method=method,
        language=language,
        note=note.strip()[:255],
        decided_at=decided_at,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        event="consent.record",
        subject=person,
        project=consent.project,
        extra={
            "consent": consent.pk,
            "kind": kind,
            "category": category,
            "status": status,
            "method": method,
        },
    )
    return consent


def current_consents(person) -> dict[tuple[str, str], Consent]:
    """The decision in force for each (kind, category): the latest one. Read
    from the database on every call: no cached decision outlives a withdrawal."""
    current: dict[tuple[str, str], Consent] = {}
    consents = Consent.objects.filter(person=person).select_related("recorded_by")
    for consent in consents.order_by("decided_at", "id"):
        current[(consent.kind, consent.category)] = consent
    return current


def team_sharing_given(person, consents: dict | None = None) -> set[str]:
    """Categories whose team notes the person currently agrees to share."""
    consents = current_consents(person) if consents is None else consents
    return {
        category
        for (kind, category), consent in consents.items()
        if kind == ConsentKind.TEAM_SHARING and consent.status == ConsentStatus.GIVEN
    }


@transaction.atomic
def care_assign(*, actor, person, user, project) -> CareAssignment:
    if not any(pid == project.pk and role in ASSIGNING_ROLES for pid, role in memberships(actor)):
        raise PermissionDenied(
            _("Only a referent or coordinator of the project assigns the care team.")
        )
    if project.pk not in person_project_ids(person):
        raise ValidationError({"project": [_("The person is not followed in this project.")]})
    if not any(pid == project.pk for pid, _role in memberships(user)):
        raise ValidationError({"user": [_("This staff member does not work in this project.")]})
    assignment = CareAssignment.objects.filter(
        person=person, user=user, project=project, ended_at__isnull=True
    ).first()
    if assignment:
        return assignment
    assignment = CareAssignment.objects.create(
        person=person, user=user, project=project, assigned_by=actor
    )
    audit.record(
        actor=actor, event="care.assign", subject=person, project=project, extra={"user": user.pk}
    )
    return assignment


@transaction.atomic
def care_unassign(*, actor, assignment: CareAssignment) -> None:
    if not any(
        pid == assignment.project_id and role in ASSIGNING_ROLES for pid, role in memberships(actor)
    ):
        raise PermissionDenied(
            _("Only a referent or coordinator of the project changes the care team.")
        )
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    audit.record(
        actor=actor,
        event="care.unassign",
        subject=assignment.person,
        project=assignment.project,
        extra={"user": assignment.user_id},
    )


def is_assigned(user, person) -> bool:
    return CareAssignment.objects.filter(person=person, user=user, ended_at__isnull=True).exists()


def break_glass_role(user) -> str | None:
    """The clinical role a user may break glass with (any project), if any."""
    roles = {role for _pid, role in memberships(user)}
    for role in sorted(roles):
        if role in BREAK_GLASS_ROLES:
            return role
    return None


@transaction.atomic
def break_glass_open(*, actor, person, reason: str) -> BreakGlass:
    role = break_glass_role(actor)
    if role is None:
        raise PermissionDenied(_("Only clinicians may open a record outside their scope."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": [_("Explain why in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}]}
        )
    opening = BreakGlass.objects.create(
        user=actor,
        person=person,
        role=role,
        reason=reason[:2000],
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit.record(
        actor=actor,
        event="break_glass.open",
        subject=person,
        extra={"break_glass": opening.pk, "role": role, "reason": reason[:500]},
    )
    return opening


def open_break_glass(user, person_id: int) -> BreakGlass | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        BreakGlass.objects.filter(user=user, person_id=person_id, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def break_glass_reviewable_by(user):
    """Openings of records of persons followed in projects the user reviews."""
    from parcours.people.models import Enrolment

    projects = {pid for pid, role in memberships(user) if role in BREAK_GLASS_REVIEWERS}
    if not projects:
        return BreakGlass.objects.none()
    persons = Enrolment.objects.filter(project_id__in=projects).values("person_id")
    return BreakGlass.objects.filter(person_id__in=persons).select_related(
        "user", "person", "reviewed_by"
    )


@transaction.atomic
def break_glass_review(*, actor, opening: BreakGlass, note: str = "") -> BreakGlass:
    if not break_glass_reviewable_by(actor).filter(pk=opening.pk).exists():
        raise PermissionDenied(_("You do not review openings of this record."))
    if opening.user_id == actor.pk:
        raise PermissionDenied(_("Someone else reviews your own openings."))
    if opening.reviewed_at is not None:
        raise ValidationError(_("This opening was already reviewed."))
    opening.reviewed_by = actor
    opening.reviewed_at = timezone.now()
    opening.review_note = note.strip()[:255]
    opening.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit.record(
        actor=actor,
        event="break_glass.review",
        subject=opening.person,
        extra={"break_glass": opening.pk, "note": opening.review_note},
    )
    return opening
