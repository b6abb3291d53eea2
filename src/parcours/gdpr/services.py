"""Writes of the data-protection toolkit, each access-checked and audited.

Anonymisation (retention or erasure) removes the identity and every free
text, and keeps what the indicators count (sex, nationality, month of
birth, flags, encounters with their coded fields), under a stable
pseudonym: aggregates do not change.
"""

from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import erasure_projects, subject_access_projects
from parcours.access.scope import is_configuration_admin, person_projects
from parcours.audit import integrity
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.audit.models import AccessLog, AuditEvent
from parcours.care.choices import DISCIPLINE_CATEGORY
from parcours.care.models import Encounter
from parcours.gdpr.models import (
    Anonymisation,
    ErasureRequest,
    LegalHold,
    RetentionRule,
    RetentionRun,
    SubjectAccessRequest,
)
from parcours.gdpr.pseudonyms import pseudonym
from parcours.people.models import Alias, DatePrecision, NameKey, Person
from parcours.people.names import person_name_keys

# Defaults: social support 2 years after the last contact (CNIL, social
# support); medical records 20 years after the last stay (Code de la santé
# publique, R1112-7); access logs 12 months; audit trail 6 years.
DEFAULT_DAYS = {
    RetentionRule.Key.SOCIAL: 2 * 365,
    RetentionRule.Key.MEDICAL: 20 * 365 + 5,
    RetentionRule.Key.ACCESS_LOG: 365,
    RetentionRule.Key.AUDIT: 6 * 365 + 1,
}
MEDICAL_CATEGORIES = {"medical", "mental_health", "sv_incident"}
# Short free texts (CharField) removed on anonymisation; every TextField goes too.
FREE_TEXT_CHARS = {
    "contact_notes",
    "exit_note",
    "note",
    "reason",
    "outcome",
    "closure_reason",
    "violence_place",
    "scope",
    "reaction",
    "name_original",
}


def rule_days() -> dict[str, int]:
    days = dict(DEFAULT_DAYS)
    days.update(dict(RetentionRule.objects.values_list("key", "days")))
    return {str(k): v for k, v in days.items()}


def held(person) -> LegalHold | None:
    return LegalHold.objects.filter(person=person, lifted_at__isnull=True).first()


def _check_project(actor, person, allowed: set[int], message: str) -> int:
    projects = person_projects(person) & allowed
    if not projects:
        raise PermissionDenied(message)
    return min(projects)


# --- subject access -----------------------------------------------------------


@transaction.atomic
def access_request_record(*, actor, person, data: dict) -> SubjectAccessRequest:
    project_id = _check_project(
        actor,
        person,
        subject_access_projects(actor),
        _("You may not handle this person's requests."),
    )
    errors = {}
    if not data.get("identity_checked"):
        errors["identity_checked"] = [_("Check the requester's identity before any export.")]
    if not (data.get("identity_check") or "").strip():
        errors["identity_check"] = [_("Say how the identity was checked.")]
    received = data.get("received_on")
    if not isinstance(received, date) or received > timezone.localdate():
        errors["received_on"] = [_("Enter the date the request was received (not in the future).")]
    if errors:
        raise ValidationError(errors)
    request = SubjectAccessRequest.objects.create(
        person=person,
        project_id=project_id,
        received_on=received,
        channel=data["channel"],
        identity_checked=True,
        identity_check=data["identity_check"].strip()[:255],
        language=data.get("language") or "fr",
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        event=Event.GDPR_ACCESS_REQUEST,
        subject=person,
        extra={"request": request.pk, "channel": request.channel},
    )
    return request


# --- legal hold and erasure ------------------------------------------------------


@transaction.atomic
def legal_hold_set(*, actor, person, reason: str) -> LegalHold:
    _check_project(
        actor, person, erasure_projects(actor), _("You may not set a legal hold on this person.")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Say why the data must be kept (e.g. the procedure).")]}
        )
    hold = held(person) or LegalHold(person=person, set_by=actor)
    hold.reason = reason[:255]
    hold.save()
    audit.record(actor=actor, event=Event.GDPR_LEGAL_HOLD, subject=person, extra={"hold": True})
    return hold


@transaction.atomic
def legal_hold_lift(*, actor, person) -> None:
    _check_project(
        actor, person, erasure_projects(actor), _("You may not lift a legal hold on this person.")
    )
    LegalHold.objects.filter(person=person, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor
    )
    audit.record(actor=actor, event=Event.GDPR_LEGAL_HOLD, subject=person, extra={"hold": False})


