"""Checks on encounter data, shared by the forms, the API and the imports.

Only what indicators need is required; everything else may be completed
later (data-quality checks find the gaps). Ranges are physiological limits:
a value outside them is a typing error, not a patient.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.care import choices as c
from parcours.care.icd10 import icd10_label
from parcours.lib.languages import language_name
from parcours.people.ages import AGE_GROUPS

# field -> (min, max) inclusive
# The fields every encounter has, whatever its discipline.
COMMON_FIELDS = (
    "occurred_at",
    "interpreter_mode",
    "interpreter_language",
    "team_note",
    "confidential_note",
    "follow_up_on",
)


def with_shelter_nights(details: dict) -> dict:
    """A shelter stay's nights are derived from its dates, never typed."""
    if details.get("admitted_on") and details.get("discharged_on"):
        return {**details, "nights": (details["discharged_on"] - details["admitted_on"]).days}
    return details


RANGES = {
    "temperature_c": (30, 45),
    "pulse_bpm": (20, 250),
    # Blood pressure as a cuff reads it, from a newborn to a hypertensive
    # emergency: a systolic under 50 is a shock no cuff measures (nor a term
    # newborn's, about 60), over 260 is beyond any reading seen in practice; a
    # diastolic under 30 is below a newborn's, over 160 beyond a hypertensive
    # crisis. Outside these, the number is a typing error (a swapped digit, the
    # pulse in the wrong box), never a patient.
    "systolic_mmhg": (50, 260),
    "diastolic_mmhg": (30, 160),
    "respiratory_rate": (5, 80),
    "spo2_percent": (50, 100),
    "weight_kg": (0.5, 250),
    "gestational_age_weeks": (0, 45),
    "antenatal_visit_number": (1, 20),
    "hours_since_incident": (0, 24 * 365 * 50),
    "hours_to_care": (0, 24 * 365 * 50),
    "cgi_severity": (1, 7),
    "cgi_improvement": (1, 7),
    "nights": (0, 366),
    # A prescription's duration, up to ten years (a long-term treatment).
    "treatment_days": (1, 3650),
}
CHOICE_FIELDS = {
    "morbidity": c.Morbidity,
    "contraception": c.Contraception,
    "safe_abortion_care": c.SafeAbortionCare,
    "session_type": c.SessionType,
    "risk_level": c.RiskLevel,
    "health_coverage": c.HealthCoverage,
    "procedure": c.Procedure,
    "decision": c.Decision,
    "perpetrator_type": c.PerpetratorType,
    "gbv_type": c.GBVType,
    "location": c.IncidentLocation,
}
LIST_FIELDS = {
    "symptoms": c.MH_SYMPTOMS,
    "precipitating_events": c.MH_EVENTS,
    "needs": c.SOCIAL_NEEDS,
    "actions": c.SOCIAL_ACTIONS + c.LEGAL_ACTIONS,
    "violence_types": c.VIOLENCE_TYPES,
    "services_received": c.GBV_SERVICES,
    "services": c.ACTIVITY_SERVICES,
}
TEXT_LIMITS = {
    "reason": 255,
    "treatments": 255,
    "treatment_dose": 120,
    "outcome": 255,
    "closure_reason": 120,
    "violence_place": 120,
    "place": 120,
    "narrative": 20000,
}
BOOLEAN_FIELDS = {
    "pregnant",
    "sti_treated",
    "sv_care",
    "pep_given",
    "emergency_contraception_given",
    "certificate_issued",
    "closes_follow_up",
    "consent_anonymous_reporting",
}
DATE_FIELDS = {"decision_date", "violence_date", "incident_date", "admitted_on", "discharged_on"}
CLOCK_SKEW = timedelta(minutes=10)


