"""Writes of the consent registry, care-team assignments and break-glass."""

from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parcours.access.models import (
    SHAREABLE_CATEGORIES,
    BreakGlass,
    CareAssignment,
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentStatus,
    TestimonyUse,
)
from parcours.access.records import consent_projects
from parcours.access.scope import (
    break_glass_hours,
    break_glass_openings_since,
    break_glass_other_missions,
    break_glass_reviewable_by,
    break_glass_role,
    care_team_projects,
    person_projects,
    working_projects,
)
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.lib.languages import language_name

MIN_REASON_LENGTH = 15


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
    use: str = "",
    language: str = "",
    note: str = "",
    decided_at: datetime | None = None,
    backdate_reason: str = "",
) -> Consent:
    """Records a decision. Its date is never in the future, nor earlier than
    the person's first record unless ``backdate_reason`` says why (audited):
    a consent dated 1970 would make shared notes look consented all along."""
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
    if use and (kind != ConsentKind.TESTIMONY or use not in TestimonyUse.values):
        errors["use"] = [
            _(
                "Only a consent to testimony says its use: internal, anonymised public or identifiable public."
            )
        ]
    if language and language_name(language) is None:
        errors["language"] = [_("Unknown language code “%(code)s” (ISO 639).") % {"code": language}]
    decided_at = decided_at or timezone.now()
    if timezone.is_naive(decided_at):
        decided_at = timezone.make_aware(decided_at)
    backdate_reason = (backdate_reason or "").strip()[:255]
    first = person_first_record(person)
    if decided_at > timezone.now() + timedelta(minutes=5):
        errors["decided_at"] = [_("A consent cannot be recorded in the future.")]
    elif decided_at < first and len(backdate_reason) < MIN_REASON_LENGTH:
        errors["decided_at"] = [
            _(
                "This date is before the person's first record (%(first)s). To correct a "
                "decision taken earlier, say why in the reason for an earlier date."
            )
            % {"first": date_format(timezone.localtime(first), "SHORT_DATE_FORMAT")}
        ]
        errors["backdate_reason"] = [_("At least %(n)d characters.") % {"n": MIN_REASON_LENGTH}]
    backdated = decided_at < first
    if errors:
        raise ValidationError(errors)
    projects = consent_projects(actor, person, kind, category)
    if not projects:
        raise PermissionDenied(_("Your role may not record this consent."))
    consent = Consent.objects.create(
        person=person,
        project_id=projects[0],
        kind=kind,
        category=category,
        scope=scope.strip()[:120],
        use=use,
        status=status,
        method=method,
        language=language,
        note=note.strip()[:255],
        decided_at=decided_at,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        event=Event.CONSENT_RECORD,
        subject=person,
        project=consent.project,
        extra={
            "consent": consent.pk,
            "kind": kind,
            "category": category,
            "status": status,
            "method": method,
            **({"use": use} if use else {}),
            **(
                {"backdated": decided_at.isoformat(), "backdate_reason": backdate_reason}
                if backdated
                else {}
            ),
        },
    )
    return consent


def person_first_record(person) -> datetime:
    """When the person first appears: registration or the earliest encounter
    (imported histories start before the registration in Parcours)."""
    encounters = apps.get_model("care", "Encounter").objects.filter(person_id=person.pk)
    first_encounter = encounters.aggregate(first=Min("occurred_at"))["first"]
    dates = [d for d in (person.created_at, first_encounter) if d is not None]
    return min(dates) if dates else timezone.now()


@transaction.atomic
def care_assign(*, actor, person, user, project) -> CareAssignment:
    if project.pk not in person_projects(person):
        raise ValidationError({"project": [_("The person is not followed in this project.")]})
    if project.pk not in care_team_projects(actor, person):
        raise PermissionDenied(
            _("Only a referent or coordinator of the project assigns the care team.")
        )
    if project.pk not in working_projects(user):
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
        actor=actor,
        event=Event.CARE_ASSIGN,
        subject=person,
        project=project,
        extra={"user": user.pk},
    )
    return assignment