@transaction.atomic
def erasure_request(*, actor, person, data: dict) -> ErasureRequest:
    """Record the request and erase (anonymise), or refuse under a legal hold
    (the refusal and its reason are recorded too)."""
    project_id = _check_project(
        actor, person, erasure_projects(actor), _("You may not erase this person's data.")
    )
    errors = {}
    if data.get("legal_basis") not in ErasureRequest.Basis.values:
        errors["legal_basis"] = [_("Choose the legal basis of the erasure.")]
    received = data.get("received_on")
    if not isinstance(received, date) or received > timezone.localdate():
        errors["received_on"] = [_("Enter the date the request was received (not in the future).")]
    if errors:
        raise ValidationError(errors)
    person = Person.objects.select_for_update(no_key=True).get(pk=person.pk)
    request = ErasureRequest(
        person=person,
        project_id=project_id,
        received_on=received,
        channel=data.get("channel") or "in_person",
        legal_basis=data["legal_basis"],
        recorded_by=actor,
    )
    hold = held(person)
    if hold is not None:
        request.status = ErasureRequest.Status.REFUSED
        request.refusal_reason = (_("Legal hold: %(reason)s") % {"reason": hold.reason})[:255]
    elif Anonymisation.objects.filter(person=person).exists():
        request.status = ErasureRequest.Status.REFUSED
        request.refusal_reason = _("Already anonymised.")
    else:
        request.status = ErasureRequest.Status.DONE
    request.save()
    audit.record(
        actor=actor,
        event=Event.GDPR_ERASURE_REQUEST,
        subject=person,
        extra={"request": request.pk, "basis": request.legal_basis, "status": request.status},
    )
    if request.status == ErasureRequest.Status.DONE:
        anonymise(person, cause=Anonymisation.Cause.ERASURE, actor=actor)
    return request


# --- anonymisation -----------------------------------------------------------------


def _person_models():
    """Models of every installed app holding rows about a person (or an encounter)."""
    for model in apps.get_models():
        if not model.__module__.startswith("parcours.") or model.__module__.startswith(
            "parcours.audit"
        ):
            continue
        if getattr(model, "APPEND_ONLY", False):
            continue  # a ledger: never rewritten (see the model)
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if (
                field.many_to_one
                and related in (Person, Encounter)
                or field.one_to_one
                and related is Encounter
                and field.concrete
            ):
                yield model, field.name


def _blank_free_text(model, link: str, ids) -> None:
    blank = {}
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.TextField)
            and field.blank
            or isinstance(field, models.CharField)
            and field.name in FREE_TEXT_CHARS
            and field.blank
        ):
            blank[field.name] = ""
    if blank:
        rows = model.objects.filter(**{f"{link}__in": ids})
        if "version" in {f.name for f in model._meta.concrete_fields}:
            rows.update(version=models.F("version") + 1, **blank)
        else:
            rows.update(**blank)


def anonymise(person: Person, *, cause: str, actor=None) -> Anonymisation:
    """Identity removed, free text removed, pseudonym kept; what indicators count stays."""
    code = "ANON-" + pseudonym(person.pk, length=10)
    Person.objects.filter(pk=person.pk).update(
        given_name=code,
        family_name="",
        name_original="",
        phone="",
        contact_notes="",
        exit_note="",
        birth_date=person.birth_date.replace(day=1) if person.birth_date else None,
        birth_date_precision=DatePrecision.ESTIMATED,
        assessed_on=None,
        version=models.F("version") + 1,
    )
    Alias.objects.filter(person=person).delete()
    NameKey.objects.filter(person=person).delete()
    NameKey.objects.bulk_create(
        [NameKey(person=person, key=k) for k in sorted(person_name_keys(code, "", ""))]
    )
    encounter_ids = list(Encounter.objects.filter(person=person).values_list("pk", flat=True))
    for model, link in _person_models():
        if model is Person:
            continue
        related = model._meta.get_field(link).related_model
        ids = [person.pk] if related is Person else encounter_ids
        if not ids:
            continue
        if model._meta.label == "customfields.CustomValue":
            # A project's custom fields: free text goes, the coded values that
            # indicators count (choices, yes/no, numbers, dates) stay.
            model.objects.filter(
                **{f"{link}__in": ids}, field__type__in=("text", "long_text")
            ).delete()
            continue
        if model._meta.label in ("imports.ImportedField", "imports.ImportedNote"):
            # Mano's custom fields and comments are free text about the person.
            model.objects.filter(**{f"{link}__in": ids}).delete()
            continue
        _blank_free_text(model, link, ids)
    record = Anonymisation.objects.create(person=person, pseudonym=code, cause=cause, by=actor)
    audit.record(
        actor=actor,
        event=Event.GDPR_ERASURE if cause == Anonymisation.Cause.ERASURE else Event.GDPR_RETENTION,
        subject=person,
        extra={"pseudonym": code},
    )
    return record


