"""API tokens: issued (shown once), listed and revoked by their owner; revoked
by an administrator; all revoked when the password is reset or the account
deactivated (accounts.services)."""

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import ApiToken, User
from parcours.audit import services as audit
from parcours.audit.events import Event


def token_issue(
    *, actor, user: User, name: str = "", read_only: bool = False, days: int | None = None
) -> tuple[ApiToken, str]:
    token, raw = ApiToken.issue(user, name=name, read_only=read_only, days=days)
    audit.record(
        actor=actor,
        event=Event.API_TOKEN_ISSUE,
        subject=user,
        extra={
            "token": token.pk,
            "name": name,
            "read_only": read_only,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            event=Event.API_TOKEN_REVOKE,
            subject=token.user,
            extra={"tokens": [token.pk], "reason": "revoked"},
        )
    return token
