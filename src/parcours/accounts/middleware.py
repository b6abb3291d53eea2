from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from parcours.accounts import mfa

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
_SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    """French by default; a signed-in user's own choice; before sign-in, the
    language picked on the login page (cookie). The browser's
    Accept-Language is ignored on purpose: shared tablets often come set to
    a language the team does not work in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
        else:
            language = request.COOKIES.get(LANGUAGE_COOKIE, settings.LANGUAGE_CODE)
        if language not in _SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class TwoFactorMiddleware:
    """A session whose account needs a second factor and that was not verified
    with one (opened before two-factor was required, or before the user was
    given a role that opens records) is ended: the user signs in again, code
    included. The API authenticates with tokens only and is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith("/api/")
            and not _second_factor_in_order(request, user)
        ):
            logout(request)
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
        return self.get_response(request)


def _second_factor_in_order(request, user) -> bool:
    if mfa.mode() == "off" or user.is_verified():
        return True
    if mfa.required(user):
        return False
    if request.session.get(mfa.NOT_NEEDED):
        return True
    if mfa.enrolled(user):
        return False
    request.session[mfa.NOT_NEEDED] = True
    return True
