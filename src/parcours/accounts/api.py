"""API: exchanging a username and password (and a two-factor code) for a bearer token."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from parcours.accounts import lockout, mfa, tokens
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.lib.api_errors import FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import InputSchema

router = Router(tags=["auth"])


class TokenIn(InputSchema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=4096)
    otp: str | None = Field(
        None,
        max_length=32,
        description="For an account with two-factor authentication: the 6-digit code "
        "of the authenticator app (or a recovery code, which is then spent).",
    )
    name: str = Field("", max_length=100, description="What the token is for (shown to you).")
    read_only: bool = Field(False, description="A read-only token gets 403 on any write.")
    days: int | None = Field(
        None,
        ge=1,
        le=settings.PARCOURS_API_TOKEN_DAYS,
        description=f"Days of validity (at most and by default {settings.PARCOURS_API_TOKEN_DAYS}).",
    )


class TokenOut(Schema):
    token: str = Field(..., description="Send it as “Authorization: Bearer <token>”.")
    expires_at: datetime
    read_only: bool


def _second_factor(request: HttpRequest, user, code: str | None, address) -> str | None:
    """None when the second factor is in order, else the reason for a 401."""
    if not mfa.needed(user):
        return None
    if mfa.totp_device(user) is None:
        return _(
            "This account needs two-factor authentication: sign in on the web once to set it up."
        )
    if not code:
        return _("This account uses two-factor authentication: send the code as “otp”.")
    device = mfa.verify(user, code)
    if device is None:
        lockout.record_failure(user.username, address, "api")
        return _("Wrong username, password or code, or inactive account.")
    if mfa.is_recovery(device):
        audit.record(
            actor=user,
            event=Event.MFA_RECOVERY_USE,
            subject=user,
            extra={"left": mfa.recovery_codes_left(user), "channel": "api"},
        )
    return None


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut, **FIELD_ERRORS},
    summary="Get a bearer token",
)
def token_issue(request: HttpRequest, payload: TokenIn):
    """Exchange the credentials of an active account for a token (90 days by default).

    An account with two-factor authentication sends the code of its app as
    ``otp``; a wrong code counts towards the lockout like a wrong password.
    Only a hash of the token is stored: keep it safe, it cannot be shown again.
    """
    address = lockout.client_address(request)
    minutes = lockout.minutes_locked(payload.username, address)
    if minutes:
        lockout.record_failure(payload.username, address, "api")
        return Status(429, {"detail": lockout.locked_message(minutes)})
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, {"detail": _("Wrong username or password, or inactive account.")})
    refused = _second_factor(request, user, payload.otp, address)
    if refused:
        return Status(401, {"detail": refused})
    token, raw = tokens.token_issue(
        actor=user, user=user, name=payload.name, read_only=payload.read_only, days=payload.days
    )
    return Status(200, {"token": raw, "expires_at": token.expires_at, "read_only": token.read_only})
