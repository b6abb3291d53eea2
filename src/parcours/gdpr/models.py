"""Data-protection records: subject-access and erasure requests, legal
holds, retention rules and runs, and the anonymisations done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person, at a site")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    REPRESENTATIVE = "representative", _("Through a lawyer or representative")


class SubjectAccessRequest(models.Model):
    ACCESS_CATEGORY = Category.IDENTITY

    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("how it was made"), max_length=16, choices=RequestChannel.choices)
    identity_checked = models.BooleanField(_("identity checked"), default=False)
    identity_check = models.CharField(_("how the identity was checked"), max_length=255)
    language = models.CharField(
        _("language of the export"), max_length=2, choices=Language.choices, default="fr"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    exports = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-recorded_at", "-id"]


class ErasureRequest(models.Model):
    ACCESS_CATEGORY = Category.IDENTITY

    class Basis(models.TextChoices):
        NO_LONGER_NEEDED = "17.1.a", _("Art. 17(1)(a): no longer necessary for its purpose")
        CONSENT_WITHDRAWN = "17.1.b", _("Art. 17(1)(b): consent withdrawn")
        OBJECTION = "17.1.c", _("Art. 17(1)(c): the person objects")
        UNLAWFUL = "17.1.d", _("Art. 17(1)(d): processed unlawfully")
        LEGAL_OBLIGATION = "17.1.e", _("Art. 17(1)(e): a legal obligation to erase")

    class Status(models.TextChoices):
        DONE = "done", _("Erased (anonymised)")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("how it was made"), max_length=16, choices=RequestChannel.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=8, choices=Basis.choices)
    status = models.CharField(max_length=8, choices=Status.choices)
    refusal_reason = models.CharField(_("why it was refused"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]


class LegalHold(models.Model):
    """While set, nothing of the person is erased or anonymised (e.g. an
    ongoing legal procedure)."""

    ACCESS_CATEGORY = Category.IDENTITY

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-set_at"]


class Anonymisation(models.Model):
    """A person whose identity was removed; the pseudonym stays stable."""

    ACCESS_CATEGORY = Category.IDENTITY

    class Cause(models.TextChoices):
        RETENTION = "retention", _("Retention period over")
        ERASURE = "erasure", _("Erasure request")

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(max_length=40)
    cause = models.CharField(max_length=10, choices=Cause.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )


class RetentionRule(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "configuration"

    class Key(models.TextChoices):
        SOCIAL = "social", _("Social and legal data (after the last contact)")
        MEDICAL = "medical", _("Medical and mental-health data (after the last contact)")
        ACCESS_LOG = "access_log", _("Access log (who read a record)")
        AUDIT = "audit", _("Audit trail (who changed what)")

    key = models.CharField(max_length=12, choices=Key.choices, unique=True)
    days = models.PositiveIntegerField(_("kept for (days)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.days} days"


class RetentionRun(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "counts and pseudonyms only"

    at = models.DateTimeField(auto_now_add=True)
    today = models.DateField()
    dry_run = models.BooleanField(default=False)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
