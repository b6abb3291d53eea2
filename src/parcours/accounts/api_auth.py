"""Bearer-token authentication of the API.

Only ``Authorization: Bearer <token>`` authenticates an API call; the web
session cookie never does. A browser therefore cannot be made to change
data through the API by a forged cross-site request (no CSRF exposure),
and nothing here needs the CSRF middleware.
"""

from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer

from parcours.accounts.models import ApiToken

# A token from ApiToken.issue is 43 characters; anything much longer is not one.
MAX_TOKEN_LENGTH = 256


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        user = ApiToken.objects.user_for(token)
        if user is None:
            return None
        # The token's owner is the user of this request, whoever the session
        # cookie (if any) belongs to.
        request.user = user
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        return user
