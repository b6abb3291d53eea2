"""Pick-lists of the service directory and the referrals. Codes are stable
(imports, exports and MEAL counts use them); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import CATEGORY_LABELS, Category


class ServiceType(models.TextChoices):
    PASS = "pass", _("Hospital PASS")
    SHELTER = "shelter", _("115 and shelters")
    DAY_CENTRE = "day_centre", _("Day centre")
    LEGAL_AID = "legal_aid", _("Legal aid")
    WOMEN = "women", _("Women's centre")
    FOOD = "food", _("Food")
    SHOWERS = "showers", _("Showers")
    PHONE_CHARGING = "phone_charging", _("Phone charging")
    ASE = "ase", _("Child protection (ASE)")
    ASYLUM = "asylum", _("Asylum services")
    HEALTH = "health", _("Health centre")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    DOMICILIATION = "domiciliation", _("Postal address (domiciliation)")
    CLOTHING = "clothing", _("Clothing")
    FAMILY_LINKS = "family_links", _("Restoring family links")
    OTHER = "other", _("Other")


class Eligibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    MINORS = "minors", _("Minors")
    WOMEN = "women", _("Women")
    FAMILIES = "families", _("Families")


# Weekday codes in Python's order (Monday = 0).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}

# The needs a social encounter records (care.choices.SOCIAL_NEEDS) and the
# kinds of service that answer them: the needs-versus-services view.
NEED_SERVICE_TYPES = {
    "housing": (ServiceType.SHELTER,),
    "food": (ServiceType.FOOD, ServiceType.DAY_CENTRE),
    "health_coverage": (ServiceType.PASS, ServiceType.HEALTH, ServiceType.LEGAL_AID),
    "domiciliation": (ServiceType.DOMICILIATION,),
    "documents": (ServiceType.LEGAL_AID, ServiceType.ASYLUM),
    "clothing": (ServiceType.CLOTHING, ServiceType.DAY_CENTRE),
    "education": (ServiceType.ASE,),
    "family_contact": (ServiceType.FAMILY_LINKS, ServiceType.PHONE_CHARGING),
}


class ReferralKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    LOST = "lost", _("Lost to follow-up")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
# status -> the statuses it may move to; done straight from sent only with a note.
TRANSITIONS = {
    ReferralStatus.SENT: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.REFUSED,
        ReferralStatus.LOST,
        ReferralStatus.DONE,
    },
    ReferralStatus.ACCEPTED: {ReferralStatus.DONE, ReferralStatus.REFUSED, ReferralStatus.LOST},
    ReferralStatus.DONE: set(),
    ReferralStatus.REFUSED: set(),
    ReferralStatus.LOST: set(),
}
SKIPS_NEEDING_A_NOTE = {(ReferralStatus.SENT, ReferralStatus.DONE)}

# The disciplines that refer (and receive internal referrals): the care
# categories. A referral belongs to the category of the discipline that made it.
REFERRAL_CATEGORIES = (
    Category.MEDICAL,
    Category.MENTAL_HEALTH,
    Category.SOCIAL,
    Category.LEGAL_PROTECTION,
)
ReferralCategoryChoices = [(c.value, CATEGORY_LABELS[c]) for c in REFERRAL_CATEGORIES]

# What a referrer may choose to share with the receiving organisation
# (identity always goes): among the categories they see in full themselves.
SHAREABLE = (
    Category.CONTACT,
    Category.SOCIAL,
    Category.MEDICAL,
    Category.MENTAL_HEALTH,
    Category.LEGAL_PROTECTION,
    Category.SV_INCIDENT,
)

# An entry not verified for this long is flagged in the directory.
STALE_AFTER_DAYS = 183
# Follow-up of a referral when the referrer sets none.
DEFAULT_FOLLOW_UP_DAYS = 7
