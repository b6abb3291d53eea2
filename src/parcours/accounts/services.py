from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from parcours.accounts.models import Membership, User
from parcours.audit import services as audit
from parcours.audit.events import Event


@transaction.atomic
def user_set_language(*, actor, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": ["unknown language"]})
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            actor=actor,
            event=Event.USER_LANGUAGE,
            subject=user,
            changes={"language": (before, language)},
        )
    return user


@transaction.atomic
def membership_grant(*, actor, user: User, project, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, project=project, role=role)
    if created:
        audit.record(
            actor=actor,
            event=Event.MEMBERSHIP_GRANT,
            subject=membership,
            project=project,
            extra={"user": user.pk, "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    project, user_id, role = membership.project, membership.user_id, membership.role
    audit.record(
        actor=actor,
        event=Event.MEMBERSHIP_REVOKE,
        subject=membership,
        project=project,
        extra={"user": user_id, "role": role},
    )
    membership.delete()