def care_assign_recorder(*, actor, person, project) -> None:
    """Whoever records a sexual-violence incident is, by doing so, in the
    person's care team (they could not see their own record otherwise)."""
    if CareAssignment.objects.filter(person=person, user=actor, ended_at__isnull=True).exists():
        return
    CareAssignment.objects.create(person=person, user=actor, project=project, assigned_by=actor)
    audit.record(
        actor=actor,
        event=Event.CARE_ASSIGN,
        subject=person,
        project=project,
        extra={"user": actor.pk, "reason": "recorded an incident"},
    )


@transaction.atomic
def care_unassign(*, actor, assignment: CareAssignment) -> None:
    if assignment.project_id not in care_team_projects(actor, assignment.person):
        raise PermissionDenied(
            _("Only a referent or coordinator of the project changes the care team.")
        )
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    audit.record(
        actor=actor,
        event=Event.CARE_UNASSIGN,
        subject=assignment.person,
        project=assignment.project,
        extra={"user": assignment.user_id},
    )


@transaction.atomic
def break_glass_open(*, actor, person, reason: str) -> BreakGlass:
    """Opens a record outside the actor's scope for a few hours, or, past the
    daily number of openings, asks a reviewer to approve the opening first."""
    role = break_glass_role(actor)
    if role is None:
        raise PermissionDenied(_("Only clinicians may open a record outside their scope."))
    others = break_glass_other_missions(actor, person)
    if others:
        raise PermissionDenied(
            _(
                "This person is followed by another mission (%(missions)s). Break-glass stays "
                "inside your own mission: ask the coordinator of that mission."
            )
            % {"missions": ", ".join(others)}
        )
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": [_("Explain why in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}]}
        )
    # One opening at a time per user, so that two at once cannot both pass the limit.
    get_user_model().objects.select_for_update(no_key=True).filter(pk=actor.pk).exists()
    now = timezone.now()
    earlier = break_glass_openings_since(actor, now - timedelta(hours=24))
    opening = BreakGlass.objects.create(
        user=actor,
        person=person,
        role=role,
        reason=reason[:2000],
        expires_at=now + timedelta(hours=break_glass_hours()),
        needs_approval=earlier >= settings.PARCOURS_BREAK_GLASS_DAILY_LIMIT,
    )
    audit.record(
        actor=actor,
        event=Event.BREAK_GLASS_REQUEST if opening.needs_approval else Event.BREAK_GLASS_OPEN,
        subject=person,
        extra={"break_glass": opening.pk, "role": role, "reason": reason[:500]},
    )
    return opening


@transaction.atomic
def break_glass_approve(*, actor, opening: BreakGlass) -> BreakGlass:
    """A reviewer lets a request past the daily limit open the record, for the
    usual number of hours from now."""
    opening = BreakGlass.objects.select_for_update().get(pk=opening.pk)
    if not break_glass_reviewable_by(actor).filter(pk=opening.pk).exists():
        raise PermissionDenied(_("You do not review openings of this record."))
    if opening.user_id == actor.pk:
        raise PermissionDenied(_("Someone else approves your own requests."))
    if not opening.is_pending:
        raise ValidationError(_("This request is no longer waiting for approval."))
    opening.approved_by = actor
    opening.approved_at = timezone.now()
    opening.expires_at = opening.approved_at + timedelta(hours=break_glass_hours())
    opening.save(update_fields=["approved_by", "approved_at", "expires_at"])
    audit.record(
        actor=actor,
        event=Event.BREAK_GLASS_APPROVE,
        subject=opening.person,
        extra={"break_glass": opening.pk, "user": opening.user_id},
    )
    return opening


@transaction.atomic
def break_glass_review(*, actor, opening: BreakGlass, note: str = "") -> BreakGlass:
    if not break_glass_reviewable_by(actor).filter(pk=opening.pk).exists():
        raise PermissionDenied(_("You do not review openings of this record."))
    if opening.user_id == actor.pk:
        raise PermissionDenied(_("Someone else reviews your own openings."))
    if opening.reviewed_at is not None:
        raise ValidationError(_("This opening was already reviewed."))
    # Reviewing a request still waiting for approval declines it: it never opens.
    declined = opening.is_pending
    opening.reviewed_by = actor
    opening.reviewed_at = timezone.now()
    opening.review_note = note.strip()[:255]
    opening.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit.record(
        actor=actor,
        event=Event.BREAK_GLASS_REVIEW,
        subject=opening.person,
        extra={"break_glass": opening.pk, "note": opening.review_note, "declined": declined},
    )
    return opening
