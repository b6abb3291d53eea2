"""Running an import: rows streamed from the file, mapped, matched, written
in row groups (one transaction each), reported row by row.

A dry run runs exactly the same code inside one transaction that is rolled
back at the end: its report is what the real run will do, and nothing is
written but the report. A real run commits each group of rows (a person and
its related records) on its own: a row that fails rolls back its group,
which is then written row by row so that only the failing row is left out.

Persons, encounters and notes are written in bulk, one INSERT per table and
chunk (bench/import.py measures it; figures in bench/README.md), persons
with what the people services do for one person: validation
(people.validation), a code per project (the project's counter), name keys
(people.names), aliases, the audit trail (one sealed row per record created
or updated).
"""

import gc
import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import import_projects
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.imports import bulk, mano
from parcours.imports.contacts import ContactSheet
from parcours.imports.mapping import MappingError, validate_mapping
from parcours.imports.matching import DuplicateIndex
from parcours.imports.models import (
    ImportBatch,
    ImportedRow,
    ReportRow,
)
from parcours.imports.person_sheet import PersonSheet
from parcours.imports.person_write import PersonWrites
from parcours.imports.readers import ImportFileError, Sheet, open_sheets
from parcours.imports.record_bulk import RecordBulk
from parcours.imports.record_sheets import RecordSheets
from parcours.imports.records import RecordWrites
from parcours.imports.rows import (
    GROUP,
    Outcome,
    PersonRow,
    Result,
    Teams,
    _Rollback,
    progress_key,
)
from parcours.imports.values import (
    split_multi,
)
from parcours.org.models import Site

log = logging.getLogger(__name__)


