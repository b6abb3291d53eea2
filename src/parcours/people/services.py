"""The only way to write persons: every function here records an audit event."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.access.records import editable_flags
from parcours.access.scope import forget_person_projects, may, may_on_person, projects_where
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.audit.models import AuditEvent
from parcours.people.models import (
    CONTACT_FIELDS,
    Alias,
    CodeCounter,
    Enrolment,
    Flag,
    Group,
    GroupMember,
    NameKey,
    Person,
    PersonFlag,
)
from parcours.people.names import person_name_keys
from parcours.people.validation import clean_person_data

# Person fields a service may set directly (flags and aliases live in tables).
PERSON_FIELDS = [
    "given_name",
    "family_name",
    "name_original",
    "sex",
    "birth_date",
    "birth_date_precision",
    "minority_appeal",
    "assessed_age",
    "assessed_on",
    "nationality",
    "languages",
    "interpreter_needed",
    "phone",
    "contact_notes",
]


class StaleVersion(Exception):
    """The person changed since the editor read it."""

    def __init__(self, person: Person, changes: dict[str, list[Any]]):
        super().__init__(f"person {person.pk} is at version {person.version}")
        self.person = person
        self.changes = changes


def _snapshot(person: Person) -> dict[str, Any]:
    values = {field: getattr(person, field) for field in PERSON_FIELDS}
    values["nationality"] = str(person.nationality or "")
    values["flags"] = sorted(person.flags.values_list("flag", flat=True)) if person.pk else []
    values["aliases"] = list(person.aliases.values_list("name", flat=True)) if person.pk else []
    return values


def _next_code(project) -> str:
    counter, _created = CodeCounter.objects.select_for_update().get_or_create(project=project)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{project.code}-{counter.last:05d}"


def refresh_name_keys(person: Person) -> None:
    NameKey.objects.filter(person=person).delete()
    keys = person_name_keys(
        person.given_name,
        person.family_name,
        person.name_original,
        person.aliases.values_list("name", flat=True),
    )
    NameKey.objects.bulk_create([NameKey(person=person, key=key) for key in sorted(keys)])


def _set_flags(person: Person, flags: list[str]) -> None:
    PersonFlag.objects.filter(person=person).exclude(flag__in=flags).delete()
    existing = set(person.flags.values_list("flag", flat=True))
    PersonFlag.objects.bulk_create(
        [PersonFlag(person=person, flag=f) for f in flags if f not in existing]
    )


def _set_aliases(person: Person, aliases: list[str]) -> None:
    Alias.objects.filter(person=person).exclude(name__in=aliases).delete()
    existing = set(person.aliases.values_list("name", flat=True))
    Alias.objects.bulk_create([Alias(person=person, name=a) for a in aliases if a not in existing])


def _check_contact_rights(actor, data: dict, project_ids: set[int]) -> None:
    touched = {f for f in CONTACT_FIELDS if data.get(f)}
    if touched and not projects_where(actor, Action.EDIT, Category.CONTACT) & project_ids:
        raise ValidationError(
            {f: [_("Your role may not record contact details.")] for f in touched}
        )


def _check_flag_rights(flags: list[str], editable: set[str]) -> None:
    """A vulnerability flag carries the secret of its category: only who may
    record that category sets or clears it. The same answer whether or not
    the person carries the flag, so that the refusal discloses nothing."""
    refused = [f for f in flags if f not in editable]
    if refused:
        raise ValidationError(
            {
                "flags": [
                    _("Your role may not record these vulnerabilities: %(flags)s.")
                    % {"flags": ", ".join(str(Flag(f).label) for f in refused)}
                ]
            }
        )


@transaction.atomic
def person_create(*, actor, project, data: dict, today: date | None = None) -> Person:
    if not may(actor, Action.CREATE, Category.IDENTITY, project.pk):
        raise PermissionDenied(_("You may not register persons in this project."))
    if not project.accepts_new_records:
        raise ValidationError(
            {"project": [_("This project is not open: nobody can be registered in it.")]}
        )
    cleaned = clean_person_data({"given_name": "", **data}, today=today)
    _check_contact_rights(actor, cleaned, {project.pk})
    _check_flag_rights(cleaned.get("flags", []), editable_flags(actor, project=project))
    person = Person(created_by=actor, **{f: cleaned[f] for f in PERSON_FIELDS if f in cleaned})
    person.save()
    Enrolment.objects.create(person=person, project=project, code=_next_code(project))
    _set_flags(person, cleaned.get("flags", []))
    _set_aliases(person, cleaned.get("aliases", []))
    refresh_name_keys(person)
    audit.record(
        actor=actor,
        event=Event.PERSON_CREATE,
        subject=person,
        project=project,
        changes={
            k: (None, v) for k, v in _snapshot(person).items() if v not in (None, "", [], False)
        },
        extra={"version": person.version},
    )
    return person


def changes_since(person: Person, version: int) -> dict[str, list[Any]]:
    """Field → [value the editor read, value now] for every change after ``version``."""
    events = AuditEvent.objects.filter(
        subject_type=person._meta.label_lower,
        subject_id=str(person.pk),
        event=Event.PERSON_UPDATE,
        extra__version__gt=version,
    ).order_by("at", "id")
    merged: dict[str, list[Any]] = {}
    for event in events:
        for field, (before, after) in event.changes.items():
            merged.setdefault(field, [before, after])[1] = after
    return merged


@transaction.atomic
def person_update(
    *, actor, person_id: int, version: int, data: dict, today: date | None = None
) -> Person:
    """Apply ``data`` if nobody changed the person since ``version`` was read."""
    # FOR NO KEY UPDATE (PostgreSQL; nothing on SQLite): it still serialises
    # the edits of one person, and lets the access-log rows of readers, whose
    # foreign key to the person is checked at their commit while they hold
    # the audit chain's head, go through: a plain FOR UPDATE there and this
    # edit's own audit row waiting for that head deadlocked under load.
    person = Person.objects.select_for_update(no_key=True).get(pk=person_id)
    if not may_on_person(actor, Action.EDIT, Category.IDENTITY, person):
        raise PermissionDenied(_("You may not edit this person."))
    if person.merged_into_id:
        raise ValidationError(_("This record was merged into another one; edit that one instead."))
    if person.version != version:
        raise StaleVersion(person, changes_since(person, version))
    cleaned = clean_person_data(data, today=today)
    project_ids = set(person.enrolments.values_list("project_id", flat=True))
    before = _snapshot(person)
    if any(cleaned.get(f) != before.get(f) for f in CONTACT_FIELDS if f in cleaned):
        _check_contact_rights(actor, {f: True for f in CONTACT_FIELDS if f in cleaned}, project_ids)
    for field in PERSON_FIELDS:
        if field in cleaned:
            setattr(person, field, cleaned[field])
    if "flags" in cleaned:
        # The flags the editor may not see stay as they are.
        editable = editable_flags(actor, person=person)
        _check_flag_rights(cleaned["flags"], editable)
        kept = [f for f in before["flags"] if f not in editable]
        _set_flags(person, sorted({*kept, *cleaned["flags"]}))
    if "aliases" in cleaned:
        _set_aliases(person, cleaned["aliases"])
    after = _snapshot(person)
    changes = audit.diff(before, after)
    if not changes:
        return person
    person.version += 1
    person.save()
    if changes.keys() & {"given_name", "family_name", "name_original", "aliases"}:
        refresh_name_keys(person)
    audit.record(
        actor=actor,
        event=Event.PERSON_UPDATE,
        subject=person,
        project=person.enrolments.first().project,
        changes=changes,
        extra={"version": person.version},
    )
    return person


@transaction.atomic
def person_exit(*, actor, person: Person, exit_date: date, reason: str, note: str = "") -> Person:
    if not may_on_person(actor, Action.EDIT, Category.IDENTITY, person):
        raise PermissionDenied(_("You may not edit this person."))
    cleaned = clean_person_data({"exit_reason": reason})
    errors = {}
    if not reason:
        errors["exit_reason"] = [_("Say why the person leaves the active list.")]
    if exit_date is None:
        errors["exit_date"] = [_("Enter the exit date.")]
    elif exit_date > date.today():
        errors["exit_date"] = [_("The exit date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    person = Person.objects.select_for_update(no_key=True).get(pk=person.pk)
    before = {
        "is_active": person.is_active,
        "exit_date": person.exit_date,
        "exit_reason": person.exit_reason,
        "exit_note": person.exit_note,
    }
    person.is_active = False
    person.exit_date = exit_date
    person.exit_reason = cleaned["exit_reason"]
    person.exit_note = note.strip()[:255]
    person.version += 1
    person.save()
    after = {
        "is_active": False,
        "exit_date": exit_date,
        "exit_reason": person.exit_reason,
        "exit_note": person.exit_note,
    }
    audit.record(
        actor=actor,
        event=Event.PERSON_EXIT,
        subject=person,
        changes=audit.diff(before, after),
        extra={"version": person.version},
    )
    return person


@transaction.atomic
def person_reactivate(*, actor, person: Person) -> Person:
    if not may_on_person(actor, Action.EDIT, Category.IDENTITY, person):
        raise PermissionDenied(_("You may not edit this person."))
    person = Person.objects.select_for_update(no_key=True).get(pk=person.pk)
    if person.is_active:
        return person
    before = {"is_active": False, "exit_date": person.exit_date, "exit_reason": person.exit_reason}
    person.is_active = True
    person.exit_date = None
    person.exit_reason = ""
    person.exit_note = ""
    person.version += 1
    person.save()
    audit.record(
        actor=actor,
        event=Event.PERSON_REACTIVATE,
        subject=person,
        changes=audit.diff(before, {"is_active": True, "exit_date": None, "exit_reason": ""}),
        extra={"version": person.version},
    )
    return person


@transaction.atomic
def person_enrol(*, actor, person: Person, project) -> Enrolment:
    """Register an existing person in one more project (with a code of that project)."""
    if not may(actor, Action.CREATE, Category.IDENTITY, project.pk):
        raise PermissionDenied(_("You may not register persons in this project."))
    existing = Enrolment.objects.filter(person=person, project=project).first()
    if existing:
        return existing
    enrolment = Enrolment.objects.create(person=person, project=project, code=_next_code(project))
    forget_person_projects(person)
    audit.record(
        actor=actor,
        event=Event.PERSON_ENROL,
        subject=person,
        project=project,
        extra={"code": enrolment.code},
    )
    return enrolment


@transaction.atomic
def group_create(
    *, actor, project, name: str, kind: str, members: list[tuple[Person, str]]
) -> Group:
    if not may(actor, Action.CREATE, Category.IDENTITY, project.pk):
        raise PermissionDenied(_("You may not create groups in this project."))
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": [_("Give the group a name of at most 120 characters.")]})
    if kind not in Group.Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of group.")]})
    group = Group.objects.create(project=project, name=name, kind=kind)
    for person, relation in members:
        group_add_member(actor=actor, group=group, person=person, relation=relation)
    audit.record(
        actor=actor,
        event=Event.GROUP_CREATE,
        subject=group,
        project=project,
        changes={"name": (None, name), "kind": (None, kind)},
    )
    return group


@transaction.atomic
def group_add_member(*, actor, group: Group, person: Person, relation: str) -> GroupMember:
    if not may_on_person(actor, Action.EDIT, Category.IDENTITY, person):
        raise PermissionDenied(_("You may not edit this person."))
    if relation not in GroupMember.Relation.values:
        raise ValidationError({"relation": [_("Unknown relation.")]})
    member, _created = GroupMember.objects.update_or_create(
        group=group, person=person, defaults={"relation": relation}
    )
    audit.record(
        actor=actor,
        event=Event.GROUP_ADD_MEMBER,
        subject=group,
        project=group.project,
        extra={"person": person.pk, "relation": relation},
    )
    return member
