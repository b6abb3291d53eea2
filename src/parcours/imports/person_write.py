"""Persons written in bulk, with what the people services do for one person:
a code per project, name keys, aliases, imported fields, the import's own
rows and the audit trail; a group the database refuses is written again
row by row so that only the failing row is left out."""

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.imports import bulk, mano
from parcours.imports.matching import search_keys
from parcours.imports.models import (
    ImportedField,
    ImportedRow,
)
from parcours.imports.rows import (
    PERSON_COLUMNS,
    PERSON_DEFAULTS,
    PERSON_POSITION,
    Outcome,
    PersonRow,
    Result,
    _NewPerson,
)
from parcours.org.models import Project
from parcours.people.models import Alias, CodeCounter, Enrolment, NameKey, Person

log = logging.getLogger(__name__)


class PersonWrites:
    def _write_group(self, sheet: str, creates: list[PersonRow], updates) -> None:
        if not creates and not updates:
            return
        try:
            with transaction.atomic():
                self._create_persons(sheet, creates)
                for parsed, existing in updates:
                    self._update_person(sheet, parsed, existing)
        except Exception as error:  # a row the database refused: one by one
            log.warning(
                "import batch %s: group failed (%s), writing row by row",
                self.batch.pk,
                type(error).__name__,
            )
            # Forget what the failed group reported and registered.
            self.report = [
                r
                for r in self.report
                if not (
                    r[0] == sheet[:60]
                    and r[1] in {p.number for p in creates} | {p.number for p, _e in updates}
                )
            ]
            for parsed in creates:
                self.person_ids.pop(parsed.key, None)
                self.row_persons.pop((sheet, parsed.number), None)
            for parsed in creates:
                self._one_row(
                    sheet, lambda parsed=parsed: self._create_persons(sheet, [parsed]), parsed
                )
            for parsed, existing in updates:
                self._one_row(
                    sheet,
                    lambda parsed=parsed, existing=existing: self._update_person(
                        sheet, parsed, existing
                    ),
                    parsed,
                )

    def _one_row(self, sheet, write, parsed) -> None:
        try:
            with transaction.atomic():
                write()
        except Exception as error:
            self.person_ids.pop(parsed.key, None)
            self.row_persons.pop((sheet, parsed.number), None)
            self._report(
                sheet,
                parsed.number,
                parsed.key,
                Result(
                    Outcome.ERROR,
                    _("The row could not be saved (%(error)s): nothing of it was written.")
                    % {"error": type(error).__name__},
                ),
            )

    def _create_persons(self, sheet: str, rows: list[PersonRow]) -> list["_NewPerson"]:
        """The persons of ``rows`` with what person_create writes for each:
        enrolment with the project's next code, aliases, name keys, audit
        row; plus the import's own rows. Written with plain INSERTs."""
        if not rows:
            return []
        actor_id = getattr(self.actor, "pk", None)
        now = timezone.now()
        values = []
        # The defaults in column order, each row's values put in their place.
        base = [PERSON_DEFAULTS[c] for c in PERSON_COLUMNS]
        for column, value in (
            ("created_at", now),
            ("updated_at", now),
            ("created_by_id", actor_id),
        ):
            base[PERSON_POSITION[column]] = value
        for parsed in rows:
            row = base.copy()
            for k, v in parsed.data.items():
                if k in PERSON_POSITION:
                    row[PERSON_POSITION[k]] = v
            if parsed.exit:
                for k, v in (
                    ("is_active", False),
                    ("exit_date", parsed.exit["date"]),
                    ("exit_reason", parsed.exit["reason"]),
                    ("exit_note", parsed.exit["note"]),
                ):
                    row[PERSON_POSITION[k]] = v
            values.append(row)
        ids = bulk.insert_returning_ids(Person, PERSON_COLUMNS, values)
        persons = [
            _NewPerson(
                pk,
                p.data.get("given_name", ""),
                p.data.get("family_name", ""),
                p.data.get("name_original", ""),
            )
            for pk, p in zip(ids, rows, strict=True)
        ]
        by_project: dict[int, list[Person]] = defaultdict(list)
        for person, parsed in zip(persons, rows, strict=True):
            for project_id in parsed.projects:
                by_project[project_id].append(person)
        enrolments = []
        codes = dict(Project.objects.filter(pk__in=by_project).values_list("pk", "code"))
        for project_id, members in by_project.items():
            counter, _created = CodeCounter.objects.select_for_update().get_or_create(
                project_id=project_id
            )
            start = counter.last
            counter.last += len(members)
            counter.save(update_fields=["last"])
            enrolments += [
                (p.pk, project_id, f"{codes[project_id]}-{start + i:05d}", now)
                for i, p in enumerate(members, start=1)
            ]
        bulk.insert(Enrolment, ["person_id", "project_id", "code", "enrolled_at"], enrolments)
        aliases, keys, fields, imported, events = [], [], [], [], []
        event_project = self.batch.project.pk
        for person, parsed in zip(persons, rows, strict=True):
            aliases += [(person.pk, a) for a in parsed.aliases]
            keys += [
                (person.pk, k)
                for k in sorted(
                    search_keys(
                        person.given_name, person.family_name, person.name_original, parsed.aliases
                    )
                )
            ]
            fields += [
                ImportedField(
                    person_id=person.pk, category=c, label=label[:255], value=v, batch=self.batch
                )
                for c, label, v in parsed.fields
            ]
            imported.append(
                (
                    self.source,
                    "persons",
                    parsed.key,
                    "people.person",
                    person.pk,
                    parsed.fingerprint,
                    1,
                    {},
                    self.batch.pk,
                    None,
                )
            )
            changes = {
                k: [None, v if type(v) is str else audit._jsonable(v)]
                for k, v in parsed.data.items()
                if v not in (None, "", [], False) and k not in ("phone", "contact_notes")
            }
            events.append(
                {
                    "at": now,
                    "actor_id": actor_id,
                    "event": str(Event.IMPORT_CREATE),
                    "subject_type": "people.person",
                    "subject_id": str(person.pk),
                    "project_id": event_project,
                    "changes": changes,
                    "extra": {"batch": self.batch.pk, "version": 1},
                }
            )
        bulk.insert(Alias, ["person_id", "name"], aliases)
        # In key order: the (key, person) index then takes them page by page.
        keys.sort(key=lambda row: (row[1], row[0]))
        bulk.insert(NameKey, ["person_id", "key"], keys)
        ImportedField.objects.bulk_create(fields, batch_size=1000)
        bulk.insert(ImportedRow, bulk.IMPORTED_ROW_COLUMNS, imported)
        bulk.audit_events(events)
        for person, parsed in zip(persons, rows, strict=True):
            self.person_ids[parsed.key] = person.pk
            self.created_here.add(person.pk)
            self.person_rows[person.pk] = parsed.number
            self.row_persons[(sheet, parsed.number)] = person.pk
            self._report(
                sheet, parsed.number, parsed.key, Result(Outcome.IMPORTED, "; ".join(parsed.notes))
            )
        return persons

    def _update_person(self, sheet: str, parsed: PersonRow, existing) -> None:
        row_pk, person_id, _fp, version = existing
        person = Person.objects.select_for_update(no_key=True).filter(pk=person_id).first()
        if person is None or person.merged_into_id:
            self._report(
                sheet,
                parsed.number,
                parsed.key,
                Result(
                    Outcome.SKIPPED,
                    _("The person imported from this row no longer exists or was merged."),
                ),
            )
            return
        if person.version != version:
            self.person_ids[parsed.key] = person.pk
            self._report(
                sheet,
                parsed.number,
                parsed.key,
                Result(
                    Outcome.SKIPPED,
                    _("Edited in Parcours since the last import: the file does not overwrite it."),
                ),
            )
            return
        fields = [f for f in mano.PERSON_WRITABLE if f in parsed.data] + [
            "is_active",
            "exit_date",
            "exit_reason",
            "exit_note",
        ]
        before = {f: getattr(person, f) for f in fields}
        for f in mano.PERSON_WRITABLE:
            if f in parsed.data:
                setattr(person, f, parsed.data[f])
        person.is_active = not parsed.exit
        person.exit_date = parsed.exit.get("date") if parsed.exit else None
        person.exit_reason = parsed.exit.get("reason", "") if parsed.exit else ""
        person.exit_note = parsed.exit.get("note", "") if parsed.exit else ""
        after = {f: getattr(person, f) for f in fields}
        changes = audit.diff(before, after)
        person.version += 1
        person.save()
        Alias.objects.filter(person=person).exclude(name__in=parsed.aliases).delete()
        have = set(person.aliases.values_list("name", flat=True))
        Alias.objects.bulk_create(
            [Alias(person=person, name=a) for a in parsed.aliases if a not in have]
        )
        NameKey.objects.filter(person=person).delete()
        NameKey.objects.bulk_create(
            [
                NameKey(person=person, key=k)
                for k in sorted(
                    search_keys(
                        person.given_name, person.family_name, person.name_original, parsed.aliases
                    )
                )
            ]
        )
        ImportedField.objects.filter(person=person).delete()
        ImportedField.objects.bulk_create(
            [
                ImportedField(
                    person=person, category=c, label=label[:255], value=v, batch=self.batch
                )
                for c, label, v in parsed.fields
            ]
        )
        ImportedRow.objects.filter(pk=row_pk).update(
            fingerprint=parsed.fingerprint,
            version=person.version,
            updated_batch=self.batch,
            previous={k: audit._jsonable(v) for k, v in before.items()},
        )
        audit.record(
            actor=self.actor,
            event=Event.IMPORT_UPDATE,
            subject=person,
            project=self.batch.project,
            changes={k: v for k, v in changes.items() if k not in ("phone", "contact_notes")},
            extra={"batch": self.batch.pk, "version": person.version},
        )
        self.person_ids[parsed.key] = person.pk
        self._report(
            sheet, parsed.number, parsed.key, Result(Outcome.UPDATED, ", ".join(sorted(changes)))
        )
