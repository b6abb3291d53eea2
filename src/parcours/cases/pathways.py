"""Writing pathways: start, complete steps (from encounters or by hand), close.

Steps complete themselves from the encounters that record them, through
care's ``encounter_recorded`` / ``encounter_updated`` signals (receivers.py,
inside the encounter's transaction), and when a pathway starts, from the
encounters already recorded since its starting event. Nothing is computed
when a page is shown except the time left.
"""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.care.models import Encounter
from parcours.cases import clock
from parcours.cases.definitions import DefinitionError, PathwayDef, StepDef, definition
from parcours.cases.models import Pathway, PathwayStep
from parcours.cases.scopes import sees_pathway, start_projects

CLINICAL_DISCIPLINES = {"medical", "mental_health", "social", "legal_protection", "sv_incident"}
DETAILS = {
    "medical": "medical",
    "mental_health": "mental_health",
    "social": "social",
    "legal_protection": "legal",
}
MAX_GESTATION_WEEKS = 45


class StalePathway(Exception):
    def __init__(self, pathway):
        super().__init__(f"pathway {pathway.pk} is at version {pathway.version}")
        self.pathway = pathway


def incident_time(encounter) -> datetime | None:
    """When the incident happened, from its record: the time of care minus the
    hours between incident and care, else the date of the incident (at
    midnight: the earliest possible time, so that no deadline is late)."""
    incident = getattr(encounter, "sv_incident", None)
    if incident is None:
        return None
    if incident.hours_to_care is not None:
        return encounter.occurred_at.astimezone(UTC) - timedelta(hours=incident.hours_to_care)
    if incident.incident_date is not None:
        return timezone.make_aware(datetime.combine(incident.incident_date, datetime.min.time()))
    return None


def _anchor(pathway, deadline, steps: dict[str, PathwayStep]) -> datetime | None:
    if deadline.anchor == "event":
        return pathway.event_at
    if deadline.anchor == "start":
        return pathway.started_at
    if deadline.anchor == "gestation":
        if pathway.gestational_weeks is None:
            return None
        return pathway.event_at - timedelta(weeks=pathway.gestational_weeks)
    step = steps.get(deadline.after_step)
    return step.done_at if step is not None else None


def schedule(pathway, definition_: PathwayDef, steps: dict[str, PathwayStep]) -> list[PathwayStep]:
    """Set each step's deadline from its anchor; return the steps changed."""
    changed = []
    for step_def in definition_.steps:
        step = steps[step_def.key]
        due = None
        if step_def.deadline is not None:
            anchor = _anchor(pathway, step_def.deadline, steps)
            if anchor is not None:
                due = clock.due_at(step_def.deadline, anchor)
        if step.due_at != due:
            step.due_at = due
            changed.append(step)
    return changed


def matches(step_def: StepDef, encounter) -> bool:
    """Does this encounter record what completes the step?"""
    rule = step_def.completes_when
    if not rule:
        return False
    discipline = rule.get("discipline", "any")
    if discipline == "any":
        if encounter.discipline not in CLINICAL_DISCIPLINES:
            return False
    elif encounter.discipline != discipline:
        return False
    name = rule.get("field")
    if not name:
        return True
    details = getattr(encounter, DETAILS.get(encounter.discipline, "-"), None)
    if details is None:
        return False
    value = getattr(details, name, None)
    if "equals" in rule:
        return value == rule["equals"]
    if "in" in rule:
        return value in rule["in"]
    if rule.get("present"):
        return value not in (None, "", [])
    return bool(value)


def _complete_from(pathway, definition_, steps, encounter, now) -> list[str]:
    done = []
    for step_def in definition_.steps:
        step = steps[step_def.key]
        if step.done_at is None and matches(step_def, encounter):
            step.done_at = encounter.occurred_at
            step.done_by_id = encounter.author_id
            step.encounter = encounter
            step.note = ""
            done.append(step_def.key)
    return done


def _save_progress(pathway, definition_, steps, done_keys, *, actor, source) -> None:
    changed = {s.pk: s for s in (steps[k] for k in done_keys)}
    for step in schedule(pathway, definition_, steps):
        changed[step.pk] = step
    for step in steps.values():
        in_time = None
        if step.done_at is not None and step.due_at is not None:
            in_time = clock.time_left(step.due_at, step.done_at).total_seconds() >= 0
        if step.done_in_time != in_time:
            step.done_in_time = in_time
            changed[step.pk] = step
    for step in changed.values():
        step.save(
            update_fields=["done_at", "done_by", "encounter", "note", "due_at", "done_in_time"]
        )
    if done_keys:
        pathway.version += 1
        pathway.save(update_fields=["version"])
        audit.record(
            actor=actor,
            event=Event.PATHWAY_STEP_DONE,
            subject=pathway,
            project=pathway.project,
            extra={"steps": done_keys, "from_encounter": source},
        )


