"""Accounts: users and their roles (memberships), changed by their owners
(interface language) and by configuration administrators.

Users are never deleted (audit rows and access logs reference them): they
are deactivated and reactivated. An administrator never sets or knows a
user's password: creating an account or resetting its password gives a
one-time link with which the user chooses it. Deactivation, a reset and a
sign-out end the user's sessions everywhere; deactivation and a reset
revoke the user's API tokens.

The system must always keep at least one active administrator: revoking
the last active ``admin`` membership, or deactivating its holder, is
refused with a clear message.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from parcours.access.scope import configuration_roles, grant_needs_approval
from parcours.access.terms import Role
from parcours.accounts import grants
from parcours.accounts.models import ApiToken, Membership, RoleGrant, User
from parcours.audit import services as audit
from parcours.audit.events import Event

USER_FIELDS = ("username", "first_name", "last_name", "email", "language")


class LastAdminError(ValidationError):
    """The change would leave the system without an active administrator."""


def user_values(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "is_active": user.is_active,
    }


def _validate_user(user: User) -> None:
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        errors = {k: list(v) for k, v in error.message_dict.items()}
    if (
        user.username
        and User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists()
    ):
        errors.setdefault("username", []).append(_("This username is already taken."))
    if errors:
        raise ValidationError(errors)


def _prepare(user: User, data: dict[str, Any]) -> None:
    unknown = set(data) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(user, field, value.strip() if isinstance(value, str) else value)
    if user.language not in dict(settings.LANGUAGES):
        user.language = settings.LANGUAGE_CODE


@transaction.atomic
def user_create(
    *, actor, data: dict[str, Any], password: str | None = None
) -> tuple[User, str | None]:
    """Create an active user; returns (user, the path of a one-time link or None).

    Without ``password`` (the configuration pages) the account has no usable
    password: the user follows the one-time link to choose one, and the
    administrator who created the account never knows it. ``createadmin``
    gives the first administrator's password.
    """
    user = User(is_active=True)
    _prepare(user, data)
    _validate_user(user)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(
        actor=actor,
        event=Event.USER_CREATE,
        subject=user,
        changes=audit.diff({}, {k: v for k, v in user_values(user).items() if v != ""}),
        extra={"password": "chosen" if password else "link"},
    )
    return user, None if password else password_link(user)


@transaction.atomic
def user_update(*, actor, user: User, data: dict[str, Any]) -> User:
    """Names, e-mail, interface language (and username) of a user."""
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    before = user_values(user)
    _prepare(user, data)
    _validate_user(user)
    user.save()
    changes = audit.diff(before, user_values(user))
    if changes:
        audit.record(actor=actor, event=Event.USER_UPDATE, subject=user, changes=changes)
    return user


def user_end_sessions(*, user: User) -> None:
    """End every session of the user, on every device (the epoch is part of
    each session's hash)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


def tokens_revoke_all(*, actor, user: User, reason: str) -> int:
    """Revoke every usable API token of the user; returns how many."""
    ids = list(ApiToken.objects.usable().filter(user=user).values_list("pk", flat=True))
    if ids:
        ApiToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
        audit.record(
            actor=actor,
            event=Event.API_TOKEN_REVOKE,
            subject=user,
            extra={"tokens": ids, "reason": reason},
        )
    return len(ids)


@transaction.atomic
def user_reset_password(*, actor, user: User) -> str:
    """Start a reset by an administrator: the password stops working, every
    session and API token of the user ends, and a one-time link (returned as a
    path, to show or send to the user) lets the user choose a new password.
    The administrator never sets or knows it."""
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    user_end_sessions(user=user)
    tokens_revoke_all(actor=actor, user=user, reason="password_reset")
    audit.record(actor=actor, event=Event.USER_PASSWORD_RESET, subject=user)
    return password_link(user)


def password_link(user: User) -> str:
    """The path of the one-time link: Django's token generator binds it to the
    current password hash and last sign-in, so it stops working once used, and
    expires after PASSWORD_RESET_TIMEOUT."""
    return reverse(
        "accounts:password_choose",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def user_choose_password(*, user: User, password: str) -> User:
    """The user followed the link and chose a password (validated by the caller's form)."""
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=user, event=Event.USER_PASSWORD_CHOSEN, subject=user)
    return user


def _active_admin_memberships() -> list[Membership]:
    """Admin memberships of active users, locked until the transaction ends."""
    return list(
        Membership.objects.select_for_update().filter(
            role__in=configuration_roles(), user__is_active=True
        )
    )


def _last_admin_message() -> str:
    return _(
        "This is the last active administrator of the system. "
        "Give the administrator role to someone else first."
    )


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """The user can no longer sign in or use a token; their history stays."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if not user.is_active:
        return user
    admins = _active_admin_memberships()
    if any(m.user_id == user.pk for m in admins) and all(m.user_id == user.pk for m in admins):
        raise LastAdminError(_last_admin_message())
    user.is_active = False
    user.save(update_fields=["is_active"])
    user_end_sessions(user=user)
    # Revoked, not merely refused while inactive: a reactivation gives no token back.
    tokens_revoke_all(actor=actor, user=user, reason="deactivated")
    audit.record(
        actor=actor, event=Event.USER_DEACTIVATE, subject=user, changes={"is_active": (True, False)}
    )
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor, event=Event.USER_REACTIVATE, subject=user, changes={"is_active": (False, True)}
    )
    return user


@transaction.atomic
def user_set_language(*, actor, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": ["unknown language"]})
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            actor=actor,
            event=Event.USER_LANGUAGE,
            subject=user,
            changes={"language": (before, language)},
        )
    return user


@transaction.atomic
def membership_grant(*, actor, user: User, project, role: str) -> Membership | RoleGrant:
    """Give ``user`` the ``role`` in ``project``. A role that reads clinical
    content is only requested here (a ``RoleGrant`` waiting for a coordinator or
    medical referent of the project: accounts.grants); nobody gives a role to
    themself."""
    try:
        role = Role(role).value
    except ValueError:
        raise ValidationError({"role": [_("Unknown role.")]}) from None
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            {"role": [_("Nobody gives a role to themself: ask another administrator.")]}
        )
    if Membership.objects.filter(user=user, project=project, role=role).exists():
        raise ValidationError({"role": [_("This user already has this role in this project.")]})
    if grant_needs_approval(role):
        return grants.grant_request(actor=actor, user=user, project=project, role=role)
    return grants.membership_add(actor=actor, user=user, project=project, role=role)


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    """Remove a role, refusing to remove the last active admin."""
    if membership.role in configuration_roles():
        admins = _active_admin_memberships()
        if membership.pk in {m.pk for m in admins} and len(admins) == 1:
            raise LastAdminError(_last_admin_message())
    project, user_id, role = membership.project, membership.user_id, membership.role
    audit.record(
        actor=actor,
        event=Event.MEMBERSHIP_REVOKE,
        subject=membership,
        project=project,
        extra={"user": user_id, "role": role},
    )
    membership.delete()
