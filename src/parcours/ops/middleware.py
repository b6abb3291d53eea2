"""Response headers and session limits for a shared tablet and a hostile
network.

- ``Cache-Control: no-store`` on every page and API answer (a person's
  record must not stay in a shared tablet's cache or go back with the
  browser's Back button after sign-out); static files are served before this
  middleware and keep their long cache.
- ``Permissions-Policy`` switches off what the app never uses.
- Sessions end after ``PARCOURS_SESSION_IDLE_SECONDS`` without a request
  (Django's cookie age) and in any case ``PARCOURS_SESSION_MAX_SECONDS``
  after sign-in (checked here). The idle clock is renewed by saving the
  session, at most once every ``PARCOURS_SESSION_RENEW_SECONDS`` (60): a
  write and a commit on every page view cost more than a page under load,
  and the idle limit stays within a minute of its setting.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
SIGNED_IN_AT = "parcours_signed_in_at"
RENEWED_AT = "parcours_renewed_at"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response or "no-cache" in response["Cache-Control"]:
            response["Cache-Control"] = "no-store, max-age=0"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SessionLifetimeMiddleware:
    """Ends a session this long after sign-in, however active it was, and
    renews its idle limit (saves it) when the last renewal is a minute old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - started > settings.PARCOURS_SESSION_MAX_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if now - request.session.get(RENEWED_AT, 0) >= settings.PARCOURS_SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT] = now  # modified: saved, cookie sent again
        return self.get_response(request)
