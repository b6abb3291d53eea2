"""New encounters and notes of one row group written in bulk: one INSERT per
table and chunk (encounters with their details and tallies, notes, the
import's own rows, the audit rows sealed into the chain), then the first
visits of the persons touched derived once for the group.

What was written is registered in the importer's memory (known keys, the
persons of actions, the records created here) only once the group's
transaction has committed: a group the database refuses leaves no trace
there, and is written again row by row."""

from collections import defaultdict

from django.utils import timezone

from parcours.audit.events import Event
from parcours.care import models as care
from parcours.care.services import derive_first_visits_of
from parcours.imports import bulk
from parcours.imports.models import ImportedNote, ImportedRow
from parcours.imports.rows import Outcome, Result
from parcours.meal import invalidation as meal_invalidation

BULK_KINDS = ("encounter", "note")


class RecordBulk:
    def _write_todo(self, entity: str, todo: list[tuple]) -> list[Result]:
        """The rows of one group, in the caller's transaction: new encounters
        and notes in bulk, updates and imported fields one by one."""
        results: list[Result | None] = [None] * len(todo)
        fresh: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(todo):
            kind = item[2]["kind"]
            if item[4] is None and kind in BULK_KINDS:
                fresh[kind].append(position)
            else:
                results[position] = self._write_record(entity, *item)
        for kind, positions in fresh.items():
            items = [todo[p] for p in positions]
            for position, result in zip(
                positions, self._create_many(entity, kind, items), strict=True
            ):
                results[position] = result
        return results

    def _create_many(self, entity: str, kind: str, items: list[tuple]) -> list[Result]:
        built = [item[2] for item in items]
        if kind == "encounter":
            targets = self._bulk_encounters(built)
            target_type = "care.encounter"
        else:
            targets = [
                note.pk
                for note in ImportedNote.objects.bulk_create(
                    [ImportedNote(batch=self.batch, **b["fields"]) for b in built], batch_size=500
                )
            ]
            target_type = "imports.importednote"
        bulk.insert(
            ImportedRow,
            bulk.IMPORTED_ROW_COLUMNS,
            [
                (self.source, entity, key, target_type, pk, fp, 1, {}, self.batch.pk, None)
                for (_n, key, _b, fp, _e), pk in zip(items, targets, strict=True)
            ],
        )
        now = timezone.now()
        actor_id = self.actor.pk if self.actor is not None and self.actor.is_authenticated else None
        bulk.audit_events(
            [
                {
                    "at": now,
                    "actor_id": actor_id,
                    "event": str(Event.IMPORT_CREATE),
                    "subject_type": target_type,
                    "subject_id": str(pk),
                    "project_id": self.batch.project_id,
                    "changes": {},
                    "extra": {"batch": self.batch.pk, "entity": entity},
                }
                for pk in targets
            ]
        )
        for (_n, key, b, fp, _e), pk in zip(items, targets, strict=True):
            self._pending.append((entity, key, pk, fp, b))
        return [Result(Outcome.IMPORTED) for _pk in targets]

    def _bulk_encounters(self, built: list[dict]) -> list[int]:
        encounters = care.Encounter.objects.bulk_create(
            [
                care.Encounter(author=self.actor, is_first_visit=False, **b["encounter"])
                for b in built
            ],
            batch_size=500,
        )
        details: dict[type, list] = defaultdict(list)
        tallies = []
        for encounter, b in zip(encounters, built, strict=True):
            for model, fields in b.get("details", {}).items():
                details[model].append(model(encounter_id=encounter.pk, **fields))
            tallies += [
                care.Tally(encounter_id=encounter.pk, sex=sex, age_group="unknown", count=count)
                for sex, count in b.get("tallies", [])
            ]
        for model, rows in details.items():
            model.objects.bulk_create(rows, batch_size=500)
        care.Tally.objects.bulk_create(tallies, batch_size=500)
        derive_first_visits_of({(e.person_id, e.discipline) for e in encounters if e.person_id})
        # Written in bulk (no signals): the MEAL figures kept for these months
        # (and for the months of the first visits renumbered) are forgotten.
        meal_invalidation.person_changed({e.person_id for e in encounters if e.person_id})
        meal_invalidation.rows_changed(care.Encounter, [e.pk for e in encounters])
        return [e.pk for e in encounters]

    def _register(self) -> None:
        """What the committed group wrote, remembered for the rest of the run."""
        for entity, key, pk, fp, b in self._pending:
            self._known(entity)[key] = (None, pk, fp, 1)
            self.created_here.add(pk)
            if entity == "actions":
                self.action_persons[key] = b["fields"]["person_id"]
        self._pending.clear()