# --- retention ----------------------------------------------------------------------


@transaction.atomic
def retention_rule_set(*, actor, key: str, days: int) -> RetentionRule:
    if not is_configuration_admin(actor):
        raise PermissionDenied(_("Only the configuration administrators set retention rules."))
    if key not in RetentionRule.Key.values:
        raise ValidationError({"key": [_("Unknown retention rule.")]})
    if not isinstance(days, int) or not 30 <= days <= 36500:
        raise ValidationError({"days": [_("Enter a number of days between 30 and 36,500.")]})
    rule, _created = RetentionRule.objects.get_or_create(key=key, defaults={"days": days})
    before = rule.days if not _created else None
    rule.days = days
    rule.updated_by = actor
    rule.save()
    audit.record(
        actor=actor, event=Event.GDPR_RETENTION_RULE, subject=rule, changes={"days": (before, days)}
    )
    return rule


def due_persons(today: date) -> list[tuple[Person, date, date, bool]]:
    """(person, last contact, deadline) of every person whose retention is over
    on ``today``: the last contact plus the longest rule of the categories
    they have data in (social, or medical when they have medical encounters).
    Due on the deadline day itself."""
    days = rule_days()
    done = set(Anonymisation.objects.values_list("person_id", flat=True))
    holds = set(
        LegalHold.objects.filter(lifted_at__isnull=True).values_list("person_id", flat=True)
    )
    last = dict(
        Encounter.objects.filter(person__isnull=False)
        .values("person_id")
        .annotate(last=Max("occurred_at"))
        .values_list("person_id", "last")
    )
    medical = set(
        Encounter.objects.filter(
            discipline__in=[d for d, c in DISCIPLINE_CATEGORY.items() if c in MEDICAL_CATEGORIES]
        ).values_list("person_id", flat=True)
    )
    due = []
    oldest_deadline = today - timedelta(days=min(days["social"], days["medical"]))
    candidates = Person.objects.current().filter(created_at__date__lte=oldest_deadline)
    for person in candidates.iterator(chunk_size=2000):
        if person.pk in done:
            continue
        moment = last.get(person.pk) or person.created_at
        contact = timezone.localtime(moment).date()
        contact = (
            max(contact, timezone.localtime(person.updated_at).date())
            if person.pk not in last
            else contact
        )
        keep = days["social"]
        if person.pk in medical:
            keep = max(keep, days["medical"])
        deadline = contact + timedelta(days=keep)
        if today >= deadline:
            due.append((person, contact, deadline, person.pk in holds))
    return due


def retention_run(*, today: date | None = None, dry_run: bool = False) -> RetentionRun:
    """Apply the retention rules: anonymise the persons whose period is over
    (not those under a legal hold), delete access-log rows and audit events
    older than their rules. Writes and returns the report."""
    today = today or timezone.localdate()
    days = rule_days()
    report = {"today": today.isoformat(), "rules": days, "anonymised": [], "held": []}
    due = due_persons(today)
    for person, contact, deadline, is_held in due:
        entry = {
            "pseudonym": "ANON-" + pseudonym(person.pk, length=10),
            "last_contact": contact.isoformat(),
            "deadline": deadline.isoformat(),
        }
        if is_held:
            report["held"].append(entry)
            continue
        report["anonymised"].append(entry)
        if not dry_run:
            with transaction.atomic():
                anonymise(person, cause=Anonymisation.Cause.RETENTION)
    access_before = today - timedelta(days=days["access_log"])
    audit_before = today - timedelta(days=days["audit"])
    access_cutoff = _start_of(access_before)
    audit_cutoff = _start_of(audit_before)
    report["access_log_deleted"] = AccessLog.objects.filter(at__lt=access_cutoff).count()
    report["audit_deleted"] = AuditEvent.objects.filter(at__lt=audit_cutoff).count()
    if not dry_run:
        # The one path that removes rows of these append-only tables: a prefix
        # cut that keeps the hash chains verifiable (docs/audit.md).
        report["access_log_deleted"] = integrity.purge_access_log(access_cutoff)
        report["audit_deleted"] = integrity.purge_audit_events(audit_cutoff)
    return RetentionRun.objects.create(today=today, dry_run=dry_run, report=report)


def _start_of(day):
    """Midnight (local time) at the start of ``day``, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))
