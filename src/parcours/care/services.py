"""The only way to write encounters: validated, access-checked, audited."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext as _

from parcours.access.records import may_edit_encounter
from parcours.access.scope import may, person_projects, visible_persons, works_with
from parcours.access.services import care_assign_recorder
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.care import models as m
from parcours.care.choices import DISCIPLINE_CATEGORY, TALLY_DISCIPLINES, Discipline
from parcours.care.icd10 import icd10_label
from parcours.care.signals import encounter_recorded, encounter_updated
from parcours.care.summary_services import encounter_snapshot, summary_from_encounter
from parcours.care.validation import COMMON_FIELDS, clean_encounter, with_shelter_nights
from parcours.people.models import Person

DETAILS_MODEL = {
    Discipline.MEDICAL: m.MedicalDetails,
    Discipline.MENTAL_HEALTH: m.MentalHealthDetails,
    Discipline.SOCIAL: m.SocialDetails,
    Discipline.LEGAL_PROTECTION: m.LegalDetails,
    Discipline.SV_INCIDENT: m.SVIncident,
    Discipline.OUTREACH: m.ActivityDetails,
    Discipline.SHELTER: m.ActivityDetails,
    Discipline.DAY_CENTRE: m.ActivityDetails,
}
EXTRA_FIELDS = {
    Discipline.MEDICAL: {"diagnoses"},
    Discipline.OUTREACH: {"tallies", "linked_persons"},
    Discipline.DAY_CENTRE: {"tallies"},
}


class StaleEncounter(Exception):
    def __init__(self, encounter):
        super().__init__(f"encounter {encounter.pk} is at version {encounter.version}")
        self.encounter = encounter


def detail_fields(discipline: str) -> set[str]:
    model = DETAILS_MODEL[discipline]
    # Not the link, nor the row key of encrypted values (not editable).
    names = {f.name for f in model._meta.concrete_fields if f.name != "encounter" and f.editable}
    return names | EXTRA_FIELDS.get(discipline, set())


def _check_discipline(discipline: str) -> Category:
    if discipline not in Discipline.values:
        raise ValidationError(
            {"discipline": [_("Unknown discipline “%(d)s”.") % {"d": discipline}]}
        )
    return DISCIPLINE_CATEGORY[Discipline(discipline)]


def derive_first_visits(person: Person, discipline: str) -> list[int]:
    """First visit = the person's earliest encounter of the discipline; any
    back-dated entry moves the flag, so it is recomputed on every write.
    Returns the encounters whose flag changed (written in bulk, without
    model signals: the receivers of ``encounter_recorded`` are told)."""
    encounters = m.Encounter.objects.filter(person=person, discipline=discipline)
    first = encounters.order_by("occurred_at", "id").values_list("pk", flat=True).first()
    wrong = list(
        encounters.filter(
            (Q(is_first_visit=True) & ~Q(pk=first)) | Q(pk=first, is_first_visit=False)
        ).values_list("pk", flat=True)
    )
    if wrong:
        encounters.filter(pk__in=wrong).update(
            is_first_visit=Case(When(pk=first, then=Value(True)), default=Value(False))
        )
    return wrong


def derive_first_visits_of(pairs: set[tuple[int, str]]) -> None:
    """derive_first_visits for many (person id, discipline) pairs in a few
    queries: what an import of thousands of encounters needs."""
    pairs = {pair for pair in pairs if pair[0]}
    person_ids = sorted({person for person, _d in pairs})
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        rows = (
            m.Encounter.objects.filter(person_id__in=chunk, discipline__in={d for _p, d in pairs})
            .order_by("person_id", "discipline", "occurred_at", "id")
            .values_list("pk", "person_id", "discipline", "is_first_visit")
        )
        seen: set[tuple[int, str]] = set()
        first, not_first = [], []
        for pk, person, discipline, flag in rows:
            if (person, discipline) not in pairs:
                continue
            is_first = (person, discipline) not in seen
            seen.add((person, discipline))
            if is_first and not flag:
                first.append(pk)
            elif flag and not is_first:
                not_first.append(pk)
        m.Encounter.objects.filter(pk__in=not_first).update(is_first_visit=False)
        m.Encounter.objects.filter(pk__in=first).update(is_first_visit=True)


def _save_details(encounter, discipline: str, details: dict) -> None:
    model = DETAILS_MODEL[discipline]
    plain = {k: v for k, v in details.items() if k not in EXTRA_FIELDS.get(discipline, set())}
    if discipline == Discipline.SHELTER:
        plain = with_shelter_nights(plain)
    row = model.objects.filter(encounter=encounter).first() or model(encounter=encounter)
    for field, value in plain.items():
        setattr(row, field, value)
    if discipline == Discipline.SV_INCIDENT and not row.gbv_type:
        raise ValidationError({"gbv_type": [_("Choose the type of incident.")]})
    # A new row is inserted at once (no UPDATE that finds nothing first).
    row.save(force_insert=row._state.adding)
    if "diagnoses" in details:
        m.Diagnosis.objects.filter(encounter=encounter).delete()
        m.Diagnosis.objects.bulk_create(
            [
                m.Diagnosis(encounter=encounter, icd10=code, label=icd10_label(code) or "")
                for code in details["diagnoses"]
            ]
        )
    if "tallies" in details:
        m.Tally.objects.filter(encounter=encounter).delete()
        m.Tally.objects.bulk_create(
            [m.Tally(encounter=encounter, **row) for row in details["tallies"]]
        )


def _link_persons(actor, encounter, person_ids) -> None:
    ids = {int(pid) for pid in person_ids or []}
    found = set(visible_persons(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise ValidationError(
            {"linked_persons": [_("Some linked persons do not exist or are not visible to you.")]}
        )
    m.LinkedPerson.objects.bulk_create(
        [m.LinkedPerson(encounter=encounter, person_id=pid) for pid in sorted(ids)]
    )


@transaction.atomic
def encounter_record(
    *,
    actor,
    discipline: str,
    site,
    data: dict,
    details: dict | None = None,
    person: Person | None = None,
    activity=None,
    now: datetime | None = None,
    appointment=None,
) -> m.Encounter:
    """Record an encounter. ``appointment``: the id of the appointment it was
    recorded from, passed on untouched to the receivers of ``encounter_recorded``
    (the agenda closes it and books the follow-up date)."""
    category = _check_discipline(discipline)
    project = site.project
    if not may(actor, Action.CREATE, category, project.pk):
        raise PermissionDenied(
            _("Your role may not record this kind of encounter in this project.")
        )
    if not project.accepts_new_records:
        raise ValidationError(
            {"site": [_("This project is not open: nothing can be recorded in it.")]}
        )
    if not site.is_active:
        raise ValidationError({"site": [_("This site is no longer in use.")]})
    if person is None and discipline not in TALLY_DISCIPLINES:
        raise ValidationError({"person": [_("Choose the person this encounter is about.")]})
    if person is not None and not works_with(actor, person):
        raise PermissionDenied(_("You may not record encounters for this person."))
    if person is not None and project.pk not in person_projects(person):
        # Enrolment is an explicit act of someone of the project, never a side
        # effect: it would open the person's identity to all that project's staff.
        raise ValidationError(
            {
                "site": [
                    _(
                        "This person is not followed in the project of this site. Someone of "
                        "that project must first enrol them from their record."
                    )
                ]
            }
        )
    if person is not None and person.merged_into_id:
        raise ValidationError({"person": [_("This record was merged into another one.")]})
    if activity is not None and not site.activity_types.filter(pk=activity.pk).exists():
        raise ValidationError({"activity": [_("This activity is not run at this site.")]})
    common, cleaned_details = clean_encounter(
        data, details or {}, person=person, allowed_fields=detail_fields(discipline), now=now
    )
    encounter = m.Encounter.objects.create(
        discipline=discipline,
        person=person,
        project=project,
        site=site,
        activity=activity,
        author=actor,
        **{f: common.get(f) for f in COMMON_FIELDS if f in common},
    )
    _save_details(encounter, discipline, cleaned_details)
    if "linked_persons" in cleaned_details:
        _link_persons(actor, encounter, cleaned_details["linked_persons"])
    renumbered = []
    if person is not None:
        renumbered = derive_first_visits(person, discipline)
        if discipline == Discipline.SV_INCIDENT:
            care_assign_recorder(actor=actor, person=person, project=project)
    encounter.refresh_from_db()
    summary_from_encounter(actor=actor, encounter=encounter)
    audit.record(
        actor=actor,
        event=Event.ENCOUNTER_RECORD,
        subject=encounter,
        project=project,
        # Content stays out of the audit trail: it is read by other roles.
        extra={
            "discipline": discipline,
            "person": person.pk if person else None,
            "fields": sorted(k for k, v in cleaned_details.items() if v not in (None, "", [])),
        },
    )
    encounter_recorded.send(
        sender=m.Encounter,
        encounter=encounter,
        actor=actor,
        appointment=appointment,
        renumbered=renumbered,
    )
    return encounter


@transaction.atomic
def encounter_update(
    *,
    actor,
    encounter_id: int,
    version: int,
    data: dict,
    details: dict | None = None,
    now: datetime | None = None,
) -> m.Encounter:
    """Complete or correct an encounter: its author, or a referent of the discipline."""
    encounter = m.Encounter.objects.select_for_update(no_key=True).get(pk=encounter_id)
    if not may_edit_encounter(actor, encounter):
        raise PermissionDenied(_("Only the author (or a referent) may change this encounter."))
    if encounter.version != version:
        raise StaleEncounter(encounter)
    summary_before = encounter_snapshot(encounter)
    common, cleaned_details = clean_encounter(
        {**{f: getattr(encounter, f) for f in COMMON_FIELDS}, **data},
        details or {},
        person=encounter.person,
        allowed_fields=detail_fields(encounter.discipline),
        now=now,
    )
    changed = sorted(f for f in COMMON_FIELDS if f in data and getattr(encounter, f) != common[f])
    for field in COMMON_FIELDS:
        setattr(encounter, field, common[field])
    encounter.version += 1
    encounter.save()
    _save_details(encounter, encounter.discipline, cleaned_details)
    renumbered = []
    if encounter.person_id:
        renumbered = derive_first_visits(encounter.person, encounter.discipline)
    summary_from_encounter(actor=actor, encounter=encounter, before=summary_before)
    audit.record(
        actor=actor,
        event=Event.ENCOUNTER_UPDATE,
        subject=encounter,
        project=encounter.project,
        extra={"fields": changed + sorted(cleaned_details), "version": encounter.version},
    )
    encounter_updated.send(
        sender=m.Encounter,
        encounter=encounter,
        actor=actor,
        changed=changed,
        renumbered=renumbered,
    )
    return encounter


@transaction.atomic
def follow_up_close(*, actor, encounter) -> None:
    if encounter.author_id != actor.pk and not may_edit_encounter(actor, encounter):
        raise PermissionDenied(_("Only the author may close this follow-up."))
    m.Encounter.objects.filter(pk=encounter.pk).update(follow_up_done=True)
    audit.record(
        actor=actor,
        event=Event.ENCOUNTER_FOLLOW_UP_DONE,
        subject=encounter,
        project=encounter.project,
    )
