"""Running an import: rows streamed from the file, mapped, matched, written
in row groups (one transaction each), reported row by row.

A dry run runs exactly the same code inside one transaction that is rolled
back at the end: its report is what the real run will do, and nothing is
written but the report. A real run commits each group of rows (a person and
its related records) on its own: a row that fails rolls back its group,
which is then written row by row so that only the failing row is left out.

Persons are written in bulk (the benchmark imports 100,000 rows at more than
5,000 per second with the duplicate matching on), with what the people
services do for one person: validation (people.validation), a code per
project (the project's counter), name keys (people.names), aliases, the
audit trail (one row per person created or updated).
"""

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.scope import import_projects
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.audit.models import AuditEvent
from parcours.care import models as care
from parcours.care.choices import Discipline
from parcours.care.services import derive_first_visits
from parcours.imports import bulk, mano
from parcours.imports.mapping import (
    PARIS,
    MappingError,
    ValueProblem,
    split_multi,
    to_bool,
    to_country,
    to_date,
    to_exit_reason,
    to_sex,
    validate_mapping,
)
from parcours.imports.matching import DuplicateIndex, person_keys
from parcours.imports.models import (
    ImportBatch,
    ImportedField,
    ImportedNote,
    ImportedRow,
    ReportRow,
)
from parcours.imports.readers import ImportFileError, Sheet, open_sheets
from parcours.org.models import Project, Site
from parcours.people.models import Alias, CodeCounter, Enrolment, NameKey, Person
from parcours.people.names import person_name_keys
from parcours.people.validation import clean_person_data

log = logging.getLogger(__name__)

GROUP = 500
Outcome = ReportRow.Outcome


class _Rollback(Exception):
    """Raised at the end of a dry run to roll everything back."""


@dataclass
class Result:
    outcome: str
    reason: str = ""
    column: str = ""
    value: str = ""
    candidate: int | None = None
    candidate_row: int | None = None
    pending: str = ""


@dataclass
class PersonRow:
    number: int
    key: str
    data: dict
    aliases: list[str]
    projects: list[int]
    exit: dict
    fields: list[tuple[str, str, str]]
    fingerprint: str
    notes: list[str] = field(default_factory=list)
    decision: str = ""
    link_to: int | None = None


