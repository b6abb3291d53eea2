"""Pick-lists of the care records. Codes are stable (indicators count them);
labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category


class Discipline(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SOCIAL = "social", _("Social")
    LEGAL_PROTECTION = "legal_protection", _("Legal / protection")
    SV_INCIDENT = "sv_incident", _("Sexual-violence incident")
    OUTREACH = "outreach", _("Outreach round")
    SHELTER = "shelter", _("Shelter stay")
    DAY_CENTRE = "day_centre", _("Day-centre attendance")


DISCIPLINE_CATEGORY = {
    Discipline.MEDICAL: Category.MEDICAL,
    Discipline.MENTAL_HEALTH: Category.MENTAL_HEALTH,
    Discipline.SOCIAL: Category.SOCIAL,
    Discipline.LEGAL_PROTECTION: Category.LEGAL_PROTECTION,
    Discipline.SV_INCIDENT: Category.SV_INCIDENT,
    Discipline.OUTREACH: Category.ACTIVITY,
    Discipline.SHELTER: Category.ACTIVITY,
    Discipline.DAY_CENTRE: Category.ACTIVITY,
}
# Activities that may be recorded without a person (anonymous tallies).
TALLY_DISCIPLINES = {Discipline.OUTREACH, Discipline.DAY_CENTRE}
# The activity types (org.ActivityType codes) of the sites where each activity
# is run: an outreach round is recorded only at an outreach site, and so on.
# Shelter stays also happen in housing (the Paris and Marseille projects).
ACTIVITY_TYPE_CODES = {
    Discipline.OUTREACH: frozenset({"coastal_outreach"}),
    Discipline.DAY_CENTRE: frozenset({"day_centre"}),
    Discipline.SHELTER: frozenset({"emergency_shelter", "housing"}),
}


class InterpreterMode(models.TextChoices):
    NONE = "", _("No interpreter")
    PROFESSIONAL = "professional", _("Professional, in person")
    PHONE = "phone", _("Professional, by phone")
    PEER = "peer", _("Peer / relative")


class Morbidity(models.TextChoices):
    """Short morbidity list of the mobile clinics, each mapped to ICD-10."""

    RTI_UPPER = "rti_upper", _("Upper respiratory infection")
    RTI_LOWER = "rti_lower", _("Lower respiratory infection")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    SCABIES = "scabies", _("Scabies")
    SKIN = "skin", _("Other skin condition")
    WOUND = "wound", _("Wound / trauma")
    BURN = "burn", _("Burn")
    MUSCULOSKELETAL = "musculoskeletal", _("Musculoskeletal pain")
    DENTAL = "dental", _("Dental problem")
    GASTRIC = "gastric", _("Gastritis / dyspepsia")
    URINARY = "urinary", _("Urinary tract infection")
    STI = "sti", _("Sexually transmitted infection")
    HYPOTHERMIA = "hypothermia", _("Hypothermia")
    HEADACHE = "headache", _("Headache")
    CHRONIC = "chronic", _("Chronic disease follow-up")
    PREGNANCY = "pregnancy", _("Pregnancy care")
    OTHER = "other", _("Other")


MORBIDITY_ICD10 = {
    "rti_upper": "J06.9",
    "rti_lower": "J22",
    "diarrhoea": "A09",
    "scabies": "B86",
    "skin": "L98.9",
    "wound": "T14.1",
    "burn": "T30.0",
    "musculoskeletal": "M79.1",
    "dental": "K08.9",
    "gastric": "K30",
    "urinary": "N39.0",
    "sti": "A64",
    "hypothermia": "T68",
    "headache": "R51",
    "chronic": "Z09",
    "pregnancy": "Z34.9",
}


class Contraception(models.TextChoices):
    NONE = "", _("None")
    PILL = "pill", _("Pill")
    INJECTABLE = "injectable", _("Injectable")
    IMPLANT = "implant", _("Implant")
    IUD = "iud", _("IUD")
    CONDOMS = "condoms", _("Condoms")
    EMERGENCY = "emergency", _("Emergency contraception")


class SafeAbortionCare(models.TextChoices):
    NONE = "", _("None")
    COUNSELLING = "counselling", _("Counselling")
    MEDICAL_ABORTION = "medical_abortion", _("Medical abortion")
    REFERRAL = "referral", _("Referred to hospital")
    POST_ABORTION = "post_abortion", _("Post-abortion care")


class SessionType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    FAMILY = "family", _("Family")


MH_SYMPTOMS = [
    ("anxiety", _("Anxiety")),
    ("depression", _("Depressed mood")),
    ("sleep", _("Sleep problems")),
    ("trauma", _("Post-traumatic symptoms")),
    ("somatic", _("Somatic complaints")),
    ("substance", _("Substance use")),
    ("psychosis", _("Psychotic symptoms")),
    ("suicidal", _("Suicidal ideas")),
    ("behaviour", _("Behavioural problems")),
]
MH_EVENTS = [
    ("violence_route", _("Violence on the route")),
    ("shipwreck", _("Shipwreck")),
    ("detention", _("Detention")),
    ("police_violence", _("Police violence")),
    ("eviction", _("Eviction")),
    ("family_loss", _("Loss of a relative")),
    ("sexual_violence", _("Sexual violence")),
    ("administrative", _("Administrative refusal")),
]


class RiskLevel(models.TextChoices):
    NONE = "none", _("No risk identified")
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


SOCIAL_NEEDS = [
    ("housing", _("Housing / shelter")),
    ("food", _("Food")),
    ("health_coverage", _("Health coverage")),
    ("domiciliation", _("Postal address (domiciliation)")),
    ("documents", _("Documents")),
    ("clothing", _("Clothing")),
    ("education", _("Schooling / training")),
    ("family_contact", _("Family contact")),
]
SOCIAL_ACTIONS = [
    ("call_115", _("115 call")),
    ("accompaniment", _("Accompaniment")),
    ("ame_application", _("AME application")),
    ("puma_application", _("PUMa application")),
    ("pass_referral", _("PASS referral")),
    ("domiciliation_application", _("Domiciliation application")),
    ("ase_referral", _("Referral to child welfare (ASE)")),
    ("food_aid", _("Food aid")),
    ("information", _("Information / orientation")),
]


class HealthCoverage(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    NONE = "none", _("None")
    AME = "ame", _("AME")
    PUMA = "puma", _("PUMa")
    CSS = "css", _("CSS")
    PASS = "pass", _("PASS only")


class Procedure(models.TextChoices):
    MINORITY_APPEAL = "minority_appeal", _("Minority-recognition appeal (juvenile judge)")
    ASYLUM = "asylum", _("Asylum")
    DUBLIN = "dublin", _("Dublin procedure")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    OQTF = "oqtf", _("Appeal against an OQTF")
    COMPLAINT = "complaint", _("Complaint")
    RESIDENCE = "residence", _("Residence permit")
    OTHER = "other", _("Other")


LEGAL_ACTIONS = [
    ("information", _("Legal information")),
    ("file_preparation", _("File preparation")),
    ("lawyer_referral", _("Referral to a lawyer")),
    ("hearing_accompaniment", _("Accompaniment to a hearing")),
    ("appeal_filed", _("Appeal filed")),
    ("documentation", _("Violence documented")),
]


class Decision(models.TextChoices):
    NONE = "", _("No decision yet")
    PENDING = "pending", _("Pending")
    FAVOURABLE = "favourable", _("Favourable")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")
    WITHDRAWN = "withdrawn", _("Withdrawn / abandoned")


VIOLENCE_TYPES = [
    ("police", _("Police violence")),
    ("physical", _("Physical violence")),
    ("sexual", _("Sexual violence")),
    ("detention", _("Violence in detention")),
    ("smuggler", _("Violence by smugglers")),
    ("eviction", _("Violent eviction")),
    ("verbal", _("Threats / verbal abuse")),
]


class PerpetratorType(models.TextChoices):
    UNKNOWN = "", _("Unknown / not said")
    POLICE = "police", _("Police / security forces")
    SMUGGLER = "smuggler", _("Smuggler / trafficker")
    PARTNER = "partner", _("Intimate partner")
    FAMILY = "family", _("Family member")
    ACQUAINTANCE = "acquaintance", _("Acquaintance")
    STRANGER = "stranger", _("Stranger")
    OTHER_MIGRANT = "other_migrant", _("Other person on the move")
    ARMED_GROUP = "armed_group", _("Armed group")


class GBVType(models.TextChoices):
    """The six GBVIMS core incident types."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL_OF_RESOURCES = "denial_of_resources", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological / emotional abuse")


