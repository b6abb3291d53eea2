"""Users, their memberships (user × project × role) and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import ROLE_LABELS, Role


class User(AbstractUser):
    language = models.CharField(
        _("interface language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


RoleChoices = models.TextChoices(
    "RoleChoices", [(r.value, (r.value, ROLE_LABELS[r])) for r in Role]
)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey("org.Project", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=RoleChoices.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project", "role"], name="one_role_once_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.project} · {self.get_role_display()}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def user_for(self, raw: str) -> User | None:
        """The active user owning a valid, unexpired token, else None."""
        token = (
            self.select_related("user")
            .filter(key_hash=_hash_token(raw), expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        return token.user


class ApiToken(models.Model):
    """A bearer token; only its hash is stored, so a database leak leaks no token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_hash=_hash_token(raw),
            expires_at=timezone.now() + timedelta(hours=settings.PARCOURS_API_TOKEN_HOURS),
        )
        return token, raw


class SignInFailure(models.Model):
    """A failed sign-in (page or API token), kept as a record and counted for
    the lockout (accounts.lockout). The name typed is kept lower-cased
    whether or not such an account exists; the password never is."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    channel = models.CharField(max_length=8)  # "web" or "api"
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["username", "-at"]),
            models.Index(fields=["address", "-at"]),
        ]
