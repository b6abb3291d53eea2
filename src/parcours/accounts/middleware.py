from django.conf import settings
from django.utils import translation

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