GBV_SERVICES = [
    ("medical", _("Medical care")),
    ("psychosocial", _("Psychosocial support")),
    ("legal", _("Legal assistance")),
    ("safety", _("Safety / safe shelter")),
    ("livelihood", _("Livelihood support")),
]


class IncidentLocation(models.TextChoices):
    UNKNOWN = "", _("Unknown / not said")
    COUNTRY_OF_ORIGIN = "origin", _("Country of origin")
    ROUTE = "route", _("On the route")
    LIBYA = "libya", _("Libya")
    SEA = "sea", _("At sea")
    FRANCE_CAMP = "france_camp", _("In France, in a camp")
    FRANCE_OTHER = "france_other", _("In France, elsewhere")


ACTIVITY_SERVICES = [
    ("first_aid", _("First aid")),
    ("blankets", _("Blankets / sleeping bags")),
    ("water", _("Water")),
    ("food", _("Food / hot drinks")),
    ("hygiene", _("Hygiene kits")),
    ("clothes", _("Clothes")),
    ("shower", _("Shower")),
    ("meal", _("Meal")),
    ("rest", _("Rest")),
    ("laundry", _("Laundry")),
    ("phone_charging", _("Phone charging")),
    ("activities", _("Activities")),
    ("information", _("Information")),
    ("referral", _("Referral")),
]

TALLY_SEXES = [("female", _("Female")), ("male", _("Male")), ("unknown", _("Unknown"))]
