"""Writes of the imports app: batches, runs, undo and duplicate decisions.
Every one is access-checked (module_scopes.import_projects) and audited."""

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import import_projects, import_report_projects
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.audit.models import AuditEvent
from parcours.care.models import Encounter
from parcours.imports.contacts import current_data
from parcours.imports.engine import Importer, PersonRow
from parcours.imports.mapping import suggest_mapping, validate_mapping
from parcours.imports.models import ImportBatch, ImportedField, ImportedNote, ImportedRow, ReportRow
from parcours.imports.readers import ImportFileError, check_size, read_header_only
from parcours.lib import stored_files
from parcours.network.models import Service
from parcours.network.services import service_save
from parcours.people.models import Enrolment, Person

UPLOAD_DIR = "imports"  # in the default storage (lib/stored_files.py)


def check_may_import(actor, project) -> None:
    if project.pk not in import_projects(actor):
        raise PermissionDenied(_("You may not import files into this project."))


def batch_create(
    *, actor, project, name: str, chunks, size: int, dry_run: bool = True, mapping=None
) -> ImportBatch:
    """Store the uploaded file (outside the web root) and read its headers;
    ImportFileError when it is not what it claims to be (nothing kept)."""
    check_may_import(actor, project)
    check_size(size)
    suffix = Path(name).suffix.lower()[:6]
    try:
        stored = stored_files.save(UPLOAD_DIR, suffix, chunks)
    except OSError:
        raise ImportFileError(
            _("The file could not be stored just now: try again in a moment.")
        ) from None
    try:
        with stored_files.local_copy(stored) as path:
            kind, sheets = read_header_only(path)
        if not sheets:
            raise ImportFileError(_("The file holds no sheet with column names."))
    except ImportFileError:
        stored_files.delete(stored)
        raise
    if mapping is None:
        persons = next((h for n, h, _e in sheets if "person" in n.lower()), sheets[0][1])
        mapping = suggest_mapping(persons)
    else:
        mapping = validate_mapping(mapping)
    return ImportBatch.objects.create(
        project=project,
        file_name=Path(name).name[:255],
        stored_path=stored,
        file_size=size,
        file_kind=kind,
        dry_run=dry_run,
        mapping=mapping,
        total_rows=sum(e for _n, _h, e in sheets),
        created_by=actor,
    )


def batch_headers(batch: ImportBatch) -> list[tuple[str, list[str], int]]:
    try:
        with stored_files.local_copy(batch.stored_path) as path:
            return read_header_only(path)[1]
    except (ImportFileError, OSError):
        return []


def mapping_save(*, actor, batch: ImportBatch, mapping: dict) -> ImportBatch:
    check_may_import(actor, batch.project)
    batch.mapping = validate_mapping(mapping)
    batch.save(update_fields=["mapping"])
    return batch


def batch_prepare(*, actor, batch: ImportBatch, dry_run: bool) -> ImportBatch:
    """The batch to run, marked running: the uploaded one the first time,
    then a new batch (its own report) on a copy of the file."""
    check_may_import(actor, batch.project)
    if batch.status == ImportBatch.Status.RUNNING:
        raise ValidationError(_("This import is already running."))
    if not stored_files.exists(batch.stored_path):
        raise ValidationError(_("The file of this import is no longer kept: upload it again."))
    if batch.status != ImportBatch.Status.PENDING:
        path = stored_files.copy(batch.stored_path, UPLOAD_DIR)
        batch = ImportBatch.objects.create(
            project=batch.project,
            file_name=batch.file_name,
            stored_path=path,
            file_size=batch.file_size,
            file_kind=batch.file_kind,
            mapping=batch.mapping,
            total_rows=batch.total_rows,
            created_by=actor,
        )
    batch.dry_run = dry_run
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["dry_run", "status"])
    return batch


def batch_execute(
    *, actor, batch: ImportBatch, today: date | None = None, on_progress=None
) -> ImportBatch:
    with stored_files.local_copy(batch.stored_path) as path:
        Importer(batch, actor=actor, today=today, on_progress=on_progress, path=path).run()
    if not batch.dry_run:
        # The data is in Parcours now: the uploaded copy is not kept.
        stored_files.delete(batch.stored_path)
        ImportBatch.objects.filter(pk=batch.pk).update(stored_path="")
        batch.stored_path = ""
    return batch


