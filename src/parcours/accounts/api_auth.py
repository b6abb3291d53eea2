"""Bearer-token authentication of the API.

Only ``Authorization: Bearer <token>`` authenticates an API call; the web
session cookie never does. A browser therefore cannot be made to change
data through the API by a forged cross-site request (no CSRF exposure),
and nothing here needs the CSRF middleware.

A token that is known but no longer works (revoked, expired, its account
deactivated) gets 401 with the reason; a read-only token gets 403 on any
method that writes.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from parcours.accounts.models import ApiToken

# A token from ApiToken.issue is 43 characters; anything much longer is not one.
MAX_TOKEN_LENGTH = 256
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

HOW_TO_GET_ONE = (
    "Get a token with `POST /api/v1/auth/token` (username, password, and `otp`: the "
    "6-digit code of the authenticator app for an account with two-factor "
    "authentication), or create a named one on the page “My API tokens” "
    "(/accounts/tokens/), where it is shown once. Send it as "
    "`Authorization: Bearer <token>`. Tokens expire (90 days by default), may be "
    "read-only (403 on any write), and end when revoked, when the password is reset "
    "or when the account is deactivated (401 with the reason)."
)


class TokenRefused(AuthenticationError):
    """A known token that no longer works: 401 with the reason (lib.api_errors)."""

    def __init__(self, reason: str) -> None:
        super().__init__(message=reason)
        self.reason = reason


def refusal(token: ApiToken) -> str | None:
    if token.revoked_at is not None:
        return _("This token was revoked.")
    if token.expires_at <= timezone.now():
        return _("This token has expired: get a new one.")
    if not token.user.is_active:
        return _("This account is deactivated.")
    return None


class BearerToken(HttpBearer):
    openapi_description = HOW_TO_GET_ONE

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        found = ApiToken.objects.for_raw(token)
        if found is None:
            return None
        reason = refusal(found)
        if reason:
            raise TokenRefused(reason)
        user = found.user
        # The token's owner is the user of this request, whoever the session
        # cookie (if any) belongs to.
        request.user = user
        request.api_token = found
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        if found.read_only and request.method not in READ_METHODS:
            raise PermissionDenied(_("This token is read-only: it cannot change anything."))
        found.touch()
        return user
