"""Who sees and changes a referral, the consent it needs, and what its
letter may hold. Every decision asks parcours.access; nothing here compares
roles.

A referral is seen by its owner (the referrer), by who sees its discipline's
category in full for the person in its project, and, for an internal
referral, by the colleague it names or who sees the receiving discipline's
category in full. Its status is changed by its owner, by who may edit its
category there, or by the internal recipient.
"""

import unicodedata

from django.http import Http404
from django.utils import timezone

from parcours.access.models import Consent, ConsentKind, ConsentStatus
from parcours.access.module_scopes import appointment_clinicians
from parcours.access.records import FULL, record_scope, recording_projects
from parcours.access.scope import log_reads, may, parse_id, person_for, visible_persons
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.network.choices import (
    OPEN_STATUSES,
    REFERRAL_CATEGORIES,
    SHAREABLE,
    ReferralKind,
)
from parcours.network.models import Referral


def normalised(name: str) -> str:
    """An organisation's name compared without case, accents or extra spaces."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def referral_consent(person, organisation: str) -> Consent | None:
    """The person's consent to be referred to ``organisation`` if it is in
    force now (the latest decision naming it is "given"), else None. Read
    from the database on every call: a withdrawal counts at once."""
    key = normalised(organisation)
    if not key:
        return None
    latest = None
    rows = Consent.objects.filter(person=person, kind=ConsentKind.EXTERNAL_REFERRAL)
    for consent in rows.order_by("decided_at", "id"):
        if normalised(consent.scope) == key:
            latest = consent
    if latest is None or latest.status != ConsentStatus.GIVEN:
        return None
    return latest


def consented_organisations(person) -> list[str]:
    """The organisations the person currently agrees to be referred to (the
    latest decision naming each is "given"), for the referral form."""
    latest: dict[str, Consent] = {}
    rows = Consent.objects.filter(person=person, kind=ConsentKind.EXTERNAL_REFERRAL)
    for consent in rows.order_by("decided_at", "id"):
        if normalised(consent.scope):
            latest[normalised(consent.scope)] = consent
    return sorted(c.scope for c in latest.values() if c.status == ConsentStatus.GIVEN)


def referring_categories(user, person) -> dict[str, list[int]]:
    """The disciplines the user refers the person from: category → the
    person's projects where the user records that category."""
    out = {}
    for category in REFERRAL_CATEGORIES:
        projects = sorted(recording_projects(user, category, person))
        if projects:
            out[category.value] = projects
    return out


def shareable_categories(user, person, *, scope=None) -> list[Category]:
    """What the user may choose to share beyond identity: the categories they
    see in full themselves for the person."""
    visible = (scope or record_scope(user, person)).visible_categories()
    return [c for c in SHAREABLE if c in visible]


def colleagues(project_id: int):
    """Active staff of the project's care disciplines (internal referrals to a person)."""
    return appointment_clinicians({project_id}, [c.value for c in REFERRAL_CATEGORIES])


def sees_referral(user, referral, scope) -> bool:
    if referral.owner_id == user.pk:
        return True
    if scope.level(referral.category, referral.project_id) == FULL:
        return True
    if referral.kind == ReferralKind.INTERNAL:
        if referral.to_user_id == user.pk:
            return True
        if referral.to_discipline and (
            scope.level(referral.to_discipline, referral.project_id) == FULL
        ):
            return True
    return False


def may_update(user, referral, scope) -> bool:
    if referral.owner_id == user.pk:
        return True
    if scope.level(referral.category, referral.project_id) == FULL and may(
        user, Action.EDIT, referral.category, referral.project_id
    ):
        return True
    if referral.kind == ReferralKind.INTERNAL:
        if referral.to_user_id == user.pk:
            return True
        if (
            referral.to_discipline
            and scope.level(referral.to_discipline, referral.project_id) == FULL
            and may(user, Action.EDIT, referral.to_discipline, referral.project_id)
        ):
            return True
    return False


def person_referrals(user, person, *, scope=None) -> list[Referral]:
    """The person's referrals the user sees, latest first."""
    scope = scope or record_scope(user, person)
    rows = Referral.objects.filter(person=person).select_related("service", "to_user", "owner")
    return [r for r in rows if sees_referral(user, r, scope)]


def referral_for(user, referral_id, *, read: str = "", request=None):
    """The referral and the user's scope on its person if the user sees it,
    else 404 (missing and not allowed alike). With ``read``, the person's
    access-log row is written once the check has passed."""
    referral = (
        Referral.objects.select_related("service", "to_user", "owner", "project", "consent")
        .filter(pk=parse_id(referral_id))
        .first()
    )
    if referral is None:
        raise Http404
    person = person_for(user, referral.person_id)
    scope = record_scope(user, person)
    if not sees_referral(user, referral, scope):
        raise Http404
    referral.person = person
    if read:
        log_reads(request, [person], read)
    return referral, scope


def my_referrals(user, *, overdue_only: bool = False, today=None):
    """Referrals the user made (open first), among persons they still see."""
    rows = Referral.objects.filter(owner=user, person__in=visible_persons(user))
    if overdue_only:
        today = today or timezone.localdate()
        rows = rows.filter(status__in=OPEN_STATUSES, follow_up_on__lt=today)
    return rows.select_related("person", "service", "to_user").order_by("follow_up_on", "-id")


def overdue_for(user, today=None) -> list[Referral]:
    """The overdue referrals of their owner, for the home page."""
    return list(my_referrals(user, overdue_only=True, today=today)[:20])


def log_referral_reads(request, referrals) -> None:
    log_reads(request, {r.person_id: r.person for r in referrals}.values(), Read.REFERRAL)
