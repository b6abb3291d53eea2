"""Users, their memberships (user × project × role) and API tokens."""

import hashlib
import secrets
from binascii import unhexlify
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from parcours.access.terms import ROLE_LABELS, Role
from parcours.lib.fields import EncryptedTextField, RowKeyField


class User(AbstractUser):
    language = models.CharField(
        _("interface language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    # Raised to end every session of the user at once (sign-out, password reset,
    # deactivation): it is part of the hash each session carries.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password only (a password change ends the
        # other sessions); the epoch lets a sign-out end them too.
        return salted_hmac(
            "parcours.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


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
    def for_raw(self, raw: str) -> "ApiToken | None":
        """The token whose hash this is, whatever its state (the caller says why
        it is refused)."""
        return self.select_related("user").filter(key_hash=_hash_token(raw)).first()

    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token; only its hash is stored, so a database leak leaks no token."""

    # The last-use date is written at most this often (not once per request).
    LAST_USE_PRECISION = timedelta(minutes=1)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    read_only = models.BooleanField(_("read only"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def issue(
        cls, user: User, *, name: str = "", read_only: bool = False, days: int | None = None
    ) -> tuple["ApiToken", str]:
        days = min(days or settings.PARCOURS_API_TOKEN_DAYS, settings.PARCOURS_API_TOKEN_DAYS)
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_hash=_hash_token(raw),
            name=name,
            read_only=read_only,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= self.LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class RoleGrant(models.Model):
    """A request to give a role that reads clinical content: an administrator
    asks, a coordinator or medical referent of the project decides (never the
    grantee, never the requester). The membership exists only once approved."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    project = models.ForeignKey("org.Project", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=24, choices=RoleChoices.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default="pending")
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project", "role"],
                condition=models.Q(status="pending"),
                name="one_pending_grant_per_role",
            )
        ]


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


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """django-otp's TOTP device (same fields and verification), with the shared
    secret encrypted at rest and bound to its row: a copy of the database does
    not let anyone generate a user's codes. A django-otp device plugin
    (``Device`` subclass), so ``user_has_device``, ``otp_login`` and the OTP
    middleware find it like any other device."""

    NOT_PERSONAL_DATA_BECAUSE = "holds an authentication secret, encrypted"

    key = EncryptedTextField(default=default_key, help_text="A hex-encoded secret key.")
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)
    row_key = RowKeyField()

    class Meta(Device.Meta):
        verbose_name = "TOTP device"

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    # The algorithm is django-otp's own, not a copy: only where the key lives differs.
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings
