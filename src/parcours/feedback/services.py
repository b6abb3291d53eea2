"""The only way to write feedback items: checked, versioned, audited.

Public submissions (page and API) are checked here once for both: size,
readable text, a known open project and site, the rate limit per address,
the honeypot. Nothing is saved when a check fails.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.feedback import public_texts, rules
from parcours.feedback.models import (
    CONTACT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    STAFF_CHANNELS,
    STATUS_ORDER,
    Channel,
    FeedbackCategory,
    FeedbackItem,
    FeedbackSettings,
    FeedbackStep,
    ResponseMethod,
    Status,
    SubmissionThrottle,
    is_sensitive_category,
)
from parcours.feedback.references import new_reference
from parcours.feedback.validation import clean_text, is_readable
from parcours.lib.languages import language_name
from parcours.org.models import Project, Site
from parcours.org.models import Status as ProjectStatus

# Public submissions per address and hour (page and API together).
RATE_LIMIT = 10
RATE_WINDOW = timedelta(hours=1)
RESPONSE_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 1000
MIN_SKIP_NOTE = 10


class RateLimited(Exception):
    pass


class StaleItem(Exception):
    def __init__(self, item):
        super().__init__(f"feedback item {item.pk} is at version {item.version}")
        self.item = item


# --- deadlines ------------------------------------------------------------------


def deadlines(project) -> FeedbackSettings:
    """The project's deadlines (7 and 30 days when never set)."""
    found = FeedbackSettings.objects.filter(project=project).first()
    return found or FeedbackSettings(project=project)


@transaction.atomic
def settings_save(*, actor, project, acknowledge_days, respond_days, version: int):
    if not rules.may_configure(actor, project.pk):
        raise PermissionDenied(_("You do not set the feedback deadlines of this project."))
    errors = {}
    values = {}
    for name, value in (("acknowledge_days", acknowledge_days), ("respond_days", respond_days)):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 1 <= number <= 365:
            errors[name] = [_("A number of days between 1 and 365.")]
        values[name] = number
    if not errors and values["acknowledge_days"] > values["respond_days"]:
        errors["respond_days"] = [_("The response cannot be due before the acknowledgement.")]
    if errors:
        raise ValidationError(errors)
    current = FeedbackSettings.objects.select_for_update(of=("self",)).filter(project=project)
    current = current.first()
    if current is None:
        if version:
            raise ValidationError(_("These settings changed meanwhile: reload the page."))
        current = FeedbackSettings(project=project, version=0)
    elif current.version != version:
        raise StaleItem(current)
    before = {"acknowledge_days": current.acknowledge_days, "respond_days": current.respond_days}
    current.acknowledge_days = values["acknowledge_days"]
    current.respond_days = values["respond_days"]
    current.version += 1
    current.save()
    audit.record(
        actor=actor,
        event=Event.FEEDBACK_SETTINGS,
        subject=current,
        project=project,
        changes=audit.diff(before, values),
    )
    return current


# --- public submissions -------------------------------------------------------------


