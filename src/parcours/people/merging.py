"""Merging duplicate records, and undoing a merge: what moved is recorded so
that the undo puts every row back."""

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


@transaction.atomic
def person_merge(*, actor, keep: Person, duplicate: Person) -> MergeRecord:
    """Fold ``duplicate`` into ``keep``; what moved is recorded so it can be undone."""
    for person in (keep, duplicate):
        if not may_on_person(actor, Action.MERGE, Category.IDENTITY, person):
            raise PermissionDenied(
                _("Only a coordinator of both records' projects may merge them.")
            )
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("One of these records was already merged."))
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
    keep_aliases = set(keep.aliases.values_list("name", flat=True))
    new_aliases = [
        name
        for name in [
            duplicate.display_name,
            duplicate.name_original,
            *duplicate.aliases.values_list("name", flat=True),
        ]
        if name and name not in keep_aliases and name != keep.display_name
    ]
    new_aliases = list(dict.fromkeys(new_aliases))
    created = Alias.objects.bulk_create([Alias(person=keep, name=n) for n in new_aliases])
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
        },
    )
    audit.record(
        actor=actor,
        event=Event.PERSON_MERGE,
        subject=keep,
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
        extra={"restored": duplicate.pk, "merge_record": record.pk, "version": keep.version},
    )
    audit.record(
        actor=actor,
        event=Event.PERSON_UNMERGED,
        subject=duplicate,
        extra={"from": keep.pk, "merge_record": record.pk, "version": duplicate.version},
    )
    return duplicate
