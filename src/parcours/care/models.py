"""Encounters of every discipline and their structured details.

One Encounter row carries what all disciplines share; a one-to-one details
row carries the discipline's structured fields (what indicators count).
Every row belongs to the category of its discipline (DISCIPLINE_CATEGORY):
the access policy decides per row who reads it in full, who reads only the
team note, and who reads nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.care.choices import (
    DISCIPLINE_CATEGORY,
    Contraception,
    Decision,
    Discipline,
    GBVType,
    HealthCoverage,
    IncidentLocation,
    InterpreterMode,
    Morbidity,
    PerpetratorType,
    Procedure,
    RiskLevel,
    SafeAbortionCare,
    SessionType,
)
from parcours.lib.fields import EncryptedJSONField, EncryptedTextField, RowKeyField


class Encounter(models.Model):
    # The category depends on the row: see category.
    CATEGORY_BY_FIELD = ("discipline", DISCIPLINE_CATEGORY)

    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="encounters"
    )
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        "org.ActivityType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("date and time"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    interpreter_mode = models.CharField(
        _("interpreter"), max_length=12, choices=InterpreterMode.choices, blank=True
    )
    interpreter_language = models.CharField(_("interpreting language"), max_length=3, blank=True)
    # Derived by the services from the person's earlier encounters, never typed.
    is_first_visit = models.BooleanField(_("first visit"), default=True)
    team_note = EncryptedTextField(
        _("note for the team"),
        blank=True,
        help_text=_("Seen by the other disciplines only if the person consented to team sharing."),
    )
    confidential_note = EncryptedTextField(
        _("confidential note"), blank=True, help_text=_("Seen only by your discipline.")
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_done = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    row_key = RowKeyField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"]),
            models.Index(fields=["project", "discipline", "occurred_at"]),
            models.Index(fields=["author", "follow_up_done", "follow_up_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def category(self) -> Category:
        return DISCIPLINE_CATEGORY[self.discipline]


class Diagnosis(models.Model):
    ACCESS_CATEGORY = Category.MEDICAL

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="diagnoses")
    icd10 = models.CharField(_("ICD-10 code"), max_length=8)
    label = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["encounter", "icd10"], name="diagnosis_once")
        ]

    def __str__(self) -> str:
        return f"{self.icd10} {self.label}"


class MedicalDetails(models.Model):
    ACCESS_CATEGORY = Category.MEDICAL

    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, primary_key=True, related_name="medical"
    )
    reason = models.CharField(_("reason for consultation"), max_length=255, blank=True)
    morbidity = models.CharField(
        _("main morbidity"), max_length=20, choices=Morbidity.choices, blank=True
    )
    temperature_c = models.DecimalField(
        _("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    pulse_bpm = models.PositiveSmallIntegerField(_("pulse (/min)"), null=True, blank=True)
    systolic_mmhg = models.PositiveSmallIntegerField(_("systolic BP"), null=True, blank=True)
    diastolic_mmhg = models.PositiveSmallIntegerField(_("diastolic BP"), null=True, blank=True)
    respiratory_rate = models.PositiveSmallIntegerField(
        _("respiratory rate (/min)"), null=True, blank=True
    )
    spo2_percent = models.PositiveSmallIntegerField(_("SpO₂ (%)"), null=True, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    treatments = models.CharField(_("treatments dispensed"), max_length=255, blank=True)
    # A treatment prescribed with a duration joins the clinical summary's
    # current treatments until it ends; codes marked chronic join its conditions.
    treatment_dose = models.CharField(_("dose"), max_length=120, blank=True)
    treatment_days = models.PositiveSmallIntegerField(
        _("treatment duration (days)"), null=True, blank=True
    )
    chronic_diagnoses = models.JSONField(_("chronic diagnoses"), default=list, blank=True)
    # Women's health
    pregnant = models.BooleanField(_("pregnant"), null=True, blank=True)
    gestational_age_weeks = models.PositiveSmallIntegerField(
        _("gestational age (weeks)"), null=True, blank=True
    )
    antenatal_visit_number = models.PositiveSmallIntegerField(
        _("antenatal visit number"), null=True, blank=True
    )
    contraception = models.CharField(
        _("contraception given"), max_length=12, choices=Contraception.choices, blank=True
    )
    sti_treated = models.BooleanField(_("STI treated"), default=False)
    safe_abortion_care = models.CharField(
        _("safe abortion care"), max_length=20, choices=SafeAbortionCare.choices, blank=True
    )
    # Sexual-violence care (clinical part; the incident itself is its own record)
    sv_care = models.BooleanField(_("care after sexual violence"), default=False)
    hours_since_incident = models.PositiveIntegerField(
        _("hours since the incident"), null=True, blank=True
    )
    pep_given = models.BooleanField(_("PEP given"), null=True, blank=True)
    emergency_contraception_given = models.BooleanField(
        _("emergency contraception given"), null=True, blank=True
    )
    certificate_issued = models.BooleanField(_("medical certificate issued"), null=True, blank=True)

    def __str__(self) -> str:
        return f"medical {self.encounter_id}"


class MentalHealthDetails(models.Model):
    ACCESS_CATEGORY = Category.MENTAL_HEALTH

    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, primary_key=True, related_name="mental_health"
    )
    session_type = models.CharField(
        _("session"), max_length=12, choices=SessionType.choices, default=SessionType.INDIVIDUAL
    )
    symptoms = EncryptedJSONField(_("symptoms"), default=list, blank=True)
    precipitating_events = EncryptedJSONField(_("precipitating events"), default=list, blank=True)
    cgi_severity = models.PositiveSmallIntegerField(_("CGI severity (1–7)"), null=True, blank=True)
    cgi_improvement = models.PositiveSmallIntegerField(
        _("CGI improvement (1–7)"), null=True, blank=True
    )
    risk_level = models.CharField(
        _("risk assessment"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    closes_follow_up = models.BooleanField(_("last session (closure)"), default=False)
    closure_reason = EncryptedTextField(_("closure reason"), max_length=120, blank=True)
    row_key = RowKeyField()

    def __str__(self) -> str:
        return f"mental health {self.encounter_id}"


class SocialDetails(models.Model):
    ACCESS_CATEGORY = Category.SOCIAL

    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, primary_key=True, related_name="social"
    )
    needs = models.JSONField(_("needs assessed"), default=list, blank=True)
    health_coverage = models.CharField(
        _("health coverage"), max_length=8, choices=HealthCoverage.choices, blank=True
    )
    actions = models.JSONField(_("actions"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)

    def __str__(self) -> str:
        return f"social {self.encounter_id}"


class LegalDetails(models.Model):
    ACCESS_CATEGORY = Category.LEGAL_PROTECTION

    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, primary_key=True, related_name="legal"
    )
    procedure = models.CharField(
        _("procedure"), max_length=24, choices=Procedure.choices, blank=True
    )
    actions = models.JSONField(_("actions"), default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=14, choices=Decision.choices, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    # Violence documentation for advocacy
    violence_types = EncryptedJSONField(_("violence documented"), default=list, blank=True)
    perpetrator_type = models.CharField(
        _("perpetrator"), max_length=16, choices=PerpetratorType.choices, blank=True
    )
    violence_place = EncryptedTextField(_("where"), max_length=120, blank=True)
    violence_date = models.DateField(_("when"), null=True, blank=True)
    row_key = RowKeyField()

    def __str__(self) -> str:
        return f"legal {self.encounter_id}"


class SVIncident(models.Model):
    """Strictly restricted: shown only to the assigned care team and referents."""

    ACCESS_CATEGORY = Category.SV_INCIDENT

    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, primary_key=True, related_name="sv_incident"
    )
    gbv_type = models.CharField(
        _("type of incident (GBVIMS)"), max_length=24, choices=GBVType.choices
    )
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    hours_to_care = models.PositiveIntegerField(
        _("hours between incident and care"), null=True, blank=True
    )
    location = models.CharField(
        _("where it happened"), max_length=16, choices=IncidentLocation.choices, blank=True
    )
    perpetrator_type = models.CharField(
        _("perpetrator"), max_length=16, choices=PerpetratorType.choices, blank=True
    )
    services_received = EncryptedJSONField(_("services received"), default=list, blank=True)
    narrative = EncryptedTextField(_("account of the incident"), blank=True)
    consent_anonymous_reporting = models.BooleanField(
        _("consents to anonymous reporting"), default=False
    )
    row_key = RowKeyField()

    def __str__(self) -> str:
        return f"incident {self.encounter_id}"


class ActivityDetails(models.Model):
    """Outreach rounds, shelter stays and day-centre attendance."""

    ACCESS_CATEGORY = Category.ACTIVITY

    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, primary_key=True, related_name="activity_details"
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    services = models.JSONField(_("services given"), default=list, blank=True)
    admitted_on = models.DateField(_("admission"), null=True, blank=True)
    discharged_on = models.DateField(_("discharge"), null=True, blank=True)
    nights = models.PositiveSmallIntegerField(_("nights"), null=True, blank=True)

    def __str__(self) -> str:
        return f"activity {self.encounter_id}"


class Tally(models.Model):
    """People met without registering them, counted by sex and age group."""

    ACCESS_CATEGORY = Category.ACTIVITY

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="tallies")
    sex = models.CharField(max_length=8)
    age_group = models.CharField(max_length=8)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["encounter", "sex", "age_group"], name="tally_once")
        ]

    def __str__(self) -> str:
        return f"{self.sex}/{self.age_group}: {self.count}"


class LinkedPerson(models.Model):
    """Registered persons met during an outreach round."""

    ACCESS_CATEGORY = Category.ACTIVITY

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="linked")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["encounter", "person"], name="linked_once")]

    def __str__(self) -> str:
        return f"{self.encounter_id} ↔ {self.person_id}"


# The clinical summary's tables live in their own module; imported here so
# that they belong to this app and ``care.models.<Name>`` keeps working.
from parcours.care.summary_models import (  # noqa: E402
    Allergy,
    ChronicCondition,
    Pregnancy,
    PregnancyStatus,
    Severity,
    SummaryItem,
    Treatment,
    Vaccination,
)

__all__ = [
    "Allergy",
    "ChronicCondition",
    "Pregnancy",
    "PregnancyStatus",
    "Severity",
    "SummaryItem",
    "Treatment",
    "Vaccination",
]
