"""The only way to write the directory and the referrals: checked,
versioned, audited. Nothing is half-written: every write is one transaction.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from parcours.access.records import record_scope
from parcours.access.scope import may_edit_directory
from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.network.choices import (
    DEFAULT_FOLLOW_UP_DAYS,
    REFERRAL_CATEGORIES,
    SKIPS_NEEDING_A_NOTE,
    TRANSITIONS,
    Eligibility,
    ReferralKind,
    ReferralStatus,
)
from parcours.network.hours import is_open_at
from parcours.network.models import Referral, Service
from parcours.network.referrals import (
    colleagues,
    may_update,
    referral_consent,
    referring_categories,
    shareable_categories,
)
from parcours.network.validation import FIELDS, clean_service

REASON_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = 255


class Stale(Exception):
    """Someone changed the row since the writer read it."""

    def __init__(self, row):
        super().__init__(f"{row._meta.label} {row.pk} is at version {row.version}")
        self.row = row


class NeedsConfirmation(Exception):
    """The referral may go, but the referrer is warned first (closed, not eligible)."""

    def __init__(self, warnings: list[str]):
        super().__init__("; ".join(warnings))
        self.warnings = warnings


# --- the directory -------------------------------------------------------------


def _check_editor(actor) -> None:
    if not may_edit_directory(actor):
        raise PermissionDenied(_("Your role does not keep the service directory."))


def service_save(*, actor, data: dict, service: Service | None = None, version: int = 0):
    """Add a directory entry, or change ``service`` (``version``: the one read)."""
    _check_editor(actor)
    values = clean_service(data)
    with transaction.atomic():
        if service is None:
            service = Service.objects.create(**values)
            audit.record(actor=actor, event=Event.SERVICE_CREATE, subject=service)
            return service
        service = Service.objects.select_for_update(of=("self",)).get(pk=service.pk)
        if service.version != version:
            raise Stale(service)
        before = {name: getattr(service, name) for name in FIELDS}
        changes = audit.diff(before, values)
        if "is_active" in data and bool(data["is_active"]) != service.is_active:
            changes["is_active"] = (service.is_active, bool(data["is_active"]))
            service.is_active = bool(data["is_active"])
        if not changes:
            return service
        for name, value in values.items():
            setattr(service, name, value)
        service.version += 1
        service.save()
        audit.record(actor=actor, event=Event.SERVICE_UPDATE, subject=service, changes=changes)
    return service


@dataclass
class ImportReport:
    """Row-level outcome of a directory import: every error, with its row."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def services_import(*, actor, rows: list[tuple[int, dict]]) -> ImportReport:
    """Import directory entries: ``rows`` are (row number, values); a value
    ``id`` updates that entry, else one is added. Any bad row: the report
    lists every error and nothing at all is saved."""
    _check_editor(actor)
    report = ImportReport()
    cleaned = []
    for number, data in rows:
        existing = None
        raw_id = str(data.get("id") or "").strip()
        if raw_id:
            existing = Service.objects.filter(pk=int(raw_id) if raw_id.isdigit() else 0).first()
            if existing is None:
                report.errors.append((number, "id", _("No directory entry has this id.")))
                continue
        try:
            cleaned.append((existing, clean_service(data)))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                report.errors.extend((number, name, m) for m in messages)
    if not rows:
        report.errors.append((0, "", _("The file holds no entry.")))
    if report.errors:
        return report
    with transaction.atomic():
        for existing, values in cleaned:
            if existing is None:
                service = Service.objects.create(**values)
                audit.record(
                    actor=actor, event=Event.SERVICE_CREATE, subject=service, extra={"import": True}
                )
                report.created += 1
                continue
            service = Service.objects.select_for_update(of=("self",)).get(pk=existing.pk)
            changes = audit.diff({n: getattr(service, n) for n in FIELDS}, values)
            if not changes:
                continue
            for name, value in values.items():
                setattr(service, name, value)
            service.version += 1
            service.save()
            audit.record(
                actor=actor,
                event=Event.SERVICE_UPDATE,
                subject=service,
                changes=changes,
                extra={"import": True},
            )
            report.updated += 1
    return report


# --- referrals -----------------------------------------------------------------


def _in_family(person) -> bool:
    from parcours.people.models import GroupMember

    return GroupMember.objects.filter(person=person, group__kind="family").exists()


def service_warnings(service: Service, person, moment: datetime) -> list[str]:
    """Why sending ``person`` to ``service`` at ``moment`` may not work (never a refusal)."""
    warnings = []
    local = timezone.localtime(moment)
    if not is_open_at(service.opening_hours, local):
        warnings.append(
            _("%(service)s is closed at that time (%(when)s).")
            % {
                "service": service.name,
                "when": formats.date_format(local, "l H:i"),
            }
        )
    eligible = service.eligibility or [Eligibility.EVERYONE]
    if Eligibility.EVERYONE not in eligible:
        age = person.age(local.date())
        matches = {
            Eligibility.MINORS: age is not None and age < 18,
            Eligibility.WOMEN: person.sex == "female",
            Eligibility.FAMILIES: _in_family(person),
        }
        if not any(matches.get(e, False) for e in eligible):
            labels = ", ".join(str(Eligibility(e).label).lower() for e in eligible)
            warnings.append(
                _("%(service)s receives %(who)s only: the person may not be eligible.")
                % {"service": service.name, "who": labels}
            )
    return warnings


