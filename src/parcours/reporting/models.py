"""Reports: the monthly SITREP of a project and the quarterly or annual
mission report (every project of a mission).

A draft's figures are computed from the records for each reader. Validation
freezes them: a ``ReportVersion`` keeps the figures as the engine gave them
(``IndicatorResult.as_dict()``, exact and small-cell suppressed) and the
narratives as written. Reopening and validating again adds a version; every
version stays.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The narrative sections, in the order the report shows them.
NARRATIVE_FIELDS = ("highlights", "context", "challenges", "next_steps")
NARRATIVE_MAX_LENGTH = 10000


class Kind(models.TextChoices):
    SITREP = "sitrep", _("Monthly SITREP")
    MISSION = "mission", _("Mission report")


class Report(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = (
        "it holds figures counted over many records (never a name or a person id) "
        "and the coordinator's narratives about the project"
    )

    kind = models.CharField(max_length=8, choices=Kind.choices)
    project = models.ForeignKey(
        "org.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mission = models.ForeignKey(
        "org.Mission", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A period code of the MEAL engine: "2026-10", "2026-Q4", "2026".
    period = models.CharField(_("period"), max_length=24)
    highlights = models.TextField(_("highlights"), blank=True)
    context = models.TextField(_("context"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    written_at = models.DateTimeField(null=True, blank=True)
    # The version in force while validated; None for a draft (never
    # validated, or reopened).
    validated = models.ForeignKey(
        "ReportVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=Q(kind="sitrep"),
                name="one_sitrep_per_project_period",
            ),
            models.UniqueConstraint(
                fields=["mission", "period"],
                condition=Q(kind="mission"),
                name="one_mission_report_per_period",
            ),
            models.CheckConstraint(
                condition=(Q(kind="sitrep", project__isnull=False, mission__isnull=True))
                | Q(kind="mission", mission__isnull=False, project__isnull=True),
                name="report_subject_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.project_id or self.mission_id} {self.period}"

    @property
    def is_validated(self) -> bool:
        return self.validated_id is not None

    def narratives(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}


class ReportVersion(models.Model):
    """One validation of a report: its figures and narratives, frozen."""

    NOT_PERSONAL_DATA_BECAUSE = "a frozen copy of a report's figures and narratives"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # {"projects": [{"id", "code", "name", "indicators": [as_dict…],
    #   "previous": {code: as_dict}, "quality": {…}}], "period": …}
    figures = models.JSONField()
    # The same computed with small cells suppressed (outside=True), for the
    # readers who see figures that way.
    figures_outside = models.JSONField()
    narratives = models.JSONField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField()
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=500, blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"
