"""The only way to write the clinical summary: validated, access-checked, audited.

Items (allergies, chronic conditions, treatments, vaccinations) are added,
edited with the version the writer read (a stale version raises
``StaleItem``: someone changed it meanwhile) and ended, never deleted by
hand. The pregnancy status is one row per person. Medical encounters keep
the summary current through ``summary_from_encounter``. The audit trail
names the item, its kind and the fields changed, never their content (the
trail is read by other roles).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.records import category_write_projects, may_see_category
from parcours.access.scope import may
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.care import models as m
from parcours.care.choices import Discipline
from parcours.care.icd10 import icd10_label
from parcours.care.summary_validation import (
    CLEANERS,
    END_FIELD,
    FIELDS,
    KINDS,
    LIST_KINDS,
    due_date_from,
)
from parcours.org.models import Project

MODELS = {
    "allergy": m.Allergy,
    "condition": m.ChronicCondition,
    "treatment": m.Treatment,
    "vaccination": m.Vaccination,
    "pregnancy": m.Pregnancy,
}

# The kinds of item that end (vaccinations do not).
END_KINDS = tuple(END_FIELD)


class StaleItem(Exception):
    """The item changed since the writer read it."""

    def __init__(self, item):
        super().__init__(f"{item._meta.label} {item.pk} is at version {item.version}")
        self.item = item


def _check_kind(kind: str, kinds=KINDS) -> None:
    if kind not in kinds:
        raise ValidationError({"kind": [_("Unknown kind of item “%(kind)s”.") % {"kind": kind}]})


def _write_project(actor, person) -> Project:
    """The project the write is recorded under: one of the person's where the
    actor may write medical data (the summary itself belongs to the person).
    Refused to anyone else, and to break-glass readers."""
    projects = category_write_projects(actor, person, Category.MEDICAL)
    if not projects or not may_see_category(actor, person, Category.MEDICAL):
        raise PermissionDenied(_("Your role may not change this person's clinical summary."))
    if person.merged_into_id:
        raise ValidationError({"person": [_("This record was merged into another one.")]})
    return Project.objects.get(pk=min(projects))


def _stored(item, kind: str) -> dict:
    return {field: getattr(item, field) for field in FIELDS[kind]}


def _audit(*, actor, event: Event, item, kind: str, project, fields, **extra) -> None:
    audit.record(
        actor=actor,
        event=event,
        subject=item,
        project=project,
        extra={"kind": kind, "person": item.person_id, "fields": sorted(fields), **extra},
    )


@transaction.atomic
def summary_item_create(*, actor, person, kind: str, data: dict):
    """Add an allergy, chronic condition, treatment or vaccination."""
    _check_kind(kind, LIST_KINDS)
    project = _write_project(actor, person)
    cleaned = CLEANERS[kind](data)
    item = MODELS[kind].objects.create(person=person, created_by=actor, **cleaned)
    _audit(
        actor=actor,
        event=Event.CLINICAL_SUMMARY_ADD,
        item=item,
        kind=kind,
        project=project,
        fields=[f for f, v in cleaned.items() if v not in (None, "")],
    )
    return item


def _locked(kind: str, person, item_id):
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        item_id = 0
    item = (
        MODELS[kind]
        .objects.select_for_update(of=("self",))
        .filter(pk=item_id, person=person)
        .first()
    )
    if item is None:
        raise ValidationError({"id": [_("No such item in this person's clinical summary.")]})
    return item


@transaction.atomic
def summary_item_update(*, actor, person, kind: str, item_id, version: int, data: dict):
    """Change an item: only the fields sent; the version is the one read."""
    _check_kind(kind, LIST_KINDS)
    project = _write_project(actor, person)
    item = _locked(kind, person, item_id)
    if item.version != version:
        raise StaleItem(item)
    before = _stored(item, kind)
    cleaned = CLEANERS[kind]({**before, **data})
    changed = [f for f, v in cleaned.items() if getattr(item, f) != v]
    if not changed:
        return item
    for field, value in cleaned.items():
        setattr(item, field, value)
    item.version += 1
    item.save()
    ended = kind in END_FIELD and END_FIELD[kind] in changed and cleaned[END_FIELD[kind]]
    event = Event.CLINICAL_SUMMARY_END if ended else Event.CLINICAL_SUMMARY_EDIT
    _audit(
        actor=actor,
        event=event,
        item=item,
        kind=kind,
        project=project,
        fields=changed,
        version=item.version,
    )
    return item


def summary_item_end(*, actor, person, kind: str, item_id, version: int, on=None):
    """End an item today (or ``on``): a treatment stopped, an allergy no longer
    relevant, a condition resolved."""
    _check_kind(kind, tuple(END_FIELD))
    return summary_item_update(
        actor=actor,
        person=person,
        kind=kind,
        item_id=item_id,
        version=version,
        data={END_FIELD[kind]: on or timezone.localdate()},
    )


@transaction.atomic
def pregnancy_set(*, actor, person, version: int | None, data: dict) -> m.Pregnancy:
    """Set the person's pregnancy status and estimated due date. ``version``:
    the one read, or None when there was none yet."""
    project = _write_project(actor, person)
    row = m.Pregnancy.objects.select_for_update(of=("self",)).filter(person=person).first()
    if (row.version if row else None) != version:
        if row is None:
            raise ValidationError({"version": [_("There is no pregnancy status to change yet.")]})
        raise StaleItem(row)
    before = _stored(row, "pregnancy") if row else {}
    cleaned = CLEANERS["pregnancy"]({**before, **data})
    today = timezone.localdate()
    if row is None:
        row = m.Pregnancy.objects.create(person=person, created_by=actor, as_of=today, **cleaned)
        _audit(
            actor=actor,
            event=Event.CLINICAL_SUMMARY_ADD,
            item=row,
            kind="pregnancy",
            project=project,
            fields=[f for f, v in cleaned.items() if v not in (None, "")],
        )
        return row
    changed = [f for f, v in cleaned.items() if getattr(row, f) != v]
    if not changed:
        return row
    for field, value in cleaned.items():
        setattr(row, field, value)
    row.as_of, row.source_encounter = today, None
    row.version += 1
    row.save()
    _audit(
        actor=actor,
        event=Event.CLINICAL_SUMMARY_EDIT,
        item=row,
        kind="pregnancy",
        project=project,
        fields=changed,
        version=row.version,
    )
    return row


# --- kept current from the encounters ----------------------------------------


def encounter_snapshot(encounter) -> dict | None:
    """What a medical encounter says that the summary follows: taken by
    encounter_update before it changes anything, so that only what the edit
    changed reaches the summary (a treatment stopped by hand is not reopened
    by a correction of the note)."""
    if encounter.discipline != Discipline.MEDICAL or encounter.person_id is None:
        return None
    details = m.MedicalDetails.objects.filter(encounter=encounter).first()
    on = timezone.localdate(encounter.occurred_at)
    if details is None:
        return {"chronic": [], "treatment": None, "pregnancy": None}
    return {
        "chronic": list(details.chronic_diagnoses or []),
        "treatment": (details.treatments, details.treatment_dose, details.treatment_days, on)
        if details.treatments and details.treatment_days
        else None,
        "pregnancy": (details.pregnant, details.gestational_age_weeks, on)
        if details.pregnant is not None
        else None,
    }


def summary_from_encounter(*, actor, encounter, before: dict | None = None) -> None:
    """Bring the summary up to date with a medical encounter just recorded or
    edited: its diagnoses marked chronic join the chronic conditions, a
    treatment prescribed with a duration is current until it ends, and the
    pregnancy status (with the due date from the gestational age) follows the
    latest encounter that says it. ``before``: the encounter_snapshot taken
    before an edit; then only what the edit changed is followed. Called by
    care.services inside its transaction, after its own access check."""
    if encounter.discipline != Discipline.MEDICAL or encounter.person_id is None:
        return
    if not (
        may(actor, Action.CREATE, Category.MEDICAL, encounter.project_id)
        or may(actor, Action.EDIT, Category.MEDICAL, encounter.project_id)
    ):
        raise PermissionDenied(_("Your role may not change this person's clinical summary."))
    details = m.MedicalDetails.objects.filter(encounter=encounter).first()
    if details is None:
        return
    now = encounter_snapshot(encounter)
    before = before or {"chronic": [], "treatment": None, "pregnancy": None}
    on = timezone.localdate(encounter.occurred_at)
    changes = []
    new_codes = [c for c in now["chronic"] if c not in before["chronic"]]
    if new_codes:
        changes += _chronic_from(actor, encounter, new_codes, on)
    if now["treatment"] != before["treatment"]:
        changes += _treatment_from(actor, encounter, details, on)
    if now["pregnancy"] != before["pregnancy"] and now["pregnancy"] is not None:
        changes += _pregnancy_from(actor, encounter, details, on)
    for item, kind, fields in changes:
        _audit(
            actor=actor,
            event=Event.CLINICAL_SUMMARY_FROM_ENCOUNTER,
            item=item,
            kind=kind,
            project=encounter.project,
            fields=fields,
            encounter=encounter.pk,
        )


def _chronic_from(actor, encounter, codes, on):
    known = set(
        m.ChronicCondition.objects.filter(
            person_id=encounter.person_id, icd10__in=codes, resolved_on__isnull=True
        ).values_list("icd10", flat=True)
    )
    added = []
    for code in codes:
        if code in known:
            continue
        item = m.ChronicCondition.objects.create(
            person_id=encounter.person_id,
            created_by=actor,
            source_encounter=encounter,
            icd10=code,
            label=icd10_label(code) or "",
            since=on,
        )
        added.append((item, "condition", ["icd10", "since"]))
    return added


def _treatment_from(actor, encounter, details, on):
    derived = m.Treatment.objects.filter(source_encounter=encounter).first()
    if not (details.treatments and details.treatment_days):
        if derived is None:
            return []
        # The encounter no longer prescribes it: the derived treatment ends
        # on the day of the encounter.
        until = max(min(derived.until or on, on), derived.since)
        if derived.until == until:
            return []
        derived.until = until
        derived.version += 1
        derived.save()
        return [(derived, "treatment", ["until"])]
    values = {
        "name": details.treatments,
        "dose": details.treatment_dose,
        "since": on,
        "until": on + timedelta(days=details.treatment_days - 1),
    }
    if derived is None:
        item = m.Treatment.objects.create(
            person_id=encounter.person_id, created_by=actor, source_encounter=encounter, **values
        )
        return [(item, "treatment", [f for f, v in values.items() if v])]
    changed = [f for f, v in values.items() if getattr(derived, f) != v]
    if not changed:
        return []
    for field, value in values.items():
        setattr(derived, field, value)
    derived.version += 1
    derived.save()
    return [(derived, "treatment", changed)]


def _pregnancy_from(actor, encounter, details, on):
    if details.pregnant is None:
        return []
    row = (
        m.Pregnancy.objects.select_for_update(of=("self",))
        .filter(person_id=encounter.person_id)
        .first()
    )
    if row is not None and row.as_of > on:
        return []  # a back-dated encounter never overrides newer information
    if details.pregnant:
        status = m.PregnancyStatus.PREGNANT
        if details.gestational_age_weeks is not None:
            due = due_date_from(on, details.gestational_age_weeks)
        elif row is not None and row.status == status:
            due = row.due_date
        else:
            due = None
    else:
        status, due = m.PregnancyStatus.NOT_PREGNANT, None
    if row is None:
        row = m.Pregnancy.objects.create(
            person_id=encounter.person_id,
            created_by=actor,
            source_encounter=encounter,
            status=status,
            due_date=due,
            as_of=on,
        )
        return [(row, "pregnancy", ["status", "due_date"] if due else ["status"])]
    changed = [f for f, v in (("status", status), ("due_date", due)) if getattr(row, f) != v]
    row.as_of = on
    if not changed:
        row.save(update_fields=["as_of"])
        return []
    row.status, row.due_date, row.source_encounter = status, due, encounter
    row.version += 1
    row.save()
    return [(row, "pregnancy", changed)]
