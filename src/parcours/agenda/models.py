"""Appointments: a person expected at a site, for one discipline, at a time.

An appointment belongs to the category of its discipline (like an
encounter): its reason is shown only to who reads that category in full.
Its slot (who, when, where, which discipline, status) is what an agenda
shows to the staff of the project who see identities (reception included).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.care.choices import DISCIPLINE_CATEGORY, Discipline

# The disciplines one books an appointment with. Sexual-violence incidents
# are never named in an agenda (their care is booked as medical, mental-health
# or legal), and activities (rounds, shelter, day centre) are not booked.
APPOINTMENT_DISCIPLINES = (
    Discipline.MEDICAL,
    Discipline.MENTAL_HEALTH,
    Discipline.SOCIAL,
    Discipline.LEGAL_PROTECTION,
)


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ARRIVED = "arrived", _("Arrived")
    SEEN = "seen", _("Seen")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses still holding the clinician's time (checked for double bookings).
OPEN_STATUSES = (Status.PLANNED, Status.ARRIVED)


class Appointment(models.Model):
    # The category depends on the row: see category.
    CATEGORY_BY_FIELD = ("discipline", DISCIPLINE_CATEGORY)

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="appointments"
    )
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clinician"),
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    arrived_at = models.DateTimeField(null=True, blank=True)
    # The encounter that closed it (status "seen").
    encounter = models.ForeignKey(
        "care.Encounter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The encounter whose follow-up date booked it.
    follow_up_of = models.ForeignKey(
        "care.Encounter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["site", "starts_at"]),
            models.Index(fields=["clinician", "starts_at"]),
            models.Index(fields=["person", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def category(self) -> Category:
        return DISCIPLINE_CATEGORY[self.discipline]

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)
