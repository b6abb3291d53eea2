"""``parcours import FILE [--mapping mapping.yaml] [--project CODE] [--dry-run] [--user NAME]``

Imports a Mano export (raw ``data.xlsx``, formatted exports, the person-import
template) or any CSV/XLSX kept by a team. Files of at most 50 MB. A dry run
prints the row-level report's counts and writes it as XLSX next to the file
(``--report PATH`` to choose); nothing else is written.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from parcours.imports import services
from parcours.imports.mapping import MappingError, load_yaml
from parcours.imports.readers import MAX_MB, ImportFileError
from parcours.imports.report import report_workbook
from parcours.org.models import Project


class Command(BaseCommand):
    help = f"Import a Mano export or a team's CSV/XLSX file (at most {MAX_MB} MB)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", help="a mapping saved as YAML (columns, values, teams)")
        parser.add_argument("--project", help="code of the project to import into")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--user", help="username the import is recorded under")
        parser.add_argument("--report", help="where to write the row-level report (XLSX)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        project = self._project(options["project"])
        actor = self._actor(options["user"], project)
        mapping = None
        if options["mapping"]:
            try:
                mapping = load_yaml(Path(options["mapping"]).read_text(encoding="utf-8"))
            except MappingError as error:
                raise CommandError(error.message) from None
        try:
            with path.open("rb") as handle:
                batch = services.batch_create(
                    actor=actor,
                    project=project,
                    name=path.name,
                    chunks=iter(lambda: handle.read(1 << 20), b""),
                    size=path.stat().st_size,
                    dry_run=options["dry_run"],
                    mapping=mapping,
                )
            batch = services.batch_run(
                actor=actor, batch=batch, dry_run=options["dry_run"], on_progress=self._progress
            )
        except (ImportFileError, MappingError) as error:
            raise CommandError(error.message) from None
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        sys.stderr.write("\n")
        if batch.status == batch.Status.FAILED:
            raise CommandError(batch.message)
        report = Path(options["report"] or path.with_suffix(".report.xlsx"))
        report_workbook(batch).save(report)
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(batch.counts.items()))
        label = "Dry run (nothing written)" if batch.dry_run else "Imported"
        self.stdout.write(f"{label}: batch {batch.pk}, {counts}. Report: {report}")

    def _progress(self, done: int, total: int) -> None:
        width = 40
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * min(filled, width):<{width}}] {done}/{total or '?'} rows")
        sys.stderr.flush()

    def _project(self, code):
        projects = Project.objects.all()
        if code:
            project = projects.filter(code=code).first()
            if project is None:
                raise CommandError(f"no project with the code {code}")
            return project
        if projects.count() != 1:
            raise CommandError("say which project to import into: --project CODE")
        return projects.get()

    def _actor(self, username, project):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"no active user {username}")
            return user
        from parcours.access.module_scopes import import_projects

        for user in users.order_by("pk"):
            if project.pk in import_projects(user):
                return user
        raise CommandError("no user may import into this project: give --user")
