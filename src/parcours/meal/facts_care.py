"""The facts of the care records (issue 3): one declaration per discipline.

Each fact counts encounters of one discipline (or rows that point to them)
and may be filtered only on that discipline's structured fields, plus the
fields every encounter has (first visit, interpreter).
"""

from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.agenda.models import Appointment
from parcours.agenda.models import Status as AppointmentStatus
from parcours.care import choices as c
from parcours.care.models import Encounter, LinkedPerson, Tally
from parcours.meal.facts import (
    DIMENSIONS,
    Fact,
    Field,
    Part,
    age_group_expression,
    encounter_part,
    minor_adult_expression,
    register,
)

D = c.Discipline
ALL_DIMENSIONS = tuple(DIMENSIONS)


def _encounters(discipline):
    def base():
        return Encounter.objects.filter(discipline=discipline)

    return base


COMMON = (
    Field("is_first_visit", "is_first_visit", _("first visit"), "bool"),
    Field(
        "interpreter_mode",
        "interpreter_mode",
        _("interpreter"),
        "choice",
        tuple(c.InterpreterMode.choices),
    ),
)


def _encounter_fact(code, label, discipline, fields=(), base=None):
    return register(
        Fact(
            code=code,
            label=label,
            category=c.DISCIPLINE_CATEGORY[discipline],
            discipline=discipline,
            parts=(encounter_part("care.Encounter", base or _encounters(discipline)),),
            fields=COMMON + tuple(fields),
            dimensions=ALL_DIMENSIONS,
        )
    )


M = "medical__"
MEDICAL = _encounter_fact(
    "medical",
    _("Medical consultations"),
    D.MEDICAL,
    (
        Field(
            "morbidity", M + "morbidity", _("main morbidity"), "choice", tuple(c.Morbidity.choices)
        ),
        Field("pregnant", M + "pregnant", _("pregnant"), "bool"),
        Field(
            "gestational_age_weeks",
            M + "gestational_age_weeks",
            _("gestational age (weeks)"),
            "int",
        ),
        Field(
            "antenatal_visit_number",
            M + "antenatal_visit_number",
            _("antenatal visit number"),
            "int",
        ),
        Field(
            "contraception",
            M + "contraception",
            _("contraception given"),
            "choice",
            tuple(c.Contraception.choices),
        ),
        Field("sti_treated", M + "sti_treated", _("STI treated"), "bool"),
        Field(
            "safe_abortion_care",
            M + "safe_abortion_care",
            _("safe abortion care"),
            "choice",
            tuple(c.SafeAbortionCare.choices),
        ),
        Field("sv_care", M + "sv_care", _("care after sexual violence"), "bool"),
        Field(
            "hours_since_incident", M + "hours_since_incident", _("hours since the incident"), "int"
        ),
        Field("pep_given", M + "pep_given", _("PEP given"), "bool"),
        Field(
            "emergency_contraception_given",
            M + "emergency_contraception_given",
            _("emergency contraception given"),
            "bool",
        ),
        Field(
            "certificate_issued", M + "certificate_issued", _("medical certificate issued"), "bool"
        ),
        Field("treatment_days", M + "treatment_days", _("treatment duration (days)"), "int"),
    ),
)

H = "mental_health__"
MENTAL_HEALTH = _encounter_fact(
    "mental_health",
    _("Mental-health sessions"),
    D.MENTAL_HEALTH,
    (
        Field(
            "session_type", H + "session_type", _("session"), "choice", tuple(c.SessionType.choices)
        ),
        Field("cgi_severity", H + "cgi_severity", _("CGI severity (1–7)"), "int"),
        Field("cgi_improvement", H + "cgi_improvement", _("CGI improvement (1–7)"), "int"),
        Field(
            "risk_level",
            H + "risk_level",
            _("risk assessment"),
            "choice",
            tuple(c.RiskLevel.choices),
        ),
        Field("closes_follow_up", H + "closes_follow_up", _("last session (closure)"), "bool"),
    ),
)

SOCIAL = _encounter_fact(
    "social",
    _("Social consultations"),
    D.SOCIAL,
    (
        Field(
            "health_coverage",
            "social__health_coverage",
            _("health coverage"),
            "choice",
            tuple(c.HealthCoverage.choices),
        ),
    ),
)

L = "legal__"
LEGAL = _encounter_fact(
    "legal",
    _("Legal / protection consultations"),
    D.LEGAL_PROTECTION,
    (
        Field("procedure", L + "procedure", _("procedure"), "choice", tuple(c.Procedure.choices)),
        Field("decision", L + "decision", _("decision"), "choice", tuple(c.Decision.choices)),
        Field(
            "perpetrator_type",
            L + "perpetrator_type",
            _("perpetrator"),
            "choice",
            tuple(c.PerpetratorType.choices),
        ),
    ),
)


def _consented_incidents():
    # Sexual-violence incidents count only when the person consented to
    # anonymous reporting: for every reader, in every figure.
    return Encounter.objects.filter(
        discipline=D.SV_INCIDENT, sv_incident__consent_anonymous_reporting=True
    )


