"""Merging duplicate records, and undoing a merge: what moved is recorded so
that the undo puts every row back.

Nothing of the duplicate is lost. The person's fields are taken field by
field (``take``: the choices of ``FIELD_CHOICES`` whose value comes from the
duplicate); a field the kept record lacks always takes the duplicate's value.
The rest is combined: every other name of both records becomes an alias,
flags, languages, projects, families, care history and consents are joined,
both notes on how to reach the person are kept, and the phone number not
kept is written in those notes. The kept record's previous values are in
``MergeRecord.moved["fields"]``, so that the undo restores them.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.models import CareAssignment, Consent
from parcours.access.scope import forget_person_projects, may_on_person
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.people.models import Alias, Enrolment, GroupMember, MergeRecord, Person, PersonFlag
from parcours.people.services import refresh_name_keys
from parcours.people.signals import person_merged, person_unmerged

# What the merge page lets the user choose, and the fields each choice sets.
FIELD_CHOICES: dict[str, tuple[str, ...]] = {
    "given_name": ("given_name",),
    "family_name": ("family_name",),
    "name_original": ("name_original",),
    "sex": ("sex",),
    "birth_date": ("birth_date", "birth_date_precision"),
    "minority_appeal": ("minority_appeal", "assessed_age", "assessed_on"),
    "nationality": ("nationality",),
    "phone": ("phone",),
}
# Fields joined rather than chosen.
COMBINED_FIELDS = ("languages", "interpreter_needed", "contact_notes")
MERGED_FIELDS = tuple(f for fields in FIELD_CHOICES.values() for f in fields) + COMBINED_FIELDS
NOTES_MAX = Person._meta.get_field("contact_notes").max_length
_DIGITS = re.compile(r"\D")


def field_value(person: Person, name: str):
    value = getattr(person, name)
    return str(value or "") if name == "nationality" else value


def is_empty(person: Person, choice: str) -> bool:
    """The record has nothing for this choice (an unknown sex is nothing)."""
    if choice == "sex":
        return person.sex == Person._meta.get_field("sex").default
    if choice == "minority_appeal":
        return not person.minority_appeal and person.assessed_age is None
    return field_value(person, choice) in (None, "")


def same_phone(one: str, other: str) -> bool:
    """The same number, whatever the spacing or the country prefix."""
    one, other = _DIGITS.sub("", one or ""), _DIGITS.sub("", other or "")
    if len(one) < 8 or len(other) < 8:
        return bool(one) and one == other
    return one[-9:] == other[-9:]


@dataclass
class MergePlan:
    """What a merge will write on the kept record, shown before it is confirmed."""

    values: dict = field(default_factory=dict)  # field -> value after the merge
    changes: dict = field(default_factory=dict)  # field -> (before, after)
    taken: list[str] = field(default_factory=list)  # choices filled from the duplicate
    aliases: list[str] = field(default_factory=list)  # names that become aliases


def merge_plan(keep: Person, duplicate: Person, take=()) -> MergePlan:
    """The kept record's fields after merging ``duplicate`` into it."""
    unknown = set(take) - set(FIELD_CHOICES)
    if unknown:
        raise ValidationError(_("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    plan = MergePlan()
    for choice, fields in FIELD_CHOICES.items():
        from_duplicate = not is_empty(duplicate, choice) and (
            choice in take or is_empty(keep, choice)
        )
        source = duplicate if from_duplicate else keep
        if from_duplicate:
            plan.taken.append(choice)
        for name in fields:
            plan.values[name] = field_value(source, name)
    languages = list(keep.languages or [])
    plan.values["languages"] = languages + [
        code for code in duplicate.languages or [] if code not in languages
    ]
    plan.values["interpreter_needed"] = keep.interpreter_needed or duplicate.interpreter_needed
    notes = [keep.contact_notes.strip(), duplicate.contact_notes.strip()]
    other_phone = keep.phone if "phone" in plan.taken else duplicate.phone
    if other_phone and not same_phone(other_phone, plan.values["phone"]):
        notes.append(_("other phone: %(phone)s") % {"phone": other_phone})
    kept_notes = [n for n in dict.fromkeys(notes) if n]
    plan.values["contact_notes"] = "; ".join(
        n for i, n in enumerate(kept_notes) if not any(n in o for o in kept_notes[:i])
    )
    if len(plan.values["contact_notes"]) > NOTES_MAX:
        raise ValidationError(
            _(
                "Both records' notes on how to reach the person do not fit in one: "
                "shorten them on one record first."
            )
        )
    for name, after in plan.values.items():
        before = field_value(keep, name)
        if before != after:
            plan.changes[name] = (before, after)
    family = plan.values["family_name"]
    final_name = " ".join(p for p in (plan.values["given_name"], family.upper()) if p)
    known = set(keep.aliases.values_list("name", flat=True)) | {
        final_name,
        plan.values["name_original"],
    }
    names = [
        keep.display_name,
        keep.name_original,
        duplicate.display_name,
        duplicate.name_original,
        *duplicate.aliases.values_list("name", flat=True),
    ]
    plan.aliases = [n for n in dict.fromkeys(names) if n and n not in known]
    return plan


def _stored(name: str, value):
    """A field value as JSON (the merge record keeps the previous values)."""
    return value.isoformat() if isinstance(value, date) else value


def _loaded(name: str, value):
    return Person._meta.get_field(name).to_python(value)


@transaction.atomic
def person_merge(*, actor, keep: Person, duplicate: Person, take=()) -> MergeRecord:
    """Fold ``duplicate`` into ``keep``; what moved is recorded so it can be undone.

    ``take``: the choices of ``FIELD_CHOICES`` for which the duplicate's value
    replaces the kept record's (see ``merge_plan``)."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    for person in (keep, duplicate):
        if not may_on_person(actor, Action.MERGE, Category.IDENTITY, person):
            raise PermissionDenied(
                _("Only a coordinator of both records' projects may merge them.")
            )
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("One of these records was already merged."))
    if "phone" in take and not may_on_person(actor, Action.EDIT, Category.CONTACT, keep):
        raise ValidationError(_("Your role may not record contact details."))
    plan = merge_plan(keep, duplicate, take)
    keep_projects = set(keep.enrolments.values_list("project_id", flat=True))
    moved_enrolments = list(
        duplicate.enrolments.exclude(project_id__in=keep_projects).values_list("pk", flat=True)
    )
    Enrolment.objects.filter(pk__in=moved_enrolments).update(person=keep)
    forget_person_projects(keep)
    forget_person_projects(duplicate)
    keep_flags = set(keep.flags.values_list("flag", flat=True))
    added_flags = [f for f in duplicate.flags.values_list("flag", flat=True) if f not in keep_flags]
    PersonFlag.objects.bulk_create([PersonFlag(person=keep, flag=f) for f in added_flags])
    created = Alias.objects.bulk_create([Alias(person=keep, name=n) for n in plan.aliases])
    moved_links = list(
        duplicate.group_links.exclude(group__members__person=keep).values_list("pk", flat=True)
    )
    GroupMember.objects.filter(pk__in=moved_links).update(person=keep)
    moved_care = _move_linked(duplicate, keep)
    was_active = duplicate.is_active
    duplicate.merged_into = keep
    duplicate.is_active = False
    duplicate.version += 1
    duplicate.save()
    for name, (_before, after) in plan.changes.items():
        setattr(keep, name, after)
    keep.version += 1
    keep.save()
    refresh_name_keys(keep)
    record = MergeRecord.objects.create(
        kept=keep,
        merged=duplicate,
        merged_by=actor,
        moved={
            "enrolments": moved_enrolments,
            "flags": added_flags,
            "aliases": [a.pk for a in created],
            "group_links": moved_links,
            **moved_care,
            "duplicate_was_active": was_active,
            "fields": {
                name: [_stored(name, before), _stored(name, after)]
                for name, (before, after) in plan.changes.items()
            },
        },
    )
    audit.record(
        actor=actor,
        event=Event.PERSON_MERGE,
        subject=keep,
        changes=plan.changes,
        extra={"merged": duplicate.pk, "merge_record": record.pk, "version": keep.version},
    )
    audit.record(
        actor=actor,
        event=Event.PERSON_MERGED_INTO,
        subject=duplicate,
        extra={"kept": keep.pk, "merge_record": record.pk, "version": duplicate.version},
    )
    return record


# Consents and care-team assignments (access, below people) move here; the
# modules above people move their own rows when told (signals).
OWN_TABLES = {"consents": Consent, "care_assignments": CareAssignment}


def _move_linked(source: Person, target: Person) -> dict[str, list[int]]:
    """Consents, care-team assignments and, through the modules that hold them,
    the care history follow the kept record: merging never hides a
    consultation or a consent decision."""
    moved = {}
    for key, model in OWN_TABLES.items():
        moved[key] = list(model.objects.filter(person=source).values_list("pk", flat=True))
        model.objects.filter(pk__in=moved[key]).update(person=target)
    for _receiver, rows in person_merged.send(sender=Person, source=source, target=target):
        moved.update(rows or {})
    return moved


def _restore_linked(moved: dict, source: Person, target: Person) -> None:
    for key, model in OWN_TABLES.items():
        model.objects.filter(pk__in=moved.get(key, [])).update(person=source)
    person_unmerged.send(sender=Person, source=source, target=target, moved=moved)


@transaction.atomic
def person_unmerge(*, actor, record: MergeRecord) -> Person:
    """Undo a merge: what moved goes back, the duplicate becomes a record again."""
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    keep, duplicate = record.kept, record.merged
    for person in (keep, duplicate):
        if not may_on_person(actor, Action.MERGE, Category.IDENTITY, person):
            raise PermissionDenied(
                _("Only a coordinator of both records' projects may undo a merge.")
            )
    if record.undone_at:
        raise ValidationError(_("This merge was already undone."))
    moved = record.moved
    Enrolment.objects.filter(pk__in=moved["enrolments"]).update(person=duplicate)
    forget_person_projects(keep)
    forget_person_projects(duplicate)
    PersonFlag.objects.filter(person=keep, flag__in=moved["flags"]).delete()
    Alias.objects.filter(pk__in=moved["aliases"]).delete()
    GroupMember.objects.filter(pk__in=moved["group_links"]).update(person=duplicate)
    _restore_linked(moved, duplicate, keep)
    duplicate.merged_into = None
    duplicate.is_active = moved.get("duplicate_was_active", True)
    duplicate.version += 1
    duplicate.save()
    restored = {}
    for name, (before, after) in moved.get("fields", {}).items():
        # A value edited since the merge is the newer truth: it stays.
        if _stored(name, field_value(keep, name)) == after:
            restored[name] = (field_value(keep, name), _loaded(name, before))
            setattr(keep, name, restored[name][1])
    keep.version += 1
    keep.save()
    refresh_name_keys(keep)
    record.undone_at = timezone.now()
    record.undone_by = actor
    record.save(update_fields=["undone_at", "undone_by"])
    audit.record(
        actor=actor,
        event=Event.PERSON_UNMERGE,
        subject=keep,
        changes=restored,
        extra={"restored": duplicate.pk, "merge_record": record.pk, "version": keep.version},
    )
    audit.record(
        actor=actor,
        event=Event.PERSON_UNMERGED,
        subject=duplicate,
        extra={"from": keep.pk, "merge_record": record.pk, "version": duplicate.version},
    )
    return duplicate
