"""The records of persons (encounters, notes, imported fields): rows built by
the sheets of ``record_sheets``, written one row group at a time, created or
updated, remembered as imported rows and audited."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.care import models as care
from parcours.care.services import derive_first_visits
from parcours.imports import mano
from parcours.imports.models import (
    ImportedField,
    ImportedNote,
    ImportedRow,
)
from parcours.imports.readers import Sheet
from parcours.imports.rows import (
    Outcome,
    Result,
    fingerprint,
)
from parcours.imports.values import (
    ValueProblem,
    split_multi,
)
from parcours.meal import invalidation as meal_invalidation
from parcours.people.models import Person

log = logging.getLogger(__name__)


class RecordWrites:
    # --- the records of persons ------------------------------------------------

    def _records(self, sheet: Sheet, entity: str, build) -> None:
        """Rows that each become one record (an encounter, a note, fields):
        ``build(cells) -> dict | Result``, written one row group at a time."""
        known = self._known(entity)
        header = sheet.header
        for group in self._groups(sheet):
            todo = []
            for number, cells in group:
                self._tick()
                row = dict(zip(header, cells, strict=False))
                key = mano.row_key(row) or "row:" + fingerprint(cells)[:40]
                try:
                    built = build(row)
                except ValueProblem as problem:
                    built = Result(
                        Outcome.ERROR,
                        problem.message,
                        column=getattr(problem, "column", ""),
                        value=getattr(problem, "value", ""),
                    )
                if isinstance(built, Result):
                    self._report(sheet.name, number, key, built)
                    continue
                fp = fingerprint({k: v for k, v in built.items() if k != "_notes"})
                existing = known.get(key)
                if existing is not None and existing[2] == fp:
                    self._report(sheet.name, number, key, Result(Outcome.UNCHANGED))
                    continue
                todo.append((number, key, built, fp, existing))
            if not todo:
                continue
            try:
                with transaction.atomic():
                    done = self._write_todo(entity, todo)
                self._register()
            except Exception as error:
                self._pending.clear()
                log.warning(
                    "import batch %s: group failed (%s), row by row",
                    self.batch.pk,
                    type(error).__name__,
                )
                done = []
                for item in todo:
                    try:
                        with transaction.atomic():
                            done += self._write_todo(entity, [item])
                        self._register()
                    except Exception as row_error:
                        self._pending.clear()
                        done.append(
                            Result(
                                Outcome.ERROR,
                                _(
                                    "The row could not be saved (%(error)s): nothing of it was written."
                                )
                                % {"error": type(row_error).__name__},
                            )
                        )
            for (number, key, built, _fp, _existing), result in zip(todo, done, strict=True):
                if result.outcome != Outcome.ERROR and built.get("_notes"):
                    result.reason = "; ".join(filter(None, [result.reason, *built["_notes"]]))
                self._report(sheet.name, number, key, result)

    def _write_record(self, entity, number, key, built, fp, existing) -> Result:
        kind = built["kind"]
        if existing is not None:
            row_pk, target_id, _fp, version = existing
            return self._update_record(kind, row_pk, target_id, version, built, fp)
        if kind == "encounter":
            target = self._create_encounter(built)
        elif kind == "note":
            target = ImportedNote.objects.create(batch=self.batch, **built["fields"])
            if entity == "actions":
                self.action_persons[key] = target.person_id
        else:  # imported fields of a person
            ImportedField.objects.filter(
                person_id=built["person"], label__in=[label for _c, label, _v in built["fields"]]
            ).delete()
            ImportedField.objects.bulk_create(
                [
                    ImportedField(
                        person_id=built["person"],
                        category=c,
                        label=label[:255],
                        value=v,
                        batch=self.batch,
                    )
                    for c, label, v in built["fields"]
                ]
            )
            target = Person.objects.get(pk=built["person"])
        ImportedRow.objects.create(
            source=self.source,
            entity=entity,
            source_key=key,
            target_type=target._meta.label_lower,
            target_id=target.pk,
            fingerprint=fp,
            version=getattr(target, "version", 1),
            created_batch=self.batch,
        )
        self._known(entity)[key] = (None, target.pk, fp, getattr(target, "version", 1))
        self.created_here.add(target.pk) if kind != "fields" else None
        audit.record(
            actor=self.actor,
            event=Event.IMPORT_CREATE,
            subject=target,
            project=self.batch.project,
            extra={"batch": self.batch.pk, "entity": entity},
        )
        return Result(Outcome.IMPORTED)

    def _update_record(self, kind, row_pk, target_id, version, built, fp) -> Result:
        if kind == "encounter":
            target = (
                care.Encounter.objects.select_for_update(no_key=True).filter(pk=target_id).first()
            )
        elif kind == "note":
            target = ImportedNote.objects.select_for_update().filter(pk=target_id).first()
        else:
            target = Person.objects.filter(pk=target_id).first()
        if target is None:
            return Result(Outcome.SKIPPED, _("The record imported from this row no longer exists."))
        if kind in ("encounter", "note") and target.version != version:
            return Result(
                Outcome.SKIPPED,
                _("Edited in Parcours since the last import: the file does not overwrite it."),
            )
        if kind == "encounter":
            for name, value in built["encounter"].items():
                setattr(target, name, value)
            target.version += 1
            target.save()
            for model, values in built.get("details", {}).items():
                model.objects.update_or_create(encounter=target, defaults=values)
        elif kind == "note":
            for name, value in built["fields"].items():
                setattr(target, name, value)
            target.version += 1
            target.save()
        else:
            ImportedField.objects.filter(
                person=target, label__in=[label for _c, label, _v in built["fields"]]
            ).delete()
            ImportedField.objects.bulk_create(
                [
                    ImportedField(
                        person=target, category=c, label=label[:255], value=v, batch=self.batch
                    )
                    for c, label, v in built["fields"]
                ]
            )
        ImportedRow.objects.filter(source=self.source, source_key__isnull=False, pk=row_pk).update(
            fingerprint=fp, version=getattr(target, "version", 1), updated_batch=self.batch
        ) if row_pk else None
        audit.record(
            actor=self.actor,
            event=Event.IMPORT_UPDATE,
            subject=target,
            project=self.batch.project,
            extra={"batch": self.batch.pk},
        )
        return Result(Outcome.UPDATED)

    def _create_encounter(self, built) -> care.Encounter:
        values = built["encounter"]
        encounter = care.Encounter.objects.create(author=self.actor, is_first_visit=False, **values)
        for model, fields in built.get("details", {}).items():
            model.objects.create(encounter=encounter, **fields)
        for sex, count in built.get("tallies", []):
            care.Tally.objects.create(
                encounter=encounter, sex=sex, age_group="unknown", count=count
            )
        if encounter.person_id:
            # Flags moved in bulk: MEAL is told which (the rows saved above it sees).
            renumbered = derive_first_visits(encounter.person, encounter.discipline)
            meal_invalidation.rows_changed(care.Encounter, renumbered)
        return encounter

    def _where(self, row: dict, team_columns) -> tuple[int, int] | Result:
        teams = []
        for column in team_columns:
            teams += split_multi(row.get(column))
        target = self._target(teams)
        if target is None:
            return Result(
                Outcome.ERROR,
                _("This team maps to no project."),
                column=team_columns[0],
                value=", ".join(teams),
            )
        project_id, site_id = target
        site_id = self._site_of(project_id, site_id)
        if site_id is None:
            return Result(
                Outcome.ERROR,
                _("The project of this team has no site to record on."),
                column=team_columns[0],
                value=", ".join(teams),
            )
        return project_id, site_id

    def _moment(self, row: dict, *columns) -> datetime | None:
        for column in columns:
            value = row.get(column)
            if value:
                moment = mano.to_datetime(value)
                if moment is None:
                    problem = ValueProblem(_("“%(value)s” is not a date.") % {"value": value[:60]})
                    problem.column, problem.value = column, value
                    raise problem
                return moment
        return None

    def _person_of(self, row: dict, *columns) -> int | None | Result:
        for column in columns:
            key = row.get(column)
            if key:
                person_id = self._person_id(key)
                if person_id is None:
                    return Result(
                        Outcome.ERROR,
                        _("The person of this row was not imported (unknown or skipped)."),
                        column=column,
                        value=key,
                    )
                return person_id
        return None