S = "sv_incident__"
SV_INCIDENT = _encounter_fact(
    "sv_incident",
    _("Sexual-violence incidents (consented to anonymous reporting)"),
    D.SV_INCIDENT,
    (
        Field(
            "gbv_type",
            S + "gbv_type",
            _("type of incident (GBVIMS)"),
            "choice",
            tuple(c.GBVType.choices),
        ),
        Field(
            "location",
            S + "location",
            _("where it happened"),
            "choice",
            tuple(c.IncidentLocation.choices),
        ),
        Field(
            "perpetrator_type",
            S + "perpetrator_type",
            _("perpetrator"),
            "choice",
            tuple(c.PerpetratorType.choices),
        ),
        Field("hours_to_care", S + "hours_to_care", _("hours between incident and care"), "int"),
    ),
    base=_consented_incidents,
)

A = "activity_details__"
OUTREACH = _encounter_fact("outreach", _("Outreach rounds"), D.OUTREACH)
DAY_CENTRE = _encounter_fact("day_centre", _("Day-centre attendances"), D.DAY_CENTRE)
SHELTER = _encounter_fact(
    "shelter",
    _("Shelter stays"),
    D.SHELTER,
    (Field("nights", A + "nights", _("nights"), "int"),),
)


# --- anonymous tallies: people met without registering them --------------------

# Tallies are counted in the registry's age groups; the engine's groups
# are finer for children. 5–14 straddles two of them and stays its own cell.
_TALLY_AGE = {
    "0-4": "0-4",
    "5-14": "5-14",
    "15-17": "12-17",
    "18-24": "18-59",
    "25-59": "18-59",
    "60+": "60+",
}
_TALLY_MINOR = {"0-4": "minor", "5-14": "minor", "15-17": "minor"}


def _tally_age_group(window=None):
    return Case(
        *[When(age_group=code, then=Value(group)) for code, group in _TALLY_AGE.items()],
        default=Value("unknown"),
        output_field=CharField(),
    )


def _tally_minor_adult(window=None):
    return Case(
        *[When(age_group=code, then=Value(split)) for code, split in _TALLY_MINOR.items()],
        When(age_group__in=["18-24", "25-59", "60+"], then=Value("adult")),
        default=Value("unknown"),
        output_field=CharField(),
    )


def _tally_part(discipline) -> Part:
    return Part(
        model="care.Tally",
        base=lambda: Tally.objects.filter(encounter__discipline=discipline),
        date="encounter__occurred_at",
        project="encounter__project",
        site="encounter__site",
        person=None,
        weight="count",
        prefix="encounter__",
        dimensions={
            "sex": "sex",
            "age_group": _tally_age_group,
            "minor_adult": _tally_minor_adult,
            "site": "encounter__site__name",
            "activity": "encounter__activity__code",
            "discipline": "encounter__discipline",
        },
    )


def _linked_part(discipline) -> Part:
    return encounter_part(
        "care.LinkedPerson",
        lambda: LinkedPerson.objects.filter(encounter__discipline=discipline),
        prefix="encounter__",
        person="person",
        person_path="person",
    )


def _contacts_fact(code, label, discipline):
    return register(
        Fact(
            code=code,
            label=label,
            category=Category.ACTIVITY,
            discipline=discipline,
            parts=(
                encounter_part(
                    "care.Encounter",
                    lambda: Encounter.objects.filter(discipline=discipline, person__isnull=False),
                ),
                _linked_part(discipline),
                _tally_part(discipline),
            ),
            dimensions=("sex", "age_group", "minor_adult", "site", "activity", "discipline"),
        )
    )


OUTREACH_CONTACTS = _contacts_fact(
    "outreach_contacts", _("People met in outreach (tallies included)"), D.OUTREACH
)
DAY_CENTRE_CONTACTS = _contacts_fact(
    "day_centre_contacts", _("Day-centre visits (tallies included)"), D.DAY_CENTRE
)


# --- appointments ------------------------------------------------------------------

APPOINTMENTS = register(
    Fact(
        code="appointments",
        label=_("Appointments"),
        # An appointment's slot (who, when, which discipline, status) is what
        # the identity category covers; its reason is never counted.
        category=Category.IDENTITY,
        discipline="agenda",
        parts=(
            Part(
                model="agenda.Appointment",
                base=lambda: Appointment.objects.all(),
                date="starts_at",
                project="project",
                site="site",
                person="person",
                dimensions={
                    "sex": "person__sex",
                    "age_group": lambda window: age_group_expression(
                        "person__birth_date", "starts_at", window
                    ),
                    "minor_adult": lambda window: minor_adult_expression(
                        "person__birth_date", "starts_at", window
                    ),
                    "nationality": "person__nationality",
                    "site": "site__name",
                    "discipline": "discipline",
                },
            ),
        ),
        fields=(
            Field("status", "status", _("status"), "choice", tuple(AppointmentStatus.choices)),
            Field("discipline", "discipline", _("discipline"), "choice", tuple(D.choices)),
        ),
        dimensions=("sex", "age_group", "minor_adult", "nationality", "site", "discipline"),
    )
)
