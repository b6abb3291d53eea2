"""API: exchanging a username and password for a bearer token."""

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from parcours.accounts import lockout
from parcours.accounts.models import ApiToken
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.lib.api_errors import FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import InputSchema

router = Router(tags=["auth"])


class TokenIn(InputSchema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=4096)


class TokenOut(Schema):
    token: str = Field(..., description="Send it as “Authorization: Bearer <token>”.")
    expires_at: datetime


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut, **FIELD_ERRORS},
    summary="Get a bearer token",
)
def token_issue(request: HttpRequest, payload: TokenIn):
    """Exchange the credentials of an active account for a token valid a few hours.

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
    token, raw = ApiToken.issue(user)
    audit.record(
        actor=user,
        event=Event.API_TOKEN_ISSUE,
        subject=user,
        extra={"token": token.pk, "expires_at": token.expires_at.isoformat()},
    )
    return Status(200, {"token": raw, "expires_at": token.expires_at})