def _plain(value):
    if isinstance(value, dict):
        return {getattr(k, "__name__", str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def fingerprint(*parts) -> str:
    text = json.dumps(_plain(parts), default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The person columns the import writes, with the model's defaults.
PERSON_COLUMNS = [f.column for f in Person._meta.concrete_fields if not f.primary_key]
PERSON_DEFAULTS = {
    f.attname: f.get_default() for f in Person._meta.concrete_fields if not f.primary_key
}


@dataclass
class _NewPerson:
    pk: int
    given_name: str
    family_name: str
    name_original: str


def progress_key(batch_id: int) -> str:
    return f"imports-progress-{batch_id}"


class Teams:
    """Mano team names or UUIDs → (project id, site id or None)."""

    def __init__(self, mapping: dict, default_project: Project, allowed: set[int]):
        self.mapping = mapping
        self.default = default_project
        self.allowed = allowed
        self.names: dict[str, str] = {}  # UUID -> name, from the équipes sheet
        self._cache: dict[str, tuple[int, int | None] | None] = {}

    def resolve(self, team: str) -> tuple[int, int | None] | None:
        if not self.mapping:
            return self.default.pk, None
        if team not in self._cache:
            target = self.mapping.get(team) or self.mapping.get(self.names.get(team, ""))
            found = self._target(target) if target else None
            # Only into projects the importer may import into.
            self._cache[team] = found if found and found[0] in self.allowed else None
        return self._cache[team]

    @staticmethod
    def _target(target: str) -> tuple[int, int | None] | None:
        code, _sep, site_name = target.partition("/")
        project = Project.objects.filter(code=code.strip()).first()
        if project is None:
            return None
        site = None
        if site_name.strip():
            site = Site.objects.filter(project=project, name=site_name.strip()).first()
            if site is None:
                return None
        return project.pk, site.pk if site else None


class Importer:
    def __init__(self, batch: ImportBatch, *, actor, today: date | None = None, on_progress=None):
        self.batch = batch
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

    # --- the run ---------------------------------------------------------------

    def run(self) -> ImportBatch:
        batch = self.batch
        try:
            kind, sheets = open_sheets(Path(batch.stored_path))
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
        with transaction.atomic():
            rows = [
                (
                    batch.pk,
                    *row[:7],
                    None if self.dry_run and row[7] in self.created_here else row[7],
                    row[8],
                    row[9],
                    "",
                )
                for row in self.report
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
            for _number, cells in mano.peek_rows(sheet):
                for team in split_multi(cells[position]):
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

    # --- persons ---------------------------------------------------------------

    def _sheet_persons(self, sheet: Sheet) -> None:
        columns = mano.person_columns(sheet.header, self.mapping)
        if not any(
            f in ("full_name", "given_name", "family_name")
            for f in columns.values()
            if isinstance(f, str)
        ):
            raise MappingError(
                _("No column of the sheet “%(sheet)s” is mapped to a name: nothing was imported.")
                % {"sheet": sheet.name}
            )
        if self.index is None:
            self.index = DuplicateIndex.of_projects(
                {self.batch.project.pk}
                | {
                    p
                    for p, _s in filter(
                        None, (self.teams.resolve(t) for t in self.mapping["teams"])
                    )
                }
            )
        known = self._known("persons")
        template = mano.is_template(sheet)
        for group in self._groups(sheet):
            creates, updates = [], []
            for number, cells in group:
                self._tick()
                if template and number == 2 and mano.is_template_example(sheet.header, cells):
                    self._report(
                        sheet.name,
                        number,
                        "",
                        Result(Outcome.SKIPPED, _("The example row of Mano's import template.")),
                    )
                    continue
                parsed = self._parse_person(sheet, columns, number, cells)
                if isinstance(parsed, Result):
                    self._report(sheet.name, number, "", parsed)
                    continue
                note = "; ".join(parsed.notes)
                existing = known.get(parsed.key)
                if existing is None and parsed.key in self.person_ids:
                    self._report(
                        sheet.name,
                        number,
                        parsed.key,
                        Result(
                            Outcome.SKIPPED,
                            _("The same key appears earlier in the file."),
                            column="",
                            value=parsed.key,
                        ),
                    )
                    continue
                if existing is not None:
                    _pk, person_id, fp, version = existing
                    if fp == parsed.fingerprint:
                        self.person_ids[parsed.key] = person_id
                        self._report(
                            sheet.name, number, parsed.key, Result(Outcome.UNCHANGED, note)
                        )
                        continue
                    updates.append((parsed, existing))
                    continue
                keys = person_keys(
                    parsed.data.get("given_name", ""),
                    parsed.data.get("family_name", ""),
                    parsed.data.get("name_original", ""),
                )
                suspect = self.index.find(keys, parsed.data.get("birth_date"))
                if suspect is not None:
                    person_id, row = suspect
                    if person_id is None and row is not None:
                        # An earlier row of this file: the person it became, if written yet.
                        person_id = self.row_persons.get((sheet.name, row))
                    pending = json.dumps(
                        {
                            "key": parsed.key,
                            "data": parsed.data,
                            "aliases": parsed.aliases,
                            "projects": parsed.projects,
                            "exit": parsed.exit,
                            "fields": parsed.fields,
                            "fingerprint": parsed.fingerprint,
                        },
                        default=str,
                        ensure_ascii=False,
                    )
                    self._report(
                        sheet.name,
                        number,
                        parsed.key,
                        Result(
                            Outcome.DUPLICATE,
                            _(
                                "Same name as an existing person, date of birth not contradicting: decide."
                            )
                            if row is None
                            else _(
                                "Same name as an earlier row of the file, date of birth not contradicting: decide."
                            ),
                            candidate=person_id,
                            candidate_row=row
                            if row is not None
                            else self.person_rows.get(person_id),
                            pending=pending,
                        ),
                    )
                    continue
                self.index.add(keys, parsed.data.get("birth_date"), row=number)
                creates.append(parsed)
            self._write_group(sheet.name, creates, updates)

    def _parse_person(self, sheet, columns, number, cells) -> PersonRow | Result:
        data: dict = {}
        aliases: list[str] = []
        teams: list[str] = []
        exit: dict = {}
        fields: list[tuple[str, str, str]] = []
        notes: list[str] = []
        key = None
        values = self.mapping["values"]
        for position, label in enumerate(sheet.header):
            target = columns.get(label)
            raw = cells[position] if position < len(cells) else None
            if target is None or target == "ignore":
                continue
            if raw is not None and raw.startswith("="):
                notes.append(
                    _("The cell “%(column)s” starts with “=”: kept as text, never run.")
                    % {"column": label}
                )
            field_name = target if isinstance(target, str) else target["field"]
            if isinstance(raw, str) and field_name in values and raw in (values[field_name] or {}):
                raw = values[field_name][raw]
            try:
                if field_name == "source_key":
                    key = raw.strip() if raw else None
                elif field_name == "full_name":
                    if raw:
                        data["given_name"] = raw.strip()[:100]
                        if len(raw.strip()) > 100:
                            notes.append(_("The name was cut to 100 characters."))
                elif field_name in ("given_name", "family_name", "name_original", "phone"):
                    if raw:
                        data[field_name] = raw.strip()
                elif field_name == "other_names":
                    aliases += split_multi(raw)
                elif field_name == "sex":
                    data["sex"] = to_sex(raw)
                elif field_name == "birth_date":
                    data["birth_date"] = to_date(raw, today=self.today)
                elif field_name == "nationality":
                    if raw:
                        code = to_country(raw)
                        if code is None:
                            raise ValueProblem(_("Unknown country “%(value)s”.") % {"value": raw})
                        if code:
                            data["nationality"] = code
                        else:
                            fields.append((mano.SOCIAL, label, raw))
                elif field_name == "languages":
                    data["languages"] = [v.lower() for v in split_multi(raw)]
                elif field_name == "teams":
                    teams += split_multi(raw)
                elif field_name == "out_of_active_list" and to_bool(raw):
                    exit["out"] = True
                elif field_name == "exit_date":
                    exit["date"] = to_date(raw, today=self.today)
                elif field_name == "exit_reasons":
                    exit["reasons"] = split_multi(raw)
                elif field_name == "imported" and raw is not None:
                    fields.append((target["category"], label, mano.readable(raw)))
            except ValueProblem as problem:
                return Result(Outcome.ERROR, problem.message, column=label, value=raw or "")
        if not data.get("given_name") and data.get("family_name"):
            data["given_name"], data["family_name"] = data["family_name"], ""
        if not data.get("given_name"):
            return Result(Outcome.ERROR, _("This row has no name."), column="", value="")
        if aliases:
            data["aliases"] = aliases
        # Nationality and sex are known values already (to_country, to_sex).
        nationality = data.pop("nationality", None)
        sex = data.pop("sex", None)
        try:
            cleaned = clean_person_data(data, today=self.today)
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            column = next(
                (
                    c
                    for c, t in columns.items()
                    if t == field_name or (field_name == "given_name" and t == "full_name")
                ),
                field_name,
            )
            return Result(
                Outcome.ERROR,
                "; ".join(messages),
                column=column,
                value=str(data.get(field_name, ""))[:255],
            )
        aliases = cleaned.pop("aliases", [])
        if nationality:
            cleaned["nationality"] = nationality
        if sex:
            cleaned["sex"] = sex
        projects: list[int] = []
        for team in teams:
            found = self.teams.resolve(team)
            if found is None:
                return Result(
                    Outcome.ERROR, _("This team maps to no project."), column="teams", value=team
                )
            if found[0] not in projects:
                projects.append(found[0])
        if not projects:
            projects = [self.batch.project.pk]
        if exit.get("out") or exit.get("date"):
            reasons = exit.get("reasons", [])
            exit = {
                "out": True,
                "date": exit.get("date") or self.today,
                "reason": to_exit_reason(reasons),
                "note": ", ".join(reasons)[:255],
            }
        else:
            exit = {}
        if key is None:
            key = (
                "row:"
                + fingerprint(
                    cleaned.get("given_name"), cleaned.get("family_name"), cleaned.get("birth_date")
                )[:40]
            )
        return PersonRow(
            number=number,
            key=key,
            data=cleaned,
            aliases=aliases,
            projects=projects,
            exit=exit,
            fields=fields,
            # Plain values only: their repr is stable, and cheaper than JSON.
            fingerprint=hashlib.sha256(
                repr(
                    (sorted(cleaned.items()), aliases, projects, sorted(exit.items()), fields)
                ).encode()
            ).hexdigest(),
            notes=notes,
        )

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
        for parsed in rows:
            row = dict(PERSON_DEFAULTS)
            row.update({k: v for k, v in parsed.data.items() if k in PERSON_DEFAULTS})
            if parsed.exit:
                row.update(
                    is_active=False,
                    exit_date=parsed.exit["date"],
                    exit_reason=parsed.exit["reason"],
                    exit_note=parsed.exit["note"],
                )
            row.update(created_at=now, updated_at=now, created_by_id=actor_id)
            values.append(tuple(row[c] for c in PERSON_COLUMNS))
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
                    person_name_keys(
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
                k: [None, audit._jsonable(v)]
                for k, v in parsed.data.items()
                if v not in (None, "", [], False) and k not in ("phone", "contact_notes")
            }
            events.append(
                (
                    now,
                    actor_id,
                    str(Event.IMPORT_CREATE),
                    "people.person",
                    str(person.pk),
                    event_project,
                    changes,
                    {"batch": self.batch.pk, "version": 1},
                )
            )
        bulk.insert(Alias, ["person_id", "name"], aliases)
        bulk.insert(NameKey, ["person_id", "key"], keys)
        ImportedField.objects.bulk_create(fields, batch_size=1000)
        bulk.insert(
            ImportedRow,
            [
                "source",
                "entity",
                "source_key",
                "target_type",
                "target_id",
                "fingerprint",
                "version",
                "previous",
                "created_batch_id",
                "updated_batch_id",
            ],
            imported,
        )
        # Through the model: each audit row is sealed in the hash chain
        # (audit.chain); values made JSON-native first so that the sealed
        # content is exactly what the database gives back.
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    at=at,
                    actor_id=actor,
                    event=event,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    project_id=project_id,
                    changes=json.loads(json.dumps(changes, cls=DjangoJSONEncoder)),
                    extra=json.loads(json.dumps(extra, cls=DjangoJSONEncoder)),
                )
                for at, actor, event, subject_type, subject_id, project_id, changes, extra in events
            ],
            batch_size=1000,
        )
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
        person = Person.objects.select_for_update().filter(pk=person_id).first()
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
                    person_name_keys(
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
                    done = [self._write_record(entity, *item) for item in todo]
            except Exception as error:
                log.warning(
                    "import batch %s: group failed (%s), row by row",
                    self.batch.pk,
                    type(error).__name__,
                )
                done = []
                for item in todo:
                    try:
                        with transaction.atomic():
                            done.append(self._write_record(entity, *item))
                    except Exception as row_error:
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
            target = care.Encounter.objects.select_for_update().filter(pk=target_id).first()
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
            derive_first_visits(encounter.person, encounter.discipline)
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

    def _sheet_consultations(self, sheet: Sheet) -> None:
        types = self.mapping["consultation_types"]

        def build(row):
            status = row.get("status") or row.get("Statut") or ""
            if status.strip().upper() == "ANNULEE":
                return Result(Outcome.SKIPPED, _("Cancelled in Mano (ANNULEE)."))
            if status.strip().upper() == "A FAIRE":
                return Result(
                    Outcome.SKIPPED,
                    _("Not done yet in Mano (A FAIRE): an appointment, not an encounter."),
                )
            kind = (row.get("type") or row.get("Type") or "").strip()
            discipline = types.get(kind)
            if discipline is None:
                return Result(
                    Outcome.ERROR,
                    _(
                        "This consultation type maps to no discipline: add it to the mapping's consultation_types."
                    ),
                    column="type",
                    value=kind,
                )
            person = self._person_of(row, "person", "Personne suivie - id")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(
                    Outcome.ERROR, _("This consultation names no person."), column="person"
                )
            where = self._where(row, mano.present(row, "teams", "Équipe"))
            if isinstance(where, Result):
                return where
            moment = self._moment(
                row, "completedAt", "Complétée le", "dueAt", "À faire le", "createdAt", "Créée le"
            )
            if moment is None:
                return Result(
                    Outcome.ERROR, _("This consultation has no date."), column="completedAt"
                )
            notes, problems = mano.consultation_text(row, kind)
            details = {}
            if discipline == Discipline.MEDICAL:
                details[care.MedicalDetails] = mano.vitals(row)
            return {
                "kind": "encounter",
                "encounter": {
                    "discipline": discipline,
                    "person_id": person,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": moment,
                    "confidential_note": notes,
                },
                "details": details,
                "_notes": problems,
            }

        self._records(sheet, "consultations", build)

    def _sheet_treatments(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(Outcome.ERROR, _("This treatment names no person."), column="person")
            start = self._moment(row, "startDate", "createdAt")
            if start is None:
                return Result(Outcome.ERROR, _("This treatment has no date."), column="startDate")
            end = self._moment(row, "endDate")
            where = self._where(row, [])
            if isinstance(where, Result):
                return where
            days = (end.date() - start.date()).days if end else None
            dose = ", ".join(filter(None, [row.get("dosage"), row.get("frequency")]))[:120]
            comments, problems = mano.embedded_comments(row.get("comments"))
            note = "\n".join(
                filter(
                    None,
                    [row.get("indication") and f"{_('Indication')}: {row['indication']}", comments],
                )
            )
            return {
                "kind": "encounter",
                "encounter": {
                    "discipline": Discipline.MEDICAL,
                    "person_id": person,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": start,
                    "confidential_note": note,
                },
                "details": {
                    care.MedicalDetails: {
                        "treatments": (row.get("name") or "")[:255],
                        "treatment_dose": dose,
                        "treatment_days": days if days and 0 < days < 32767 else None,
                    }
                },
                "_notes": problems,
            }

        self._records(sheet, "treatments", build)

    def _sheet_medical_files(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person", "id")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(
                    Outcome.ERROR, _("This medical file names no person."), column="person"
                )
            fields = [
                (mano.MEDICAL, label, mano.readable(value))
                for label, value in row.items()
                if value and label not in mano.MEDICAL_FILE_TECHNICAL
            ]
            return {"kind": "fields", "person": person, "fields": fields}

        self._records(sheet, "medical_files", build)

    def _activity(self, sheet: Sheet, entity: str, discipline: str, needs_person: bool) -> None:
        def build(row):
            person = self._person_of(row, "person", "Personne suivie - id")
            if isinstance(person, Result):
                return person
            if person is None and needs_person:
                return Result(Outcome.ERROR, _("This row names no person."), column="person")
            where = self._where(row, mano.present(row, "team", "teams", "Équipe"))
            if isinstance(where, Result):
                return where
            moment = self._moment(row, "date", "Date", "createdAt")
            if moment is None:
                return Result(Outcome.ERROR, _("This row has no date."), column="date")
            built = {
                "kind": "encounter",
                "encounter": {
                    "discipline": discipline,
                    "person_id": person,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": moment,
                    "confidential_note": row.get("comment") or row.get("Commentaire") or "",
                },
                "details": {care.ActivityDetails: {}},
            }
            if person is None:
                built["tallies"] = [("unknown", 1)]
            return built

        self._records(sheet, entity, build)

    def _sheet_passages(self, sheet: Sheet) -> None:
        self._activity(sheet, "passages", Discipline.DAY_CENTRE, needs_person=False)

    def _sheet_rencontres(self, sheet: Sheet) -> None:
        self._activity(sheet, "rencontres", Discipline.OUTREACH, needs_person=True)

    def _sheet_territories(self, sheet: Sheet) -> None:
        for number, cells in sheet.rows:
            row = dict(zip(sheet.header, cells, strict=False))
            key = row.get("_id") or ""
            self.territories[key] = (row.get("name") or "")[:120]
            self._tick()
            self._report(
                sheet.name,
                number,
                key,
                Result(
                    Outcome.SKIPPED,
                    _("A territory: its name becomes the place of its observations."),
                ),
            )

    def _sheet_observations(self, sheet: Sheet) -> None:
        def build(row):
            where = self._where(row, mano.present(row, "team", "Équipe"))
            if isinstance(where, Result):
                return where
            moment = self._moment(row, "observedAt", "Observé le", "createdAt")
            if moment is None:
                return Result(
                    Outcome.ERROR, _("This observation has no date."), column="observedAt"
                )
            place = (
                self.territories.get(row.get("territory") or "", "")
                or (row.get("Territoire - Nom") or "")[:120]
            )
            tallies, text = mano.observation_figures(row)
            return {
                "kind": "encounter",
                "encounter": {
                    "discipline": Discipline.OUTREACH,
                    "person_id": None,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": moment,
                    "confidential_note": text,
                },
                "details": {care.ActivityDetails: {"place": place}},
                "tallies": tallies or [("unknown", 0)],
            }

        self._records(sheet, "observations", build)

    def _sheet_actions(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person", "Personne suivie - id")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(Outcome.ERROR, _("This action names no person."), column="person")
            due = self._moment(row, "dueAt", "À faire le")
            done = self._moment(row, "completedAt", "Complétée le")
            categories = row.get("categories") or row.get("Catégories") or row.get("category") or ""
            text = "\n".join(
                filter(
                    None,
                    [
                        row.get("name") or row.get("Nom"),
                        categories and f"{_('Categories')}: {categories}",
                        row.get("description") or row.get("Description"),
                    ],
                )
            )
            return {
                "kind": "note",
                "fields": {
                    "person_id": person,
                    "category": mano.SOCIAL,
                    "kind": ImportedNote.Kind.ACTION,
                    "written_on": done.astimezone(PARIS).date() if done else None,
                    "due_on": due.astimezone(PARIS).date() if due else None,
                    "status": mano.action_status(row.get("status") or row.get("Statut")),
                    "text": text,
                },
            }

        self._records(sheet, "actions", build)

    def _sheet_comments(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person")
            if isinstance(person, Result):
                return person
            if person is None and row.get("action"):
                person = self.action_persons.get(row["action"]) or self._action_person(
                    row["action"]
                )
            if person is None:
                return Result(
                    Outcome.ERROR,
                    _("This comment names no person or known action."),
                    column="person",
                )
            moment = self._moment(row, "date", "createdAt")
            return {
                "kind": "note",
                "fields": {
                    "person_id": person,
                    "category": mano.SOCIAL,
                    "kind": ImportedNote.Kind.COMMENT,
                    "written_on": moment.astimezone(PARIS).date() if moment else None,
                    "text": row.get("comment") or "",
                },
            }

        self._records(sheet, "comments", build)

    def _action_person(self, key: str) -> int | None:
        known = self._known("actions").get(key)
        if known is None:
            return None
        return ImportedNote.objects.filter(pk=known[1]).values_list("person_id", flat=True).first()


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=PARIS)


def decimal_or_none(text) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", ".")) if text not in (None, "") else None
    except InvalidOperation:
        return None


__all__ = ["GROUP", "Importer", "day_start", "decimal_or_none", "progress_key", "timedelta"]
