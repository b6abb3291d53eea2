"""The team's daily report (compte-rendu) of a project, or of one of its sites.

Its figures are never stored: the report page counts them from the records
for each reader (what the reader may count). What is stored is what the team
writes about the day, and the coordinator's validation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.lib.fields import EncryptedTextField, RowKeyField

# The team notes, in the order the report shows them.
NOTE_FIELDS = ("incidents", "collaborations", "remarks")
NOTE_MAX_LENGTH = 5000


class DailyReport(models.Model):
    # The notes are about the day's activities (incidents on a site, partners
    # met, remarks on the organisation): the activity category, never clinical
    # content, which stays in the person's record (the form says so).
    ACCESS_CATEGORY = Category.ACTIVITY

    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    # Empty: the report of the whole project.
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    incidents = EncryptedTextField(_("incidents"), blank=True)
    collaborations = EncryptedTextField(_("collaborations"), blank=True)
    remarks = EncryptedTextField(_("remarks"), blank=True)
    row_key = RowKeyField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "site__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "site", "date"],
                condition=Q(site__isnull=False),
                name="daily_report_once_per_site",
            ),
            models.UniqueConstraint(
                fields=["project", "date"],
                condition=Q(site__isnull=True),
                name="daily_report_once_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.site_id or '-'} {self.date}"

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None
