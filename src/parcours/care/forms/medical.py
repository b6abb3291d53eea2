"""Medical consultations."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.care import choices as c
from parcours.care.choices import Discipline
from parcours.care.forms.base import EncounterForm
from parcours.care.forms.fields import CodeListField, choice, number, text, yes_no_unknown


class CodesTextField(forms.CharField):
    """Codes typed in one box, separated by commas or spaces → a list."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return list(dict.fromkeys(code.upper() for code in re.split(r"[\s,;]+", text) if code))


class MedicalForm(EncounterForm):
    discipline = Discipline.MEDICAL
    details_relation = "medical"
    main = (
        "reason",
        "morbidity",
        "diagnoses",
        "chronic_diagnoses",
        "treatments",
        "treatment_dose",
        "treatment_days",
    )
    sections = (
        (
            "vitals",
            _("Vital signs"),
            (
                "temperature_c",
                "pulse_bpm",
                "systolic_mmhg",
                "diastolic_mmhg",
                "respiratory_rate",
                "spo2_percent",
                "weight_kg",
            ),
        ),
        (
            "womens_health",
            _("Women's health"),
            (
                "pregnant",
                "gestational_age_weeks",
                "antenatal_visit_number",
                "contraception",
                "sti_treated",
                "safe_abortion_care",
            ),
        ),
        (
            "sv_care",
            _("Care after sexual violence"),
            (
                "sv_care",
                "hours_since_incident",
                "pep_given",
                "emergency_contraception_given",
                "certificate_issued",
            ),
        ),
    )
    SV_FIELDS = (
        "hours_since_incident",
        "pep_given",
        "emergency_contraception_given",
        "certificate_issued",
    )

    reason = text(_("Reason for consultation"), 255)
    morbidity = choice(_("Main morbidity (short list)"), c.Morbidity.choices, blank="—")
    diagnoses = CodeListField(label=_("Diagnoses (ICD-10)"), required=False)
    chronic_diagnoses = CodesTextField(
        label=_("Chronic among these diagnoses (ICD-10 codes)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("E.g. E11, I10: they join the person's chronic conditions."),
    )
    treatments = text(_("Treatments dispensed"), 255)
    treatment_dose = text(_("Dose"), 120)
    treatment_days = number("treatment_days", _("Treatment duration (days)"))
    temperature_c = number("temperature_c", _("Temperature (°C)"), decimal=True)
    pulse_bpm = number("pulse_bpm", _("Pulse (/min)"))
    systolic_mmhg = number("systolic_mmhg", _("Systolic BP (mmHg)"))
    diastolic_mmhg = number("diastolic_mmhg", _("Diastolic BP (mmHg)"))
    respiratory_rate = number("respiratory_rate", _("Respiratory rate (/min)"))
    spo2_percent = number("spo2_percent", _("SpO₂ (%)"))
    weight_kg = number("weight_kg", _("Weight (kg)"), decimal=True)
    pregnant = yes_no_unknown(_("Pregnant"))
    gestational_age_weeks = number("gestational_age_weeks", _("Gestational age (weeks)"))
    antenatal_visit_number = number("antenatal_visit_number", _("Antenatal visit number"))
    contraception = choice(_("Contraception given"), c.Contraception.choices)
    sti_treated = forms.BooleanField(label=_("STI treated"), required=False)
    safe_abortion_care = choice(_("Safe abortion care"), c.SafeAbortionCare.choices)
    sv_care = forms.BooleanField(label=_("Care after sexual violence"), required=False)
    hours_since_incident = number("hours_since_incident", _("Hours since the incident"))
    pep_given = yes_no_unknown(_("PEP given (within 72 h)"))
    emergency_contraception_given = yes_no_unknown(_("Emergency contraception given"))
    certificate_issued = yes_no_unknown(_("Medical certificate issued"))

    def open_by_default(self) -> set[str]:
        if self.person is not None and self.person.flags.filter(flag="pregnant").exists():
            return {"womens_health"}
        return set()

    def adjust_details(self, details: dict) -> dict:
        # Filling in the sexual-violence care fields means that care was given.
        if any(details.get(name) is not None for name in self.SV_FIELDS):
            details["sv_care"] = True
        return details

    @classmethod
    def initial_for(cls, encounter) -> dict:
        initial = super().initial_for(encounter)
        initial["diagnoses"] = list(encounter.diagnoses.values_list("icd10", flat=True))
        initial["chronic_diagnoses"] = ", ".join(initial.get("chronic_diagnoses") or [])
        return initial
