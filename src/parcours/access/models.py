"""The data the access policy reads at request time: consents, care-team
assignments and break-glass openings. Never cached: a withdrawal takes
effect on the next request."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import CATEGORY_LABELS, Category


class ConsentKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration and record keeping")
    TEAM_SHARING = "team_sharing", _("Sharing with the multidisciplinary team")
    ADVOCACY_ANONYMOUS = "advocacy_anonymous", _("Anonymous use for advocacy")
    TESTIMONY = "testimony", _("Use of testimony")
    PHOTOS = "photos", _("Photos")
    EXTERNAL_REFERRAL = "external_referral", _("External referral")


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    ORAL_INTERPRETER = "oral_interpreter", _("Oral, with an interpreter")
    ORAL = "oral", _("Oral")
    WRITTEN = "written", _("Written (signed)")


class TestimonyUse(models.TextChoices):
    """How far a testimony may be used, as the person agreed (consent to
    testimony only; an older consent without it means internal use only)."""

    INTERNAL = "internal", _("Internal use only")
    ANONYMISED_PUBLIC = "anonymised_public", _("Anonymised public use")
    IDENTIFIABLE_PUBLIC = "identifiable_public", _("Identifiable public use (name or photo)")


# Team sharing is asked per category; these are the categories it can cover.
SHAREABLE_CATEGORIES = [
    Category.MEDICAL,
    Category.MENTAL_HEALTH,
    Category.SOCIAL,
    Category.LEGAL_PROTECTION,
]
CategoryChoices = [(c.value, CATEGORY_LABELS[c]) for c in SHAREABLE_CATEGORIES]


class Consent(models.Model):
    """One decision of the person, as recorded. Rows are never changed: a new
    decision is a new row, and the latest row for (kind, category) is in force."""

    ACCESS_CATEGORY = Category.IDENTITY

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("consent to"), max_length=24, choices=ConsentKind.choices)
    category = models.CharField(
        _("category"), max_length=24, choices=CategoryChoices, blank=True, default=""
    )
    # The partner or referral a consent to external referral is about (later issues).
    scope = models.CharField(_("about"), max_length=120, blank=True)
    # Consent to testimony: internal, anonymised public or identifiable public use.
    use = models.CharField(
        _("use agreed"), max_length=24, choices=TestimonyUse.choices, blank=True, default=""
    )
    status = models.CharField(_("decision"), max_length=10, choices=ConsentStatus.choices)
    decided_at = models.DateTimeField(_("when"), default=timezone.now)
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    language = models.CharField(_("language used"), max_length=3, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["person", "kind", "category", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.kind}/{self.category or '-'}: {self.status}"


class CareAssignment(models.Model):
    """A staff member explicitly assigned to a person's care (needed to see
    sexual-violence incidents)."""

    ACCESS_CATEGORY = Category.IDENTITY

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="care_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_assignments"
    )
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id}"


class BreakGlass(models.Model):
    """A clinician opened a record outside their normal scope, with a reason."""

    ACCESS_CATEGORY = Category.IDENTITY

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=24)
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=255, blank=True)
    # Past the daily number of openings (PARCOURS_BREAK_GLASS_DAILY_LIMIT) an
    # opening is a request: it gives no access until a reviewer approves it.
    needs_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"])]

    def __str__(self) -> str:
        return f"break-glass {self.user_id} → {self.person_id}"

    @property
    def is_pending(self) -> bool:
        """Waiting for a reviewer's approval (declined ones are reviewed, not pending)."""
        return self.needs_approval and self.approved_at is None and self.reviewed_at is None

    @property
    def is_open(self) -> bool:
        if self.needs_approval and self.approved_at is None:
            return False
        return self.expires_at > timezone.now()