def clean_common(data: dict, *, person, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    occurred_at = cleaned.get("occurred_at")
    if not isinstance(occurred_at, datetime):
        errors["occurred_at"] = [_("Enter the date and time of the encounter.")]
    else:
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at)
            cleaned["occurred_at"] = occurred_at
        if occurred_at > now + CLOCK_SKEW:
            errors["occurred_at"] = [_("An encounter cannot be in the future.")]
        elif person is not None and person.birth_date and occurred_at.date() < person.birth_date:
            errors["occurred_at"] = [_("This date is before the person's date of birth.")]
    mode = cleaned.get("interpreter_mode") or ""
    if mode not in c.InterpreterMode.values:
        errors["interpreter_mode"] = [_("Unknown kind of interpreting.")]
    language = (cleaned.get("interpreter_language") or "").strip().lower()
    if language and language_name(language) is None:
        errors["interpreter_language"] = [
            _("Unknown language code “%(code)s” (ISO 639).") % {"code": language}
        ]
    cleaned["interpreter_mode"], cleaned["interpreter_language"] = mode, language
    follow_up = cleaned.get("follow_up_on")
    if (
        follow_up is not None
        and isinstance(occurred_at, datetime)
        and follow_up < occurred_at.date()
    ):
        errors["follow_up_on"] = [_("The follow-up date is before the encounter.")]
    for field in ("team_note", "confidential_note"):
        value = (cleaned.get(field) or "").strip()
        if len(value) > 20000:
            errors[field] = [_("At most 20,000 characters.")]
        cleaned[field] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_details(details: dict, *, allowed_fields: set[str]) -> dict:
    """Validate the structured fields present; unknown fields are an error."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for field, value in details.items():
        if field not in allowed_fields:
            errors[field] = [_("Not a field of this kind of encounter.")]
            continue
        if value is None or value == "":
            cleaned[field] = (
                None if field in RANGES or field in DATE_FIELDS or field in BOOLEAN_FIELDS else ""
            )
            continue
        if field in RANGES:
            low, high = RANGES[field]
            try:
                number = float(value)
            except (TypeError, ValueError):
                errors[field] = [_("Enter a number.")]
                continue
            if not low <= number <= high:
                errors[field] = [
                    _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
                ]
                continue
            cleaned[field] = value
        elif field in CHOICE_FIELDS:
            if value not in CHOICE_FIELDS[field].values:
                errors[field] = [_("Unknown value “%(value)s”.") % {"value": value}]
            cleaned[field] = value
        elif field in LIST_FIELDS:
            codes = {code for code, _label in LIST_FIELDS[field]}
            if not isinstance(value, list | tuple) or any(v not in codes for v in value):
                errors[field] = [_("Unknown value in the list.")]
            else:
                cleaned[field] = list(dict.fromkeys(value))
        elif field in BOOLEAN_FIELDS:
            if not isinstance(value, bool):
                errors[field] = [_("Answer yes or no.")]
            cleaned[field] = value
        elif field in DATE_FIELDS:
            if not isinstance(value, date):
                errors[field] = [_("Enter a valid date.")]
            elif value > date.today():
                errors[field] = [_("This date cannot be in the future.")]
            cleaned[field] = value
        elif field in TEXT_LIMITS:
            text = str(value).strip()
            if len(text) > TEXT_LIMITS[field]:
                errors[field] = [_("At most %(n)d characters.") % {"n": TEXT_LIMITS[field]}]
            cleaned[field] = text
        elif field == "diagnoses":
            codes = [str(code).strip().upper() for code in value]
            unknown = [code for code in codes if icd10_label(code) is None]
            if unknown:
                errors[field] = [
                    _("Unknown ICD-10 code(s): %(codes)s.") % {"codes": ", ".join(unknown)}
                ]
            cleaned[field] = list(dict.fromkeys(codes))
        elif field == "chronic_diagnoses":
            codes = value.split(",") if isinstance(value, str) else value
            if not isinstance(codes, list | tuple):
                errors[field] = [_("Give a list of ICD-10 codes.")]
                continue
            codes = [str(code).strip().upper() for code in codes if str(code).strip()]
            unknown = [code for code in codes if icd10_label(code) is None]
            if unknown:
                errors[field] = [
                    _("Unknown ICD-10 code(s): %(codes)s.") % {"codes": ", ".join(unknown)}
                ]
            cleaned[field] = list(dict.fromkeys(codes))
        elif field == "tallies":
            cleaned[field] = _clean_tallies(value, errors)
        elif field == "linked_persons":
            cleaned[field] = value
        else:
            cleaned[field] = value
    systolic, diastolic = cleaned.get("systolic_mmhg"), cleaned.get("diastolic_mmhg")
    if (
        systolic is not None
        and diastolic is not None
        and not {"systolic_mmhg", "diastolic_mmhg"} & errors.keys()
        and float(systolic) <= float(diastolic)
    ):
        errors["diastolic_mmhg"] = [
            _("The diastolic pressure must be lower than the systolic one (%(systolic)s).")
            % {"systolic": systolic}
        ]
    chronic, diagnosed = cleaned.get("chronic_diagnoses"), cleaned.get("diagnoses")
    if chronic and diagnosed is not None and "chronic_diagnoses" not in errors:
        missing = [code for code in chronic if code not in diagnosed]
        if missing:
            errors["chronic_diagnoses"] = [
                _("Mark as chronic only diagnoses of this encounter (not %(codes)s).")
                % {"codes": ", ".join(missing)}
            ]
    if cleaned.get("treatment_days") not in (None, "") and not cleaned.get("treatments", "-"):
        errors["treatment_days"] = [_("A duration is given but no treatment.")]
    admitted, discharged = cleaned.get("admitted_on"), cleaned.get("discharged_on")
    if admitted and discharged and discharged < admitted:
        errors["discharged_on"] = [_("The discharge is before the admission.")]
    if cleaned.get("gestational_age_weeks") not in (None, "") and cleaned.get("pregnant") is False:
        errors["gestational_age_weeks"] = [
            _("A gestational age is given but the person is not pregnant.")
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_encounter(
    data: dict,
    details: dict,
    *,
    person,
    allowed_fields: set[str],
    now: datetime | None = None,
    errors: dict[str, list[str]] | None = None,
) -> tuple[dict, dict]:
    """The common fields and the details, checked together: every error is
    reported at once (with ``errors`` found earlier by the caller, e.g. an
    unknown site), never one after another."""
    errors = {key: list(messages) for key, messages in (errors or {}).items()}
    common, cleaned = {}, {}
    for target, check in (
        ("common", lambda: clean_common(data, person=person, now=now)),
        ("details", lambda: clean_details(details, allowed_fields=allowed_fields)),
    ):
        try:
            result = check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        else:
            if target == "common":
                common = result
            else:
                cleaned = result
    if errors:
        raise ValidationError(errors)
    return common, cleaned


def _clean_tallies(value, errors) -> list[dict]:
    groups = {code for code, *_rest in AGE_GROUPS} | {"unknown"}
    sexes = {code for code, _label in c.TALLY_SEXES}
    rows = []
    if not isinstance(value, list):
        errors["tallies"] = [_("Tallies are a list of {sex, age_group, count}.")]
        return rows
    for row in value:
        try:
            sex, group, count = row["sex"], row["age_group"], int(row["count"])
        except (KeyError, TypeError, ValueError):
            errors["tallies"] = [_("Tallies are a list of {sex, age_group, count}.")]
            return []
        if sex not in sexes or group not in groups or not 0 <= count <= 10000:
            errors["tallies"] = [_("Unknown sex or age group, or a count out of range.")]
            return []
        if count:
            rows.append({"sex": sex, "age_group": group, "count": count})
    return rows
