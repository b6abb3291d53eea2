"""The data-quality checks, each declared once.

A check says what it looks at (persons seen in the month, or encounters of
the month, of some disciplines), the category of information those records
belong to (who may count its findings, who may list them), and how to narrow
the records it looks at to the findings: a filter computed in the database.
Only the suspected-duplicates check needs name matching in memory
(``people.duplicates.compute_pairs``, cached per project until a person,
a name key or an enrolment changes); its findings are then filtered in the
database like the others.

To add a check: declare it below and add it to ``CHECKS``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.care.choices import Discipline
from parcours.care.models import Encounter, SVIncident
from parcours.care.validation import RANGES
from parcours.people.models import Sex


class Kind:
    COMPLETENESS = "completeness"
    TIMELINESS = "timeliness"
    DUPLICATES = "duplicates"
    IMPOSSIBLE = "impossible"
    CONTRADICTION = "contradiction"


KIND_LABELS = {
    Kind.COMPLETENESS: _("Completeness"),
    Kind.TIMELINESS: _("Timeliness"),
    Kind.DUPLICATES: _("Suspected duplicates"),
    Kind.IMPOSSIBLE: _("Impossible values"),
    Kind.CONTRADICTION: _("Contradictions"),
}

PERSON, ENCOUNTER = "person", "encounter"
# An incident more than this many calendar days before the care date is more
# than 72 hours before it, whatever the hours (dates have no time).
DAYS_BEYOND_72_HOURS = 3


def late_entry_days() -> int:
    return settings.PARCOURS_DATA_QUALITY_LATE_DAYS


@dataclass(frozen=True)
class Context:
    """What a check needs besides its records: the project (duplicates)."""

    project_id: int


@dataclass(frozen=True)
class Check:
    code: str
    label: object  # lazy text
    kind: str
    subject: str  # PERSON or ENCOUNTER
    # The category of the records looked at; None: each encounter's own
    # discipline category (checks over every discipline).
    category: Category | None
    # Narrows the records looked at (the checked base) to the findings.
    flagged: Callable[[QuerySet, Context], QuerySet]
    # Encounter checks: the disciplines looked at (None: all).
    disciplines: tuple[str, ...] | None = None
    # For who counts this check's category without seeing it (aggregate
    # only): the findings that may be counted (sexual violence: consent to
    # anonymous reporting).
    counted_without_view: Q | None = None
    help: object = ""


def _local_day(field: str):
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _out_of(field: str) -> Q:
    low, high = RANGES[field]
    return Q(**{f"medical__{field}__lt": low}) | Q(**{f"medical__{field}__gt": high})


def _incident_long_before(person_ref: str, day_ref: str):
    """An SV incident of the same person dated more than 72 hours before the day."""
    plus = ExpressionWrapper(
        F("incident_date") + timedelta(days=DAYS_BEYOND_72_HOURS), output_field=DateField()
    )
    return (
        SVIncident.objects.filter(
            encounter__person=OuterRef(person_ref), incident_date__isnull=False
        )
        .alias(plus=plus)
        .filter(plus__lt=OuterRef(day_ref))
    )


def _pep_after_72_hours(records, context):
    return (
        records.filter(
            medical__sv_care=True,
            medical__pep_given=True,
            medical__hours_since_incident__lte=72,
        )
        .alias(day=_local_day("occurred_at"))
        .filter(Exists(_incident_long_before("person_id", "day")))
    )


def _sv_hours_to_care(records, context):
    plus = ExpressionWrapper(
        F("sv_incident__incident_date") + timedelta(days=DAYS_BEYOND_72_HOURS),
        output_field=DateField(),
    )
    return (
        records.filter(sv_incident__hours_to_care__lte=72, sv_incident__incident_date__isnull=False)
        .alias(day=_local_day("occurred_at"), plus=plus)
        .filter(plus__lt=F("day"))
    )


def _follow_up_before_first(records, context):
    later_first = Encounter.objects.filter(
        person=OuterRef("person_id"),
        discipline=OuterRef("discipline"),
        is_first_visit=True,
        occurred_at__gt=OuterRef("occurred_at"),
    )
    return records.filter(person__isnull=False, is_first_visit=False).filter(Exists(later_first))


def _late_entry(records, context):
    return records.filter(created_at__gt=F("occurred_at") + timedelta(days=late_entry_days()))


def _born_after(records, context):
    return records.filter(person__birth_date__isnull=False).filter(
        person__birth_date__gt=_local_day("occurred_at")
    )


def _duplicates(records, context):
    from parcours.quality.duplicates import persons_in_pairs

    return records.filter(pk__in=persons_in_pairs(context.project_id))


_PEP_CONSENTED = Exists(
    SVIncident.objects.filter(
        encounter__person=OuterRef("person_id"), consent_anonymous_reporting=True
    )
)


def _person_missing(code: str, label, help, **missing) -> Check:
    """A completeness check on the persons seen in the month."""
    return Check(
        code=code,
        label=label,
        kind=Kind.COMPLETENESS,
        subject=PERSON,
        category=Category.IDENTITY,
        flagged=lambda records, context: records.filter(**missing),
        help=help,
    )


def _medical(code: str, label, kind: str, condition: Q, help="") -> Check:
    """A check on the medical consultations of the month."""
    return Check(
        code=code,
        label=label,
        kind=kind,
        subject=ENCOUNTER,
        category=Category.MEDICAL,
        disciplines=(Discipline.MEDICAL,),
        flagged=lambda records, context: records.filter(condition),
        help=help,
    )


CHECKS: tuple[Check, ...] = (
    _person_missing(
        "person_sex",
        _("Sex not recorded"),
        _("Persons seen in the month whose sex is unknown."),
        sex__in=[Sex.UNKNOWN, ""],
    ),
    _person_missing(
        "person_birth_date",
        _("Date of birth not recorded"),
        _("Persons seen in the month without a date of birth (age groups need it)."),
        birth_date__isnull=True,
    ),
    _person_missing(
        "person_nationality",
        _("Nationality not recorded"),
        _("Persons seen in the month without a nationality."),
        nationality="",
    ),
    _medical(
        "medical_morbidity",
        _("Medical consultation without a morbidity"),
        Kind.COMPLETENESS,
        Q(medical__isnull=True) | Q(medical__morbidity=""),
        _("The main morbidity is what the morbidity indicators count."),
    ),
    Check(
        code="late_entry",
        label=_("Entered late"),
        kind=Kind.TIMELINESS,
        subject=ENCOUNTER,
        category=None,
        flagged=_late_entry,
        help=_("Encounters entered more days after they happened than the setting allows."),
    ),
    Check(
        code="suspected_duplicate",
        label=_("Suspected duplicate not merged"),
        kind=Kind.DUPLICATES,
        subject=PERSON,
        category=Category.IDENTITY,
        flagged=_duplicates,
        help=_("Persons seen in the month who may be the same person as another record."),
    ),
    _medical(
        "gestational_age",
        _("Gestational age over 45 weeks"),
        Kind.IMPOSSIBLE,
        Q(medical__gestational_age_weeks__gt=45),
    ),
    _medical(
        "pulse",
        _("Pulse out of range"),
        Kind.IMPOSSIBLE,
        _out_of("pulse_bpm"),
        _("Below %(low)s or above %(high)s per minute.")
        % {"low": RANGES["pulse_bpm"][0], "high": RANGES["pulse_bpm"][1]},
    ),
    _medical(
        "temperature",
        _("Temperature out of range"),
        Kind.IMPOSSIBLE,
        _out_of("temperature_c"),
        _("Below %(low)s °C or above %(high)s °C.")
        % {"low": RANGES["temperature_c"][0], "high": RANGES["temperature_c"][1]},
    ),
    Check(
        code="born_after_encounter",
        label=_("Date of birth after the encounter"),
        kind=Kind.IMPOSSIBLE,
        subject=ENCOUNTER,
        category=None,
        flagged=_born_after,
    ),
    _medical(
        "pregnant_male",
        _("Pregnancy on a male record"),
        Kind.CONTRADICTION,
        Q(medical__pregnant=True, person__sex=Sex.MALE),
    ),
    Check(
        code="pep_after_72h",
        label=_("PEP “within 72 h” more than 72 h after the incident"),
        kind=Kind.CONTRADICTION,
        subject=ENCOUNTER,
        # It reads the incident's date: counted and listed as the incident is.
        category=Category.SV_INCIDENT,
        disciplines=(Discipline.MEDICAL,),
        flagged=_pep_after_72_hours,
        counted_without_view=Q(_PEP_CONSENTED),
        help=_(
            "Care after sexual violence recorded as within 72 hours with PEP given, "
            "while the incident's date is more than 72 hours before."
        ),
    ),
    Check(
        code="sv_hours_to_care",
        label=_("Incident: “within 72 h” contradicts its date"),
        kind=Kind.CONTRADICTION,
        subject=ENCOUNTER,
        category=Category.SV_INCIDENT,
        disciplines=(Discipline.SV_INCIDENT,),
        flagged=_sv_hours_to_care,
        counted_without_view=Q(sv_incident__consent_anonymous_reporting=True),
    ),
    Check(
        code="follow_up_before_first",
        label=_("Follow-up before the first visit"),
        kind=Kind.CONTRADICTION,
        subject=ENCOUNTER,
        category=None,
        flagged=_follow_up_before_first,
        help=_("A follow-up dated before the person's first visit of the same discipline."),
    ),
)

CHECKS_BY_CODE = {check.code: check for check in CHECKS}