def pathway_start(
    *,
    actor,
    person,
    kind: str,
    project,
    event_at: datetime,
    source=None,
    gestational_weeks: int | None = None,
    now=None,
) -> Pathway:
    """Start a pathway for ``person`` in ``project`` from its starting event."""
    now = now or timezone.now()
    try:
        definition_ = definition(kind)
    except DefinitionError:
        raise ValidationError({"kind": [_("Choose a pathway of the list.")]}) from None
    if project.pk not in start_projects(actor, person, definition_.category):
        raise PermissionDenied(_("You may not start this pathway for this person here."))
    errors = {}
    if event_at is None or timezone.is_naive(event_at):
        errors["event_at"] = [_("Give the date and time of the starting event.")]
    elif event_at > now + timedelta(minutes=5):
        errors["event_at"] = [_("The starting event cannot be in the future.")]
    if gestational_weeks is not None and not 0 <= gestational_weeks <= MAX_GESTATION_WEEKS:
        errors["gestational_weeks"] = [_("A gestational age is between 0 and 45 weeks.")]
    if source is not None and (source.person_id != person.pk):
        errors["source"] = [_("This encounter is not about this person.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Pathway.objects.filter(person=person, kind=kind, status=Pathway.Status.OPEN).exists():
            raise ValidationError(
                {"kind": [_("This person is already on this pathway: complete or close it first.")]}
            )
        pathway = Pathway.objects.create(
            kind=kind,
            category=definition_.category.value,
            person=person,
            project=project,
            source=source,
            event_at=event_at,
            gestational_weeks=gestational_weeks,
            started_at=now,
            started_by=actor,
        )
        steps = {
            s.key: PathwayStep.objects.create(
                pathway=pathway, category=pathway.category, key=s.key, position=i
            )
            for i, s in enumerate(definition_.steps)
        }
        audit.record(
            actor=actor,
            event=Event.PATHWAY_START,
            subject=pathway,
            project=project,
            extra={"kind": kind, "event_at": event_at.isoformat()},
        )
        # What the record already holds since the event completes its steps.
        done = []
        earlier = (
            Encounter.objects.filter(person=person, occurred_at__gte=event_at)
            .select_related("medical", "mental_health", "social", "legal")
            .order_by("occurred_at", "id")
        )
        for encounter in earlier:
            done += _complete_from(pathway, definition_, steps, encounter, now)
        _save_progress(pathway, definition_, steps, done, actor=actor, source=True)
    return pathway


def complete_from_encounter(encounter, actor) -> None:
    """Called by the receivers of care's encounter signals."""
    if encounter.person_id is None:
        return
    # Read again with its details as saved (an edit saves them apart).
    encounter = Encounter.objects.select_related("medical", "mental_health", "social", "legal").get(
        pk=encounter.pk
    )
    open_pathways = Pathway.objects.filter(
        person_id=encounter.person_id,
        status=Pathway.Status.OPEN,
        event_at__lte=encounter.occurred_at,
    ).select_for_update(of=("self",))
    for pathway in open_pathways:
        try:
            definition_ = definition(pathway.kind)
        except DefinitionError:
            continue
        steps = {s.key: s for s in pathway.steps.all()}
        done = _complete_from(pathway, definition_, steps, encounter, timezone.now())
        if done:
            _save_progress(pathway, definition_, steps, done, actor=actor, source=True)


def step_complete(*, actor, pathway, key: str, note: str, version: int, done_at=None) -> Pathway:
    """Complete a step by hand, with a note (what was done, where)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say what was done (a short note).")]})
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep the note under 500 characters.")]})
    if not sees_pathway(actor, pathway):
        raise PermissionDenied
    now = timezone.now()
    done_at = done_at or now
    if done_at > now + timedelta(minutes=5):
        raise ValidationError({"done_at": [_("A step cannot be completed in the future.")]})
    definition_ = definition(pathway.kind)
    with transaction.atomic():
        locked = Pathway.objects.select_for_update(of=("self",)).get(pk=pathway.pk)
        if locked.version != version:
            raise StalePathway(locked)
        if locked.status != Pathway.Status.OPEN:
            raise ValidationError(_("This pathway is closed."))
        steps = {s.key: s for s in locked.steps.all()}
        step = steps.get(key)
        if step is None or definition_.step(key) is None:
            raise ValidationError({"step": [_("Unknown step.")]})
        if step.done_at is not None:
            raise ValidationError({"step": [_("This step is already completed.")]})
        step.done_at = done_at
        step.done_by = actor
        step.note = note
        locked.person = pathway.person
        _save_progress(locked, definition_, steps, [key], actor=actor, source=False)
    return locked


def pathway_close(*, actor, pathway, note: str, version: int) -> Pathway:
    if not sees_pathway(actor, pathway):
        raise PermissionDenied
    with transaction.atomic():
        locked = Pathway.objects.select_for_update(of=("self",)).get(pk=pathway.pk)
        if locked.version != version:
            raise StalePathway(locked)
        if locked.status == Pathway.Status.CLOSED:
            return locked
        locked.status = Pathway.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.close_note = (note or "").strip()[:255]
        locked.version += 1
        locked.save()
        audit.record(actor=actor, event=Event.PATHWAY_CLOSE, subject=locked, project=locked.project)
    return locked


# --- what pages and the API show ------------------------------------------------


def step_rows(pathway, now=None) -> list[dict]:
    now = now or timezone.now()
    definition_ = definition(pathway.kind)
    steps = {s.key: s for s in pathway.steps.all()}
    rows = []
    for step_def in definition_.steps:
        step = steps.get(step_def.key)
        if step is None:
            continue
        done = step.done_at is not None
        overdue = not done and step.due_at is not None and step.due_at < now
        in_time = None
        if done and step.due_at is not None:
            in_time = step.done_at <= step.due_at
        waiting = ""
        if step.due_at is None and step_def.deadline is not None and not done:
            if step_def.deadline.anchor == "gestation":
                waiting = _("gestational age needed for the deadline")
            elif step_def.deadline.after_step:
                waiting = _("deadline starts when the previous step is done")
        rows.append(
            {
                "key": step_def.key,
                "label": step_def.title,
                "discipline": step_def.discipline,
                "protocol": step_def.protocol,
                "due_at": step.due_at,
                "done_at": step.done_at,
                "done": done,
                "auto": step.encounter_id is not None,
                "note": step.note,
                "overdue": overdue,
                "in_time": in_time,
                "left": "" if done else clock.describe(step.due_at, now),
                "waiting": waiting,
                "manual": not step_def.completes_when,
            }
        )
    return rows
