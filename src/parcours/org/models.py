"""Organisation: mission (country) → project → site, and activity types."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Mission(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    country = CountryField(_("country"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mission")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("name"), max_length=120)
    # Prefix of the person codes of this project ("CAL-01234"): short and
    # easy to spell over the phone.
    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        help_text=_("2 to 6 capital letters, used as the prefix of person codes."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    description = models.TextField(_("description"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["mission__name", "name"]
        verbose_name = _("project")
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="project_name_per_mission")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_new_records(self) -> bool:
        return self.status == Status.OPEN


class ActivityType(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("activity type")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class SiteQuerySet(models.QuerySet):
    def in_use(self) -> "SiteQuerySet":
        """Sites where something can be recorded today: active, in an open project."""
        return self.filter(is_active=True, project__status=Status.OPEN)


class Site(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=120)
    activity_types = models.ManyToManyField(
        ActivityType, related_name="sites", blank=True, verbose_name=_("activities")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["project__name", "name"]
        verbose_name = _("site")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="site_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name