# Rows between two collections of the young generation during a run.
COLLECT_EVERY = 10_000


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused for the run: a run holds
    hundreds of thousands of objects (the duplicate index, the report, the
    name caches) that each automatic collection would walk again (a sixth
    of the CPU time of bench/import.py). Rows create almost no reference
    cycles (peak memory unchanged); those they do are collected every
    ``COLLECT_EVERY`` rows (``_tick``), the rest once the collector runs again."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _checkpoint_at_end():
    """SQLite in WAL mode copies the log back into the database file
    ("checkpoint") at the first commit after it passes 1,000 pages: a run's
    groups did it over and over, copying the same index pages each time
    (a seventh of the CPU time of bench/import.py). During the run this
    connection leaves it, and checkpoints once at the end. Commits stay as
    durable as before (they are in the log); other connections keep
    checkpointing as usual."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(before)}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


class Importer(ContactSheet, PersonSheet, PersonWrites, RecordWrites, RecordBulk, RecordSheets):
    def __init__(
        self,
        batch: ImportBatch,
        *,
        actor,
        path: Path | None = None,
        today: date | None = None,
        on_progress=None,
    ):
        self.batch = batch
        # A local copy of the stored file (services.batch_execute); None when
        # only a decision on one row is applied.
        self.path = path
        self.actor = actor
        self.today = today or timezone.localdate()
        self.on_progress = on_progress
        self.mapping = validate_mapping(batch.mapping)
        self.source = self.mapping["source"]
        self.dry_run = batch.dry_run
        self.teams = Teams(self.mapping["teams"], batch.project, import_projects(actor))
        # (sheet, row, key, outcome, reason, column, value, candidate, candidate row, pending)
        self.report: list[tuple] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.processed = 0
        self.known: dict[str, dict[str, tuple]] = {}
        self.person_ids: dict[str, int] = {}  # source key of a person -> person id
        self.person_rows: dict[int, int] = {}  # person id created here -> row number
        self.row_persons: dict[tuple[str, int], int] = {}  # (sheet, row) -> person created
        self.created_here: set[int] = set()
        self.territories: dict[str, str] = {}
        self.action_persons: dict[str, int] = {}
        self.sites: dict[int, int | None] = {}
        self.index: DuplicateIndex | None = None
        self.first_visits: set[tuple[int, str]] = set()
        # Rows of the group being written, registered once it commits (record_bulk).
        self._pending: list[tuple] = []
        self._earlier_actions: dict[str, int] | None = None

    # --- the run ---------------------------------------------------------------

    def run(self) -> ImportBatch:
        with _collector_paused(), _checkpoint_at_end():
            return self._run()

    def _run(self) -> ImportBatch:
        batch = self.batch
        try:
            kind, sheets = open_sheets(self.path)
            plan = mano.plan(sheets, self.mapping)
            batch.file_kind = mano.describe(kind, plan)
            batch.total_rows = sum(s.estimated_rows for s, _entity in plan)
            self._check_teams(plan)
            if self.dry_run:
                # The same code as the real run, rolled back at the end.
                try:
                    with transaction.atomic():
                        self._run_plan(plan)
                        raise _Rollback
                except _Rollback:
                    pass
            else:
                # Each row group commits on its own (one transaction each).
                self._run_plan(plan)
        except (ImportFileError, MappingError) as error:
            batch.status = ImportBatch.Status.FAILED
            batch.message = error.message
            if self.dry_run:
                self.report.clear()
        except Exception:
            # Nothing is left half-written (the groups are transactions); the
            # batch says it stopped instead of staying "running".
            log.exception("import batch %s stopped", batch.pk)
            batch.status = ImportBatch.Status.FAILED
            batch.message = _(
                "The import stopped on an unexpected error; the rows written before it are "
                "listed in the report and can be undone."
            )
        else:
            batch.status = ImportBatch.Status.DONE
        self._finish()
        return batch

    def _finish(self) -> None:
        batch = self.batch
        batch.counts = dict(self.counts)
        batch.processed_rows = self.processed
        batch.finished_at = timezone.now()
        # A suspect of an earlier row of the same group was reported before
        # that row's person was written: its person, now that it is.
        written = {(sheet[:60], number): pk for (sheet, number), pk in self.row_persons.items()}
        with transaction.atomic():
            rows = [
                (
                    batch.pk,
                    *row[:7],
                    None if self.dry_run and candidate in self.created_here else candidate,
                    row[8],
                    row[9],
                    "",
                )
                for row in self.report
                for candidate in (
                    row[7]
                    if row[7] is not None or row[8] is None
                    else written.get((row[0], row[8])),
                )
            ]
            bulk.insert(
                ReportRow,
                [
                    "batch_id",
                    "sheet",
                    "row_number",
                    "source_key",
                    "outcome",
                    "reason",
                    "column",
                    "value",
                    "candidate_id",
                    "candidate_row",
                    "pending",
                    "decision",
                ],
                rows,
            )
            self.report.clear()
            batch.save()
            if not self.dry_run and (batch.status == ImportBatch.Status.DONE or self.counts):
                audit.record(
                    actor=self.actor,
                    event=Event.IMPORT_RUN,
                    subject=batch,
                    project=batch.project,
                    extra={"counts": batch.counts, "file_kind": batch.file_kind},
                )
        cache.delete(progress_key(batch.pk))

    def _check_teams(self, plan) -> None:
        """A team that maps to no project refuses the whole file before any row."""
        if not self.mapping["teams"]:
            return
        unknown: set[str] = set()
        # Team names of the équipes sheet first (UUID -> name).
        for sheet, entity in plan:
            if entity == "teams":
                self._read_teams(sheet)
        for sheet, entity in plan:
            column = mano.team_column(entity, sheet.header, self.mapping)
            if column is None or entity == "teams":
                continue
            position = sheet.header.index(column)
            seen: set = set()  # a team cell repeats on most rows: checked once
            for _number, cells in mano.peek_rows(sheet):
                cell = cells[position]
                if cell in seen:
                    continue
                seen.add(cell)
                for team in split_multi(cell):
                    if self.teams.resolve(team) is None:
                        unknown.add(self.teams.names.get(team, team))
        if unknown:
            raise MappingError(
                _(
                    "These teams map to no project you may import into: %(teams)s. Add them to the "
                    "mapping's teams (a project code, or CODE/Site name); nothing was imported."
                )
                % {"teams": ", ".join(sorted(unknown))}
            )

    def _read_teams(self, sheet: Sheet) -> None:
        header = sheet.header
        if "_id" in header and "name" in header:
            key, name = header.index("_id"), header.index("name")
            for number, cells in mano.peek_rows(sheet):
                if cells[key] and cells[name]:
                    self.teams.names[cells[key]] = cells[name]
                    self._report(
                        sheet.name,
                        number,
                        cells[key],
                        Result(Outcome.SKIPPED, _("A Mano team: mapped by the mapping's teams.")),
                        count=False,
                    )

    def _run_plan(self, plan) -> None:
        for sheet, entity in plan:
            sheet.rows = mano.fresh_rows(sheet)
            if entity is None:
                self._report(
                    sheet.name,
                    1,
                    "",
                    Result(
                        Outcome.SKIPPED,
                        _("This sheet is not imported: %(why)s")
                        % {"why": mano.why_not(sheet.name)},
                    ),
                )
                continue
            if entity == "teams":
                continue
            handler = getattr(self, f"_sheet_{entity}")
            handler(sheet)

    # --- bookkeeping -----------------------------------------------------------

    def _report(self, sheet: str, number: int, key: str, result: Result, *, count=True) -> None:
        if count:
            self.counts[result.outcome] += 1
        self.report.append(
            (
                sheet[:60],
                number,
                (key or "")[:120],
                str(result.outcome),
                result.reason[:255],
                result.column[:120],
                (result.value or "")[:255],
                result.candidate,
                result.candidate_row,
                result.pending,
            )
        )

    def _tick(self, n: int = 1) -> None:
        self.processed += n
        if self.processed % COLLECT_EVERY < n:
            gc.collect(0)  # the young objects' cycles, while the collector is paused
        if self.processed % 1000 < n:
            cache.set(progress_key(self.batch.pk), self.processed, 3600)
            if self.on_progress:
                self.on_progress(self.processed, self.batch.total_rows)

    def _known(self, entity: str) -> dict[str, tuple]:
        if entity not in self.known:
            self.known[entity] = {
                key: (pk, target, fp, version)
                for pk, key, target, fp, version in ImportedRow.objects.filter(
                    source=self.source, entity=entity
                ).values_list("pk", "source_key", "target_id", "fingerprint", "version")
            }
        return self.known[entity]

    def _person_id(self, key: str | None) -> int | None:
        if not key:
            return None
        if key in self.person_ids:
            return self.person_ids[key]
        known = self._known("persons").get(key)
        return known[1] if known else None

    def _site_of(self, project_id: int, site_id: int | None) -> int | None:
        if site_id:
            return site_id
        if project_id not in self.sites:
            self.sites[project_id] = (
                Site.objects.filter(project_id=project_id)
                .order_by("-is_active", "id")
                .values_list("pk", flat=True)
                .first()
            )
        return self.sites[project_id]

    def _target(self, teams: list[str]) -> tuple[int, int | None] | None:
        for team in teams:
            found = self.teams.resolve(team)
            if found is not None:
                return found
        if not teams or not self.mapping["teams"]:
            return self.batch.project.pk, None
        return None

    def _groups(self, sheet: Sheet):
        group = []
        for number, cells in sheet.rows:
            group.append((number, cells))
            if len(group) >= GROUP:
                yield group
                group = []
        if group:
            yield group


__all__ = ["GROUP", "Importer", "PersonRow", "progress_key"]