def _category_label(value: str) -> str:
    try:
        return str(CATEGORY_LABELS[Category(value)])
    except ValueError:
        return value


def _user(value):
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value
    try:
        return get_user_model().objects.filter(pk=int(value), is_active=True).first()
    except (TypeError, ValueError):
        return None


def _service(value):
    if value in (None, ""):
        return None
    if isinstance(value, Service):
        return value
    try:
        return Service.objects.filter(pk=int(value), is_active=True).first()
    except (TypeError, ValueError):
        return None


def referral_send(
    *, actor, person, data: dict, confirm_warnings: bool = False, today: date | None = None
) -> Referral:
    """Refer ``person``. ``data``: kind, category (the referring discipline;
    optional when the actor has one), to_discipline / to_user (internal),
    service / organisation (external), categories (shared beyond identity),
    reason, follow_up_on, planned_for. An external referral needs the
    person's consent naming the receiving organisation, now. Warnings
    (closed, not eligible) raise NeedsConfirmation unless confirmed; once
    sent they stay on the referral."""
    today = today or timezone.localdate()
    disciplines = referring_categories(actor, person)
    if not disciplines:
        raise PermissionDenied(_("Your role does not refer persons."))
    errors: dict[str, list[str]] = {}
    category = str(data.get("category") or "")
    if not category and len(disciplines) == 1:
        category = next(iter(disciplines))
    if category not in disciplines:
        if category in {c.value for c in REFERRAL_CATEGORIES}:
            raise PermissionDenied(_("Your role does not refer from this discipline."))
        errors["category"] = [_("Choose the discipline you refer from.")]
        raise ValidationError(errors)
    project_id = disciplines[category][0]
    kind = str(data.get("kind") or "")
    reason = str(data.get("reason") or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the person is referred.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": REASON_MAX_LENGTH}]
    shared = list(dict.fromkeys(str(c) for c in (data.get("categories") or [])))
    values = {
        "to_discipline": "",
        "to_user": None,
        "service": None,
        "organisation": "",
        "consent": None,
    }
    warnings: list[str] = []
    planned_for = data.get("planned_for")
    if planned_for is not None and timezone.is_naive(planned_for):
        planned_for = timezone.make_aware(planned_for)
    if kind == ReferralKind.INTERNAL:
        to_discipline = str(data.get("to_discipline") or "")
        to_user = _user(data.get("to_user"))
        if to_discipline and to_discipline not in {c.value for c in REFERRAL_CATEGORIES}:
            errors["to_discipline"] = [_("Choose a discipline of the team.")]
        if data.get("to_user") not in (None, "") and (
            to_user is None
            or not colleagues(project_id).filter(user=to_user).exists()
            or to_user.pk == actor.pk
        ):
            errors["to_user"] = [_("Choose a colleague of the person's care team in the project.")]
        if not to_discipline and data.get("to_user") in (None, ""):
            errors["to_discipline"] = [_("Choose a discipline or a colleague.")]
        if data.get("service") or str(data.get("organisation") or "").strip():
            errors["service"] = [_("An internal referral goes to the team, not to a service.")]
        if shared:
            errors["categories"] = [
                _(
                    "An internal referral shares nothing beyond identity: the colleague reads "
                    "the record as their role allows."
                )
            ]
        values.update(to_discipline=to_discipline, to_user=to_user)
    elif kind == ReferralKind.EXTERNAL:
        service = _service(data.get("service"))
        organisation = str(data.get("organisation") or "").strip()
        if data.get("service") not in (None, "") and service is None:
            errors["service"] = [_("Unknown service: choose one of the directory.")]
        elif service is not None and organisation:
            errors["organisation"] = [
                _("Choose a service of the directory or write a name, not both.")
            ]
        elif service is None and not organisation:
            errors["service"] = [_("Choose a service of the directory or write the organisation.")]
        elif len(organisation) > 160:
            errors["organisation"] = [_("At most %(n)d characters.") % {"n": 160}]
        if data.get("to_discipline") or data.get("to_user"):
            errors["to_discipline"] = [
                _("An external referral goes to a service, not to the team.")
            ]
        allowed = {c.value for c in shareable_categories(actor, person)}
        refused = [c for c in shared if c not in allowed]
        if refused:
            labels = ", ".join(_category_label(c) for c in refused)
            errors["categories"] = [
                _("You may share only what you see yourself: %(categories)s refused.")
                % {"categories": labels}
            ]
        name = service.name if service is not None else organisation
        if name and not errors.get("service") and not errors.get("organisation"):
            consent = referral_consent(person, name)
            if consent is None:
                errors["consent"] = [
                    _(
                        "Missing consent: the person has not consented to a referral to "
                        "“%(organisation)s”. Record their consent to external referral "
                        "naming this organisation first."
                    )
                    % {"organisation": name}
                ]
            values["consent"] = consent
        if service is not None:
            warnings = service_warnings(service, person, planned_for or timezone.now())
        values.update(service=service, organisation=name or "")
    else:
        errors["kind"] = [_("A referral is internal or external.")]
    follow_up_on = data.get("follow_up_on") or today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if not isinstance(follow_up_on, date):
        errors["follow_up_on"] = [_("Write the date as YYYY-MM-DD.")]
    elif not today <= follow_up_on <= today + timedelta(days=366):
        errors["follow_up_on"] = [_("Choose a follow-up date within the coming year.")]
    if errors:
        raise ValidationError(errors)
    if warnings and not confirm_warnings:
        raise NeedsConfirmation(warnings)
    with transaction.atomic():
        referral = Referral.objects.create(
            person=person,
            project_id=project_id,
            category=category,
            kind=kind,
            reason=reason,
            shared_categories=shared if kind == ReferralKind.EXTERNAL else [],
            planned_for=planned_for,
            warnings=warnings,
            sent_on=today,
            follow_up_on=follow_up_on,
            owner=actor,
            **values,
        )
        audit.record(
            actor=actor,
            event=Event.REFERRAL_SEND,
            subject=referral,
            project=referral.project,
            extra={
                "person": person.pk,
                "kind": kind,
                "service": referral.service_id,
                "to_user": referral.to_user_id,
                "to_discipline": referral.to_discipline,
                "shared": referral.shared_categories,
                "consent": referral.consent_id,
                "warnings": warnings,
            },
        )
    return referral


STATUS_DATE_FIELD = {
    ReferralStatus.ACCEPTED: "accepted_on",
    ReferralStatus.DONE: "done_on",
    ReferralStatus.REFUSED: "refused_on",
    ReferralStatus.LOST: "lost_on",
}


def referral_update(
    *,
    actor,
    referral_id: int,
    version: int,
    status: str = "",
    on: date | None = None,
    note: str = "",
    follow_up_on: date | None = None,
    today: date | None = None,
) -> Referral:
    """Move a referral along its lifecycle (sent → accepted → done, or refused,
    or lost to follow-up), each with its date; done straight from sent only
    with a note. ``follow_up_on`` alone reschedules the follow-up.
    ``version``: the one the writer read; another raises Stale."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=referral_id)
        )
        if not may_update(actor, referral, record_scope(actor, referral.person)):
            raise PermissionDenied(_("You may not change this referral."))
        if referral.version != version:
            raise Stale(referral)
        errors: dict[str, list[str]] = {}
        changes = {}
        if len(note) > NOTE_MAX_LENGTH:
            errors["note"] = [_("At most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]
        if status and status != referral.status:
            current = ReferralStatus(referral.status)
            if status not in ReferralStatus.values:
                errors["status"] = [_("Unknown status.")]
            elif status not in TRANSITIONS[current]:
                errors["status"] = [
                    _("A referral that is “%(current)s” cannot become “%(new)s”.")
                    % {"current": current.label, "new": ReferralStatus(status).label}
                ]
            elif (current, status) in SKIPS_NEEDING_A_NOTE and not note:
                errors["note"] = [_("Done before it was accepted: say what happened in a note.")]
            on = on or today
            if on > today:
                errors["on"] = [_("The date cannot be in the future.")]
            elif on < referral.sent_on:
                errors["on"] = [_("The date cannot be before the referral was sent.")]
            if not errors:
                changes["status"] = (referral.status, status)
                referral.status = status
                setattr(referral, STATUS_DATE_FIELD[ReferralStatus(status)], on)
                changes[STATUS_DATE_FIELD[ReferralStatus(status)]] = (None, on)
        elif status and status == referral.status:
            errors["status"] = [_("The referral already has this status.")]
        if follow_up_on is not None and follow_up_on != referral.follow_up_on:
            if follow_up_on < referral.sent_on or follow_up_on > today + timedelta(days=366):
                errors["follow_up_on"] = [
                    _("Choose a follow-up date between the sending and a year from now.")
                ]
            else:
                changes["follow_up_on"] = (referral.follow_up_on, follow_up_on)
                referral.follow_up_on = follow_up_on
        if errors:
            raise ValidationError(errors)
        if not changes and not note:
            raise ValidationError({"status": [_("Nothing to change.")]})
        if note:
            changes["status_note"] = (referral.status_note, note)
            referral.status_note = note
        referral.version += 1
        referral.save()
        audit.record(
            actor=actor,
            event=Event.REFERRAL_STATUS,
            subject=referral,
            project=referral.project,
            changes=changes,
            extra={"person": referral.person_id},
        )
    return referral
