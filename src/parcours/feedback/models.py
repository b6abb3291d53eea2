"""Feedback and complaints (the community feedback mechanism) and
testimonies for advocacy.

A feedback item's category decides who reads it: the sensitive ones (staff
conduct, sexual exploitation and abuse, fraud, data protection, and any
item nobody has classified yet) belong to the safeguarding category and are
read only by the safeguarding focal points; the others to the feedback
category (coordinators and MEAL). Messages, contacts and responses are
encrypted at rest, like testimonies.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.models import TestimonyUse
from parcours.access.terms import Category
from parcours.lib.fields import EncryptedTextField, RowKeyField

MESSAGE_MAX_LENGTH = 5000
CONTACT_MAX_LENGTH = 200
TESTIMONY_MAX_LENGTH = 50000


class FeedbackCategory(models.TextChoices):
    INFO_REQUEST = "info_request", _("Information request")
    POSITIVE = "positive", _("Positive feedback")
    SUGGESTION = "suggestion", _("Suggestion")
    SERVICE_COMPLAINT = "service_complaint", _("Complaint about a service")
    STAFF_CONDUCT = "staff_conduct", _("Complaint about staff conduct")
    SEA = "sea", _("Sexual exploitation and abuse (SEA)")
    FRAUD = "fraud", _("Fraud or corruption")
    SAFETY = "safety", _("Safety and security")
    DATA_PROTECTION = "data_protection", _("Data protection")


# Read only by the safeguarding focal points; counted elsewhere as totals.
SENSITIVE_CATEGORIES = frozenset(
    {
        FeedbackCategory.STAFF_CONDUCT,
        FeedbackCategory.SEA,
        FeedbackCategory.FRAUD,
        FeedbackCategory.DATA_PROTECTION,
    }
)


def is_sensitive_category(category: str) -> bool:
    """An unclassified item is sensitive until someone classifies it: it
    may be an abuse complaint the person did not name."""
    return not category or category in SENSITIVE_CATEGORIES


class Channel(models.TextChoices):
    WEB = "web", _("Public web page")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    COMMUNITY_MEETING = "community_meeting", _("Community meeting")
    PARTNER = "partner", _("Through a partner")


STAFF_CHANNELS = [c for c in Channel if c != Channel.WEB]


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


STATUS_ORDER = [s.value for s in Status]


class ResponseMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    MESSAGE = "message", _("By text message")
    LETTER = "letter", _("By letter or e-mail")
    COMMUNITY_MEETING = "community_meeting", _("At a community meeting")
    NOTICE = "notice", _("On the notice board (general answer)")
    NOT_REACHABLE = "not_reachable", _("Could not be reached (anonymous)")


class FeedbackSettings(models.Model):
    """The response deadlines of a project (7 and 30 days unless set)."""

    NOT_PERSONAL_DATA_BECAUSE = "a project's response deadlines"

    project = models.OneToOneField("org.Project", on_delete=models.CASCADE, related_name="+")
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within (days)"), default=7)
    respond_days = models.PositiveSmallIntegerField(_("respond within (days)"), default=30)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.project_id}: {self.acknowledge_days}/{self.respond_days}"


class FeedbackItem(models.Model):
    # Sensitive items are of the safeguarding category: parcours.feedback.rules
    # decides per item (``item.access_category``).
    ACCESS_CATEGORY = Category.FEEDBACK

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # What the person chose (public page) or what staff classified; empty:
    # not classified yet (then sensitive).
    category = models.CharField(
        _("category"), max_length=20, choices=FeedbackCategory.choices, blank=True
    )
    topic_given = models.CharField(
        _("topic chosen by the person"),
        max_length=20,
        choices=FeedbackCategory.choices,
        blank=True,
    )
    sensitive = models.BooleanField(_("sensitive"), default=True)
    # Raised by staff on an item whose category alone would not be sensitive.
    sensitivity_raised = models.BooleanField(_("sensitivity raised by staff"), default=False)
    message = EncryptedTextField(_("message"))
    contact = EncryptedTextField(_("how to contact the person"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"))
    acknowledge_due = models.DateField(_("acknowledge by"))
    respond_due = models.DateField(_("respond by"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set once, when the step happens (services.feedback_move): the figures
    # count them in SQL, without a date conversion per row.
    acknowledged_in_time = models.BooleanField(null=True, editable=False)
    responded_in_time = models.BooleanField(null=True, editable=False)
    response_days = models.DecimalField(
        _("days to response"),
        max_digits=7,
        decimal_places=2,
        null=True,
        editable=False,
    )
    response = EncryptedTextField(_("response given"), blank=True)
    row_key = RowKeyField()
    response_method = models.CharField(
        _("how the response was given"), max_length=20, choices=ResponseMethod.choices, blank=True
    )
    # Empty for the public page and the API's public route.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["project", "sensitive", "status"]),
            models.Index(fields=["handler", "status"]),
            models.Index(fields=["project", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def access_category(self) -> Category:
        return Category.SAFEGUARDING if self.sensitive else Category.FEEDBACK

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    def record_times(self) -> None:
        """Whether the acknowledgement and the response were in time (local
        date of the step on or before its deadline), and the days from
        receipt to response."""
        if self.acknowledged_at is not None:
            done = timezone.localtime(self.acknowledged_at).date()
            self.acknowledged_in_time = done <= self.acknowledge_due
        if self.responded_at is not None:
            done = timezone.localtime(self.responded_at).date()
            self.responded_in_time = done <= self.respond_due
            seconds = (self.responded_at - self.received_at).total_seconds()
            self.response_days = Decimal(max(seconds, 0) / 86400).quantize(Decimal("0.01"))


class FeedbackStep(models.Model):
    """One move of an item through its handling, with the note that goes
    with it (needed when a step is skipped)."""

    ACCESS_CATEGORY = Category.FEEDBACK

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    note = EncryptedTextField(_("note"), blank=True)
    row_key = RowKeyField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


class SubmissionThrottle(models.Model):
    """One public submission (page or API) from an address, kept an hour:
    the rate limit. The address is stored as a keyed hash, never as is."""

    NOT_PERSONAL_DATA_BECAUSE = "a keyed hash of an address, kept one hour for rate limiting"

    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.address[:8]} {self.at}"


# --- testimonies ---------------------------------------------------------------


class ViolenceType(models.TextChoices):
    POLICE = "police", _("Police violence")
    PHYSICAL = "physical", _("Physical violence")
    SEXUAL = "sexual", _("Sexual violence")
    PSYCHOLOGICAL = "psychological", _("Psychological violence, threats, humiliation")
    DESTRUCTION = "destruction", _("Destruction or seizure of belongings")
    EVICTION = "eviction", _("Forced eviction")
    DETENTION = "detention", _("Arbitrary detention")
    PUSHBACK = "pushback", _("Pushback at a border")
    EXTORTION = "extortion", _("Extortion, trafficking")


class PerpetratorType(models.TextChoices):
    POLICE = "police", _("Police, gendarmerie")
    BORDER_GUARD = "border_guard", _("Border or coast guards")
    PRIVATE_SECURITY = "private_security", _("Private security")
    SMUGGLER = "smuggler", _("Smugglers, traffickers")
    CIVILIAN = "civilian", _("Civilians")
    OTHER_MIGRANT = "other_migrant", _("Other people on the move")
    UNKNOWN = "unknown", _("Unknown")


class PlaceType(models.TextChoices):
    CAMP = "camp", _("Camp or informal settlement")
    STREET = "street", _("Street, public space")
    BORDER = "border", _("Border, crossing point")
    SEA = "sea", _("Sea, beach")
    DETENTION = "detention", _("Detention or police station")
    TRANSPORT = "transport", _("Transport (train, lorry, bus)")
    OTHER = "other", _("Other place")


class CareBarrier(models.TextChoices):
    DENIED = "denied", _("Care refused")
    FEAR = "fear", _("Fear of arrest or of the police")
    LANGUAGE = "language", _("No interpreter")
    COST = "cost", _("Cost, no health cover")
    DISTANCE = "distance", _("Distance, transport")
    DOCUMENTS = "documents", _("Papers asked for")
    EVICTION = "eviction", _("Evictions interrupting care")


TAG_FIELDS = {
    "violence_types": ViolenceType,
    "perpetrator_types": PerpetratorType,
    "care_barriers": CareBarrier,
}


class TestimonyStatus(models.TextChoices):
    TO_REVIEW = "to_review", _("To review")
    READY = "ready", _("Ready for use")


class Testimony(models.Model):
    ACCESS_CATEGORY = Category.TESTIMONY

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    # Empty: recorded anonymously (no record of the person).
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date of the events"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    place_type = models.CharField(
        _("type of place"), max_length=20, choices=PlaceType.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("testimony"))
    violence_types = models.JSONField(_("violence"), default=list, blank=True)
    perpetrator_types = models.JSONField(_("perpetrators"), default=list, blank=True)
    care_barriers = models.JSONField(_("barriers to care"), default=list, blank=True)
    # An anonymous testimony has no entry in the consent registry (it needs
    # a person): the use agreed at the interview is recorded here, and a
    # withdrawal sets withdrawn_at. A linked one reads the registry.
    anonymous_use = models.CharField(
        _("use agreed"), max_length=24, choices=TestimonyUse.choices, blank=True
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # How the person agreed to be named when quoted (identifiable use only).
    attribution = EncryptedTextField(_("name or pseudonym to quote"), blank=True)
    row_key = RowKeyField()
    status = models.CharField(
        max_length=12, choices=TestimonyStatus.choices, default=TestimonyStatus.TO_REVIEW
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "testimonies"

    def __str__(self) -> str:
        return self.reference