def batch_run(
    *, actor, batch: ImportBatch, dry_run: bool, today: date | None = None, on_progress=None
) -> ImportBatch:
    batch = batch_prepare(actor=actor, batch=batch, dry_run=dry_run)
    return batch_execute(actor=actor, batch=batch, today=today, on_progress=on_progress)


def run_in_background(batch_id: int, actor_id: int) -> None:
    """Run a prepared import outside the request (its page refreshes with the progress)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    try:
        batch = ImportBatch.objects.get(pk=batch_id)
        actor = get_user_model().objects.get(pk=actor_id)
        try:
            batch_execute(actor=actor, batch=batch)
        except Exception as error:  # never leave a batch "running" forever
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportBatch.Status.FAILED, message=type(error).__name__
            )
            raise
    finally:
        connection.close()


# --- undo -----------------------------------------------------------------------


def undo_problem(batch: ImportBatch) -> str:
    """Why the batch cannot be undone, or ""."""
    if batch.dry_run:
        return _("A dry run wrote nothing: there is nothing to undo.")
    if batch.status not in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
        return _("Only a finished import can be undone.")
    if not ImportedRow.objects.filter(created_batch=batch).exists():
        return _("This import wrote nothing: there is nothing to undo.")
    later = ImportedRow.objects.filter(updated_batch__gt=batch.pk, created_batch=batch)
    if later.exists():
        return _("A later import updated records of this one: undo that one first.")
    rows = ImportedRow.objects.filter(created_batch=batch)
    persons = dict(rows.filter(target_type="people.person").values_list("target_id", "version"))
    for pk, version in Person.objects.filter(pk__in=persons).values_list("pk", "version"):
        if version != persons[pk]:
            return _("Records of this import were edited since: it can no longer be undone.")
    encounters = dict(rows.filter(target_type="care.encounter").values_list("target_id", "version"))
    for pk, version in Encounter.objects.filter(pk__in=encounters).values_list("pk", "version"):
        if version != encounters[pk]:
            return _("Records of this import were edited since: it can no longer be undone.")
    notes = dict(
        rows.filter(target_type="imports.importednote").values_list("target_id", "version")
    )
    for pk, version in ImportedNote.objects.filter(pk__in=notes).values_list("pk", "version"):
        if version != notes[pk]:
            return _("Records of this import were edited since: it can no longer be undone.")
    services = dict(rows.filter(target_type="network.service").values_list("target_id", "version"))
    for pk, version in Service.objects.filter(pk__in=services).values_list("pk", "version"):
        if version != services[pk]:
            return _("Records of this import were edited since: it can no longer be undone.")
    others = Encounter.objects.filter(person_id__in=persons).exclude(pk__in=encounters)
    if others.exists():
        return _(
            "Encounters were recorded since for persons of this import: it can no longer be undone."
        )
    since = AuditEvent.objects.filter(
        subject_type="people.person",
        subject_id__in=[str(pk) for pk in persons],
        at__gt=batch.finished_at or batch.created_at,
    ).exclude(event__in=[Event.IMPORT_CREATE, Event.IMPORT_UPDATE])
    if since.exists():
        return _("Records of this import were edited since: it can no longer be undone.")
    return ""


@transaction.atomic
def batch_undo(*, actor, batch: ImportBatch) -> None:
    check_may_import(actor, batch.project)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    problem = undo_problem(batch)
    if problem:
        raise ValidationError(problem)
    rows = ImportedRow.objects.filter(created_batch=batch)
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in rows.values_list("target_type", "target_id"):
        by_type.setdefault(target_type, []).append(target_id)
    # Records updated by this batch get their values back.
    for row in ImportedRow.objects.filter(updated_batch=batch).exclude(created_batch=batch):
        if row.target_type == "people.person" and row.previous:
            Person.objects.filter(pk=row.target_id).update(**_restorable(row.previous))
    try:
        ImportedNote.objects.filter(pk__in=by_type.get("imports.importednote", [])).delete()
        ImportedField.objects.filter(batch=batch).delete()
        Encounter.objects.filter(pk__in=by_type.get("care.encounter", [])).delete()
        persons = by_type.get("people.person", [])
        Enrolment.objects.filter(person_id__in=persons).delete()
        Person.objects.filter(pk__in=persons).delete()
    except ProtectedError:
        raise ValidationError(
            _("Records of this import were opened or linked since: it can no longer be undone.")
        ) from None
    # Directory entries are taken out of use, not deleted: referrals may name them.
    for service in Service.objects.filter(pk__in=by_type.get("network.service", [])):
        service_save(
            actor=actor,
            data={**current_data(service), "is_active": False},
            service=service,
            version=service.version,
        )
    rows.delete()
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = actor
    batch.save(update_fields=["status", "undone_at", "undone_by"])
    audit.record(
        actor=actor,
        event=Event.IMPORT_UNDO,
        subject=batch,
        project=batch.project,
        extra={"removed": {k: len(v) for k, v in by_type.items()}},
    )


def _restorable(previous: dict) -> dict:
    values = dict(previous)
    for field in ("birth_date", "exit_date"):
        if values.get(field):
            values[field] = date.fromisoformat(values[field])
    return values


# --- suspected duplicates ----------------------------------------------------------


@transaction.atomic
def duplicate_decide(*, actor, batch: ImportBatch, row: ReportRow, decision: str) -> ReportRow:
    """Link the row to the suspected person (enrolled in the batch's project
    if needed), or create it as a new person."""
    if batch.project_id not in import_report_projects(actor):
        raise PermissionDenied(_("You may not decide on this import."))
    row = ReportRow.objects.select_for_update().get(pk=row.pk, batch=batch)
    if batch.dry_run or row.outcome != ReportRow.Outcome.DUPLICATE or row.decision:
        raise ValidationError(_("There is nothing to decide on this row."))
    if decision not in (ReportRow.Decision.LINK, ReportRow.Decision.CREATE):
        raise ValidationError(_("Choose to link or to create."))
    pending = json.loads(row.pending or "{}")
    source = batch.mapping.get("source", "file")
    if ImportedRow.objects.filter(
        source=source, entity="persons", source_key=pending.get("key")
    ).exists():
        raise ValidationError(_("This row was imported since (by a later run)."))
    if decision == ReportRow.Decision.LINK:
        person = row.candidate
        if person is None:
            raise ValidationError(_("The suspected person no longer exists: create a new one."))
        if not Enrolment.objects.filter(person=person, project=batch.project).exists():
            from parcours.people.services import _next_code

            Enrolment.objects.create(
                person=person, project=batch.project, code=_next_code(batch.project)
            )
        ImportedRow.objects.create(
            source=source,
            entity="persons",
            source_key=pending["key"],
            target_type="people.person",
            target_id=person.pk,
            fingerprint=pending.get("fingerprint", ""),
            version=person.version,
            created_batch=batch,
        )
        subject = person
    else:
        data = dict(pending["data"])
        if data.get("birth_date"):
            data["birth_date"] = date.fromisoformat(data["birth_date"])
        exit = dict(pending.get("exit") or {})
        if exit.get("date"):
            exit["date"] = date.fromisoformat(exit["date"])
        importer = Importer(batch, actor=actor)
        parsed = PersonRow(
            number=row.row_number,
            key=pending["key"],
            data=data,
            aliases=pending.get("aliases", []),
            projects=pending.get("projects") or [batch.project_id],
            exit=exit,
            fields=[tuple(f) for f in pending.get("fields", [])],
            fingerprint=pending.get("fingerprint", ""),
        )
        created = importer._create_persons(row.sheet, [parsed])[0]
        subject = Person.objects.get(pk=created.pk)
    row.decision = decision
    row.pending = ""
    row.save(update_fields=["decision", "pending"])
    audit.record(
        actor=actor,
        event=Event.IMPORT_DECISION,
        subject=subject,
        project=batch.project,
        extra={"batch": batch.pk, "row": row.row_number, "decision": decision},
    )
    return row
