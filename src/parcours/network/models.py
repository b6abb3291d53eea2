"""The service directory (cartographie) and the referrals of persons to a
colleague, a discipline, a directory service or another organisation."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.network.choices import (
    OPEN_STATUSES,
    REFERRAL_CATEGORIES,
    STALE_AFTER_DAYS,
    Eligibility,
    ReferralCategoryChoices,
    ReferralKind,
    ReferralStatus,
    ServiceType,
)


class Service(models.Model):
    """A partner association or public service people can be sent to."""

    NOT_PERSONAL_DATA_BECAUSE = "a directory of organisations, never of persons"

    name = models.CharField(_("name"), max_length=160)
    type = models.CharField(_("type"), max_length=20, choices=ServiceType.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # {"mon": [["09:00", "12:00"], ["14:00", "17:00"]], …}: see network.hours.
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Eligibility codes (network.choices.Eligibility); "everyone" when open to all.
    eligibility = models.JSONField(_("who is eligible"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact = models.CharField(_("contact person"), max_length=160, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["city", "name", "id"]
        verbose_name = _("service")
        indexes = [models.Index(fields=["type", "city"])]

    def __str__(self) -> str:
        return self.name

    @property
    def eligibility_labels(self) -> list[str]:
        labels = dict(Eligibility.choices)
        return [str(labels.get(code, code)) for code in self.eligibility or []]

    def needs_verification(self, today=None) -> bool:
        """Not verified for six months (or never): flagged in the directory."""
        today = today or timezone.localdate()
        if self.last_verified_on is None:
            return True
        return self.last_verified_on < today - timedelta(days=STALE_AFTER_DAYS)


class Referral(models.Model):
    """A person sent to a colleague or a discipline of the team (internal), or
    to a service or organisation outside it (external). It belongs to the
    category of the discipline that made it."""

    CATEGORY_BY_FIELD = ("category", {c.value: c for c in REFERRAL_CATEGORIES})

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(
        _("referring discipline"), max_length=24, choices=ReferralCategoryChoices
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReferralKind.choices)
    to_discipline = models.CharField(
        _("to the discipline"), max_length=24, choices=ReferralCategoryChoices, blank=True
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to the colleague"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("service"),
    )
    # The receiving organisation's name: free text, or the service's name when sent.
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    reason = models.TextField(_("reason"))
    # Categories chosen to be shared beyond identity (external referrals).
    shared_categories = models.JSONField(_("shared"), default=list, blank=True)
    # The consent in force when it was sent (external referrals).
    consent = models.ForeignKey(
        "access.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    planned_for = models.DateTimeField(_("planned for"), null=True, blank=True)
    # Why the referrer was warned (closed, not eligible…) and went on.
    warnings = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("sent on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    lost_on = models.DateField(_("lost to follow-up on"), null=True, blank=True)
    status_note = models.CharField(_("note"), max_length=255, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["person", "-sent_on"]),
            models.Index(fields=["owner", "status", "follow_up_on"]),
            models.Index(fields=["project", "kind", "status"]),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.kind}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.follow_up_on is not None and self.follow_up_on < today

    @property
    def receiver(self) -> str:
        """Who it is sent to, for lists (never more than the referral says)."""
        if self.kind == ReferralKind.EXTERNAL:
            return self.organisation
        if self.to_user_id:
            return self.to_user.get_full_name() or self.to_user.username
        return str(self.get_to_discipline_display())


class ReferralReminder(models.Model):
    """An e-mail reminder sent for a referral overdue on a follow-up date
    (idempotence of ``parcours remind_referrals``: one per referral and date;
    moving the follow-up date makes a new reminder possible)."""

    NOT_PERSONAL_DATA_BECAUSE = "a reminder's date only, about a referral"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reminders")
    follow_up_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "follow_up_on"], name="referral_reminder_once"
            )
        ]
