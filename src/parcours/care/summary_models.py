"""The clinical summary of a person: what a clinician needs first, kept
current from the medical encounters (care.summary_services) and editable.
Every row is medical."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category


class Severity(models.TextChoices):
    MILD = "mild", _("mild")
    MODERATE = "moderate", _("moderate")
    SEVERE = "severe", _("severe")
    LIFE_THREATENING = "life_threatening", _("life-threatening")


class PregnancyStatus(models.TextChoices):
    PREGNANT = "pregnant", _("pregnant")
    NOT_PREGNANT = "not_pregnant", _("not pregnant")
    UNKNOWN = "unknown", _("unknown")


class SummaryItem(models.Model):
    """What every item of the summary has: its person, who wrote it, a version."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # The encounter it was derived from, if any (kept current when it changes).
    source_encounter = models.ForeignKey(
        "care.Encounter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Allergy(SummaryItem):
    ACCESS_CATEGORY = Category.MEDICAL

    substance = models.CharField(_("substance"), max_length=120)
    reaction = models.CharField(_("reaction"), max_length=255, blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, blank=True)
    # An allergy found wrong (or outgrown) is ended, never deleted.
    ended_on = models.DateField(_("no longer relevant since"), null=True, blank=True)

    class Meta:
        ordering = ["substance", "id"]

    def __str__(self) -> str:
        return self.substance


class ChronicCondition(SummaryItem):
    ACCESS_CATEGORY = Category.MEDICAL

    icd10 = models.CharField(_("ICD-10 code"), max_length=8)
    label = models.CharField(_("condition"), max_length=255)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["icd10", "id"]

    def __str__(self) -> str:
        return f"{self.icd10} {self.label}"


class Treatment(SummaryItem):
    """Current while its period runs: from ``since`` to ``until`` (included)."""

    ACCESS_CATEGORY = Category.MEDICAL

    name = models.CharField(_("treatment"), max_length=255)
    dose = models.CharField(_("dose"), max_length=120, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-since", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today) -> bool:
        return self.since <= today and (self.until is None or self.until >= today)


class Vaccination(SummaryItem):
    ACCESS_CATEGORY = Category.MEDICAL

    vaccine = models.CharField(_("vaccine"), max_length=120)
    given_on = models.DateField(_("date given"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-given_on", "vaccine", "id"]

    def __str__(self) -> str:
        return f"{self.vaccine} {self.given_on}"


class Pregnancy(SummaryItem):
    """The person's current pregnancy status: one row per person, derived from
    the latest medical encounter that says it (gestational age → due date)
    and editable."""

    ACCESS_CATEGORY = Category.MEDICAL

    status = models.CharField(
        _("pregnancy"), max_length=14, choices=PregnancyStatus.choices, default="unknown"
    )
    due_date = models.DateField(_("estimated due date"), null=True, blank=True)
    # The date of the information: an older encounter never overrides it.
    as_of = models.DateField(_("as of"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person"], name="pregnancy_once")]

    def __str__(self) -> str:
        return f"{self.status} {self.as_of}"
