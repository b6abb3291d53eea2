"""Lockout after repeated failed sign-ins, per account name and per address.

After ``PARCOURS_LOCKOUT_ATTEMPTS`` failures for one account name, or
``PARCOURS_LOCKOUT_ADDRESS_ATTEMPTS`` from one address, within
``PARCOURS_LOCKOUT_MINUTES``, sign-in (page and API token) is refused until
that many minutes have passed since the last failure, with the same message
whether the account exists or not, and whether the password would have been
right. A successful sign-in does not erase the failures (they are a record);
the count starts again after it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.accounts.models import SignInFailure


def locked_message(minutes: int) -> str:
    """The same words whether the account exists or not."""
    return _(
        "Too many failed attempts. Sign-in is paused for %(minutes)s minutes; "
        "ask your coordinator if you have forgotten your password."
    ) % {"minutes": minutes}


def client_address(request) -> str | None:
    """The client's address as the server saw it (REMOTE_ADDR; a reverse
    proxy sets it through its own configuration, never from a header the
    client could forge)."""
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def _window():
    return timezone.now() - timedelta(minutes=settings.PARCOURS_LOCKOUT_MINUTES)


def minutes_locked(username: str, address: str | None) -> int:
    """0 when sign-in may be tried; otherwise the minutes to wait."""
    since = _window()
    name = (username or "").strip().lower()
    by_name = SignInFailure.objects.filter(username=name)
    # A successful sign-in starts the account's count again.
    last_login = (
        get_user_model()
        .objects.filter(username__iexact=name)
        .values_list("last_login", flat=True)
        .first()
    )
    if last_login:
        by_name = by_name.filter(at__gt=last_login)
    checks = [(by_name, settings.PARCOURS_LOCKOUT_ATTEMPTS)]
    if address:
        checks.append(
            (
                SignInFailure.objects.filter(address=address),
                settings.PARCOURS_LOCKOUT_ADDRESS_ATTEMPTS,
            )
        )
    wait = 0
    for failures, limit in checks:
        recent = failures.filter(at__gte=since).order_by("-at").values_list("at", flat=True)
        recent = list(recent[:limit])
        if len(recent) >= limit:
            until = recent[0] + timedelta(minutes=settings.PARCOURS_LOCKOUT_MINUTES)
            wait = max(wait, int((until - timezone.now()).total_seconds() // 60) + 1)
    return wait


def record_failure(username: str, address: str | None, channel: str) -> None:
    SignInFailure.objects.create(
        username=(username or "").strip().lower()[:150], address=address, channel=channel
    )


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    channel = "api" if request is not None and request.path.startswith("/api/") else "web"
    record_failure(credentials.get("username", ""), client_address(request), channel)
