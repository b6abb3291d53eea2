"""Append-only audit trail (writes) and access log (reads of personal data).

The application never updates or deletes these rows: the model and its
queryset refuse to, so a bug elsewhere cannot rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.audit.events import read_label


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows are append-only")

    def delete(self):
        raise AppendOnlyError("audit rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are append-only")


class AuditEvent(AppendOnlyModel):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    event = models.CharField(_("event"), max_length=60)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    project = models.ForeignKey(
        "org.Project", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # {"field": [before, after]} for updates; the created values for creations.
    changes = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.subject_type}#{self.subject_id}"


class AccessLog(AppendOnlyModel):
    NOT_PERSONAL_DATA_BECAUSE = "it records who read a record, shown only under the audit action"

    class Channel(models.TextChoices):
        WEB = "web", _("web page")
        API = "api", _("API")
        EXPORT = "export", _("export")

    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("what"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    break_glass = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} read {self.what} of {self.person_id}"

    @property
    def what_label(self) -> str:
        return read_label(self.what)