def address_key(address: str) -> str:
    """A keyed hash of the sender's address: enough to count, never the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "?").encode(), hashlib.sha256).hexdigest()


def public_project(code) -> Project | None:
    """The open project of a public address, or None (unknown, closed, junk)."""
    if not isinstance(code, str) or not 2 <= len(code) <= 6 or not code.isalpha():
        return None
    return Project.objects.filter(code=code.upper(), status=ProjectStatus.OPEN).first()


def public_site(project, site_id) -> Site | None:
    if site_id in (None, ""):
        return None
    try:
        number = int(site_id)
    except (TypeError, ValueError):
        return None
    if not 0 < number < 2**63:
        return None
    return Site.objects.filter(pk=number, project=project, is_active=True).first()


def _check_message(message, errors: dict, *, key="message") -> str:
    text = clean_text(message)
    if not text:
        errors[key] = [public_texts.text("error_empty")]
    elif not is_readable(text):
        errors[key] = [public_texts.text("error_unreadable")]
    elif len(text) > MESSAGE_MAX_LENGTH:
        errors[key] = [public_texts.text("error_too_long", max=MESSAGE_MAX_LENGTH, count=len(text))]
    return text


def _check_contact(contact, errors: dict) -> str:
    text = clean_text(contact)
    if text and (len(text) > CONTACT_MAX_LENGTH or not is_readable(text)):
        errors["contact"] = [public_texts.text("error_contact", max=CONTACT_MAX_LENGTH)]
    return text


def _due(project, received_at: datetime) -> tuple:
    rule = deadlines(project)
    day = timezone.localtime(received_at).date()
    return day + timedelta(days=rule.acknowledge_days), day + timedelta(days=rule.respond_days)


def _create(**fields) -> FeedbackItem:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return FeedbackItem.objects.create(reference=new_reference(), **fields)
        except IntegrityError:  # the same random reference twice: draw again
            continue
    raise RuntimeError("no free feedback reference")  # pragma: no cover


def check_rate(address: str, now=None) -> str:
    """Count this attempt from ``address``; RateLimited past the limit."""
    now = now or timezone.now()
    key = address_key(address)
    SubmissionThrottle.objects.filter(at__lt=now - RATE_WINDOW).delete()
    if SubmissionThrottle.objects.filter(address=key, at__gte=now - RATE_WINDOW).count() >= (
        RATE_LIMIT
    ):
        raise RateLimited
    SubmissionThrottle.objects.create(address=key, at=now)
    return key


def public_submit(
    *,
    project,
    site=None,
    language: str,
    message,
    topic="",
    contact="",
    honeypot="",
    address: str,
    now=None,
) -> FeedbackItem:
    """Receive a message from the public page or the public API route.

    ``project``: an open Project (the caller resolved the code); every text
    is checked here. Raises RateLimited, ValidationError (field errors in
    the page's language) and saves nothing then."""
    now = now or timezone.now()
    check_rate(address, now)
    errors: dict[str, list[str]] = {}
    if honeypot:
        raise ValidationError({"__all__": [public_texts.text("error_not_sent")]})
    text = _check_message(message, errors)
    contact = _check_contact(contact, errors)
    topic = topic or ""
    if not isinstance(topic, str) or topic not in ["", *FeedbackCategory.values]:
        errors["topic"] = [public_texts.text("error_topic")]
    if language not in public_texts.PUBLIC_LANGUAGES:
        language = public_texts.DEFAULT_LANGUAGE
    if errors:
        raise ValidationError(errors)
    acknowledge_due, respond_due = _due(project, now)
    with transaction.atomic():
        item = _create(
            project=project,
            site=site,
            channel=Channel.WEB,
            language=language,
            category=topic,
            topic_given=topic,
            sensitive=is_sensitive_category(topic),
            message=text,
            contact=contact,
            received_at=now,
            acknowledge_due=acknowledge_due,
            respond_due=respond_due,
        )
        audit.record(
            actor=None,
            event=Event.FEEDBACK_SUBMIT,
            subject=item,
            project=project,
            extra={"channel": Channel.WEB, "site": site, "language": language},
        )
    return item


# --- staff -------------------------------------------------------------------------


def _check_staff_fields(data: dict, errors: dict, project) -> dict:
    category = data.get("category") or ""
    if category not in ["", *FeedbackCategory.values]:
        errors["category"] = [_("Choose a category from the list.")]
    language = clean_text(data.get("language"))
    if language and (len(language) > 3 or language_name(language) is None):
        errors["language"] = [_("Unknown language code (ISO 639).")]
    site = data.get("site")
    if site is not None and (site.project_id != project.pk):
        errors["site"] = [_("Choose a site of this project.")]
    return {"category": category, "language": language, "site": site}


@transaction.atomic
def feedback_record(*, actor, project, data: dict, now=None) -> FeedbackItem:
    """Staff record what someone said through another channel (in person,
    phone, box, community meeting, partner)."""
    if project.pk not in rules.recording_projects(actor):
        raise PermissionDenied(_("You do not record feedback in this project."))
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    channel = data.get("channel")
    if channel not in STAFF_CHANNELS:
        errors["channel"] = [_("Choose how the feedback was received.")]
    fields = _check_staff_fields(data, errors, project)
    text = _check_message(data.get("message"), errors)
    contact = _check_contact(data.get("contact"), errors)
    received_at = data.get("received_at") or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > now + timedelta(minutes=5):
        errors["received_at"] = [_("Feedback cannot be received in the future.")]
    elif received_at < now - timedelta(days=366):
        errors["received_at"] = [_("Feedback older than a year is not recorded here.")]
    if errors:
        raise ValidationError(errors)
    raised = bool(data.get("sensitivity_raised"))
    acknowledge_due, respond_due = _due(project, received_at)
    item = _create(
        project=project,
        channel=channel,
        message=text,
        contact=contact,
        sensitive=is_sensitive_category(fields["category"]) or raised,
        sensitivity_raised=raised,
        topic_given="",
        received_at=received_at,
        acknowledge_due=acknowledge_due,
        respond_due=respond_due,
        recorded_by=actor,
        **fields,
    )
    audit.record(
        actor=actor,
        event=Event.FEEDBACK_RECORD,
        subject=item,
        project=project,
        extra={"channel": channel, "category": item.category, "sensitive": item.sensitive},
    )
    return item


def _locked(item) -> FeedbackItem:
    return FeedbackItem.objects.select_for_update(of=("self",)).get(pk=item.pk)


def _check_editable(actor, item, version) -> FeedbackItem:
    if not rules.may_edit(actor, item):
        raise PermissionDenied(_("You do not handle this item."))
    current = _locked(item)
    if not rules.may_edit(actor, current):  # its sensitivity changed meanwhile
        raise PermissionDenied(_("You do not handle this item."))
    if current.version != version:
        raise StaleItem(current)
    if current.is_closed:
        raise ValidationError(_("This item is closed: it can no longer be changed."))
    return current


@transaction.atomic
def feedback_update(*, actor, item, version: int, data: dict) -> FeedbackItem:
    """Classify, raise the sensitivity, assign the handler. Only a reader of
    sensitive items lowers a sensitivity staff raised."""
    current = _check_editable(actor, item, version)
    errors: dict[str, list[str]] = {}
    fields = _check_staff_fields(
        {"category": data.get("category", current.category), "language": current.language},
        errors,
        current.project,
    )
    raised = bool(data.get("sensitivity_raised", current.sensitivity_raised))
    if (
        current.sensitivity_raised
        and not raised
        and not rules.may_count_sensitive_in_detail(actor, current.project_id)
    ):
        errors["sensitivity_raised"] = [
            _("Only a safeguarding focal point lowers a sensitivity raised by staff.")
        ]
    handler = data.get("handler", current.handler)
    sensitive = is_sensitive_category(fields["category"]) or raised
    if handler is not None:
        allowed = rules.handler_candidates(current.project_id, sensitive).filter(user=handler)
        if not allowed.exists():
            errors["handler"] = [_("Choose someone who may handle this item.")]
    if errors:
        raise ValidationError(errors)
    before = {
        "category": current.category,
        "sensitive": current.sensitive,
        "sensitivity_raised": current.sensitivity_raised,
        "handler": current.handler_id,
    }
    after = {
        "category": fields["category"],
        "sensitive": sensitive,
        "sensitivity_raised": raised,
        "handler": getattr(handler, "pk", None),
    }
    changes = audit.diff(before, after)
    if not changes:
        return current
    current.category = fields["category"]
    current.sensitive = sensitive
    current.sensitivity_raised = raised
    current.handler = handler
    current.version += 1
    current.save()
    audit.record(
        actor=actor,
        event=Event.FEEDBACK_UPDATE,
        subject=current,
        project=current.project,
        changes=changes,
    )
    return current


@transaction.atomic
def feedback_move(
    *,
    actor,
    item,
    version: int,
    to_status: str,
    note="",
    response=None,
    response_method=None,
    now=None,
) -> FeedbackItem:
    """One step of the handling: received → acknowledged → in progress →
    responded → closed. A step skipped needs a note; the response (what was
    answered and how) is given on "responded"; a closed item is final."""
    now = now or timezone.now()
    current = _check_editable(actor, item, version)
    errors: dict[str, list[str]] = {}
    if to_status not in STATUS_ORDER:
        raise ValidationError({"status": [_("Unknown step.")]})
    here, there = STATUS_ORDER.index(current.status), STATUS_ORDER.index(to_status)
    note = clean_text(note)
    if note and (len(note) > NOTE_MAX_LENGTH or not is_readable(note)):
        errors["note"] = [_("A note of at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]
    if there <= here:
        errors["status"] = [_("An item only moves forward: choose a later step.")]
    elif there > here + 1 and len(note) < MIN_SKIP_NOTE:
        errors["note"] = [
            _("Skipping a step needs a note saying why (at least %(n)d characters).")
            % {"n": MIN_SKIP_NOTE}
        ]
    response_text = current.response if response is None else clean_text(response)
    method = current.response_method if response_method is None else (response_method or "")
    if (
        response is not None
        and response_text
        and (len(response_text) > RESPONSE_MAX_LENGTH or not is_readable(response_text))
    ):
        errors["response"] = [
            _("A response of at most %(n)d characters.") % {"n": RESPONSE_MAX_LENGTH}
        ]
    if method and method not in ResponseMethod.values:
        errors["response_method"] = [_("Choose how the response was given.")]
    if to_status == Status.RESPONDED:
        if not response_text:
            errors["response"] = [_("Write the response given to the person.")]
        if not method:
            errors["response_method"] = [_("Say how the response was given.")]
    if errors:
        raise ValidationError(errors)
    before = current.status
    current.status = to_status
    if there >= STATUS_ORDER.index(Status.ACKNOWLEDGED) and current.acknowledged_at is None:
        current.acknowledged_at = now
    if to_status in (Status.RESPONDED, Status.CLOSED) and response_text:
        current.response = response_text
        current.response_method = method
        if current.responded_at is None:
            current.responded_at = now
    if to_status == Status.CLOSED:
        current.closed_at = now
    current.record_times()
    if current.handler_id is None:
        current.handler = actor
    current.version += 1
    current.save()
    FeedbackStep.objects.create(
        item=current, from_status=before, to_status=to_status, note=note, by=actor, at=now
    )
    audit.record(
        actor=actor,
        event=Event.FEEDBACK_STATUS,
        subject=current,
        project=current.project,
        changes={"status": (before, to_status)},
        extra={
            "skipped": there - here - 1,
            "note": bool(note),
            "response_method": current.response_method if to_status == Status.RESPONDED else "",
        },
    )
    return current


# --- overdue ---------------------------------------------------------------------------


def overdue_q(today=None):
    """Items past a deadline: not acknowledged by its date, or not responded by its date."""
    from django.db.models import Q

    today = today or timezone.localdate()
    waiting = [Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS]
    return Q(status=Status.RECEIVED, acknowledge_due__lt=today) | Q(
        status__in=waiting, respond_due__lt=today
    )


def overdue_for_handler(user, today=None):
    """The user's own items past a deadline (home page), within what they read."""
    readable = rules.readable_q(user)
    if readable is None:
        return FeedbackItem.objects.none()
    return FeedbackItem.objects.filter(readable, handler=user).filter(overdue_q(today))


def is_overdue(item, today=None) -> bool:
    today = today or timezone.localdate()
    if item.status == Status.RECEIVED and item.acknowledge_due < today:
        return True
    return item.status in (
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
    ) and (item.respond_due < today)
