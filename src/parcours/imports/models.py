"""Import batches, their row-level report, and what each imported row became.

``ImportedRow`` remembers, for every row of a source (Mano, a team's sheet),
the Parcours object it created and a fingerprint of its mapped values: a
re-run of the same file finds the row and changes nothing, a corrected file
updates what changed, and a batch can be undone as a whole.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.lib.fields import EncryptedTextField, RowKeyField

CATEGORY_CHOICES = [(c.value, CATEGORY_LABELS[c]) for c in Category]


class ImportBatch(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "it holds a file name, counts and a mapping, never a row"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the mapping")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Refused")
        UNDONE = "undone", _("Undone")

    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_kind = models.CharField(_("kind of file"), max_length=30, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.file_name})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (self.Status.DONE, self.Status.FAILED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ReportRow(models.Model):
    """One line of a batch's row-level report."""

    ACCESS_CATEGORY = Category.IDENTITY

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        UPDATED = "updated", _("Updated")
        UNCHANGED = "unchanged", _("Unchanged")
        SKIPPED = "skipped", _("Skipped")
        ERROR = "error", _("Error")
        DUPLICATE = "duplicate", _("Suspected duplicate")

    class Decision(models.TextChoices):
        NONE = "", _("To decide")
        LINK = "link", _("Linked to the existing person")
        CREATE = "create", _("Created as a new person")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(max_length=60)
    row_number = models.PositiveIntegerField()
    source_key = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=255, blank=True)
    column = models.CharField(max_length=120, blank=True)
    value = models.CharField(max_length=255, blank=True)
    # The suspected duplicate: an existing person, or an earlier row of the file.
    candidate = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    candidate_row = models.PositiveIntegerField(null=True, blank=True)
    # The mapped values of a suspected duplicate, encrypted, until decided.
    pending = EncryptedTextField(blank=True)
    row_key = RowKeyField()
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["batch", "outcome"])]


class ImportedRow(models.Model):
    """A row of a source and the Parcours object it became."""

    NOT_PERSONAL_DATA_BECAUSE = "it holds source keys, a fingerprint and object ids"

    source = models.CharField(max_length=60)
    entity = models.CharField(max_length=30)
    source_key = models.CharField(max_length=120)
    target_type = models.CharField(max_length=60)
    target_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=64)
    # The target's version when the import last wrote it: edited since = differs.
    version = models.PositiveIntegerField(default=1)
    # Field values before the batch that last updated it (for undo).
    previous = models.JSONField(default=dict, blank=True)
    created_batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="created_rows"
    )
    updated_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="updated_rows"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "entity", "source_key"], name="imported_row_once"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]


class ImportedField(models.Model):
    """A column of a source that has no Parcours field (a Mano custom field),
    kept as label and value under the category the mapping says."""

    CATEGORY_BY_FIELD = ("category", {c.value: c for c in Category})

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="imported_fields"
    )
    category = models.CharField(max_length=24, choices=CATEGORY_CHOICES)
    label = models.CharField(max_length=255)
    value = EncryptedTextField(blank=True)
    row_key = RowKeyField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["category", "id"]


class ImportedNote(models.Model):
    """A Mano comment or action of a person: a note, or a follow-up with its due date."""

    CATEGORY_BY_FIELD = ("category", {c.value: c for c in Category})

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        ACTION = "action", _("Follow-up")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="imported_notes"
    )
    category = models.CharField(max_length=24, choices=CATEGORY_CHOICES)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    written_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=40, blank=True)
    text = EncryptedTextField(blank=True)
    row_key = RowKeyField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-written_on", "-id"]
