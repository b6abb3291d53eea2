"""Care pathways with clocks, case management and the protocol library.

Pathway definitions are data (data/*.yaml, read by ``definitions``); a
pathway started for a person stores one row per step with its deadline
(an aware datetime), so that overdue steps are found by a query.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.lib.fields import EncryptedTextField, RowKeyField


class Pathway(models.Model):
    """A pathway started for a person: its category is the definition's
    (sexual violence: the sv_incident category, shown like the incident)."""

    CATEGORY_BY_FIELD = (
        "category",
        {
            Category.SV_INCIDENT.value: Category.SV_INCIDENT,
            Category.MEDICAL.value: Category.MEDICAL,
        },
    )

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("pathway"), max_length=40)
    category = models.CharField(
        max_length=24,
        choices=[
            (Category.SV_INCIDENT.value, CATEGORY_LABELS[Category.SV_INCIDENT]),
            (Category.MEDICAL.value, CATEGORY_LABELS[Category.MEDICAL]),
        ],
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    # The encounter the pathway started from (the incident record), if any.
    source = models.ForeignKey(
        "care.Encounter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event_at = models.DateTimeField(_("starting event"))
    gestational_weeks = models.PositiveSmallIntegerField(
        _("gestational age at start (weeks)"), null=True, blank=True
    )
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = EncryptedTextField(_("note"), max_length=255, blank=True)
    row_key = RowKeyField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class PathwayStep(models.Model):
    CATEGORY_BY_FIELD = Pathway.CATEGORY_BY_FIELD

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    category = models.CharField(max_length=24, choices=Pathway._meta.get_field("category").choices)
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Completed from an encounter (automatic) or by hand (with a note).
    encounter = models.ForeignKey(
        "care.Encounter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("note"), max_length=500, blank=True)
    row_key = RowKeyField()
    # Done by its deadline (None: not done, or no deadline), kept by the
    # services so that indicators count it (e.g. PEP within 72 h).
    done_in_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["pathway", "position"]
        constraints = [models.UniqueConstraint(fields=["pathway", "key"], name="pathway_step_once")]
        indexes = [models.Index(fields=["done_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.pathway_id}/{self.key}"


# --- case management -----------------------------------------------------------


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


RISK_ORDER = {RiskLevel.CRITICAL: 0, RiskLevel.HIGH: 1, RiskLevel.MODERATE: 2, RiskLevel.LOW: 3}


class Case(models.Model):
    """A complex case: its plan is shared with the case's team (managers of
    the project and the members who take part in it), see docs/access.md.
    The needs and risk are social assessment."""

    ACCESS_CATEGORY = Category.SOCIAL

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case worker"),
    )
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    # Codes in order of priority (first = most urgent).
    needs = models.JSONField(_("needs, by priority"), default=list)
    summary = EncryptedTextField(_("why a case"), blank=True, max_length=2000)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=20, blank=True)
    closure_note = EncryptedTextField(_("closure note"), max_length=500, blank=True)
    row_key = RowKeyField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"case {self.pk}"


class CaseMember(models.Model):
    """Someone who takes part in a case (its worker, a task owner, a
    conference participant): they see that case."""

    ACCESS_CATEGORY = Category.IDENTITY

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_once")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.user_id}"


class Goal(models.Model):
    ACCESS_CATEGORY = Category.SOCIAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)
    achieved = models.BooleanField(_("achieved"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class Task(models.Model):
    ACCESS_CATEGORY = Category.SOCIAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    conference = models.ForeignKey(
        "Conference", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    note = EncryptedTextField(_("note"), max_length=500, blank=True)
    row_key = RowKeyField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title


class TaskReminder(models.Model):
    """An e-mail reminder sent for a task overdue on a due date (idempotence
    of ``parcours remind``: one per task and due date)."""

    NOT_PERSONAL_DATA_BECAUSE = "a reminder's date only, about a task"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "due_on"], name="task_reminder_once")
        ]


class Conference(models.Model):
    """A multidisciplinary case conference: date, participants, decisions."""

    ACCESS_CATEGORY = Category.SOCIAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("date"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("participants")
    )
    decisions = EncryptedTextField(_("decisions"), blank=True, max_length=5000)
    row_key = RowKeyField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"conference {self.pk}"


class Contribution(models.Model):
    """What one participant said, in the category of their discipline: the
    minutes show it only to who may read that category for the person."""

    CATEGORY_BY_FIELD = (
        "category",
        {
            c.value: c
            for c in (
                Category.SOCIAL,
                Category.MEDICAL,
                Category.MENTAL_HEALTH,
                Category.LEGAL_PROTECTION,
                Category.SV_INCIDENT,
                Category.ACTIVITY,
            )
        },
    )

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="contributions"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(
        _("category"),
        max_length=24,
        choices=[(c, CATEGORY_LABELS[Category(c)]) for c in CATEGORY_BY_FIELD[1]],
    )
    text = EncryptedTextField(_("contribution"), max_length=5000)
    row_key = RowKeyField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"contribution {self.pk}"


# --- protocols and lessons learned -----------------------------------------------


class Protocol(models.Model):
    """A protocol or SOP of the organisation (not personal data)."""

    NOT_PERSONAL_DATA_BECAUSE = "organisation documents"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    valid_from = models.DateField(_("valid from"))
    review_on = models.DateField(_("review date"))
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the header
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self):
        return self.versions.order_by("-number").first()


class ProtocolVersion(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "organisation documents"

    class Format(models.TextChoices):
        MARKDOWN = "markdown", _("Written here (Markdown)")
        PDF = "pdf", _("PDF file")
        DOCX = "docx", _("Word file (DOCX)")

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=Format.choices)
    body = models.TextField(blank=True)
    # A name in the default storage (protocols/<hex>.<kind>: lib/stored_files.py);
    # served only by the checked download view. A plain column rather than a
    # FileField: nothing may ask it for a URL.
    file = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    change_note = models.CharField(_("what changed"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="protocol_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.protocol_id} v{self.number}"


class Lesson(models.Model):
    """A lesson learned by a project (no personal data: the form says so)."""

    NOT_PERSONAL_DATA_BECAUSE = "lessons are written without names"

    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    context = models.TextField(_("context"), max_length=3000)
    lesson = models.TextField(_("lesson"), max_length=3000)
    recommendation = models.TextField(_("recommendation"), max_length=3000, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"lesson {self.pk}"
