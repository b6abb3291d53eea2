"""Print the data-quality summary of the projects for a month (every check,
counts only: no name, no record id)."""

import time

from django.core.management.base import BaseCommand, CommandError

from parcours.org.models import Project
from parcours.quality.evaluate import full_scope, summarise
from parcours.quality.months import last_month, parse_month


class Command(BaseCommand):
    help = "Data-quality score and findings per check, per project, for a month."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="project code (default: every project)")
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--json", action="store_true", help="one JSON line per project")

    def handle(self, *args, project=None, month=None, json=False, **options):
        import json as jsonlib

        chosen = parse_month(month) if month else last_month()
        if chosen is None:
            raise CommandError("--month must be YYYY-MM, e.g. 2026-10")
        projects = Project.objects.order_by("mission__name", "name")
        if project:
            projects = projects.filter(code=project)
            if not projects.exists():
                raise CommandError(f"no project with the code {project!r}")
        scope = full_scope()
        for item in projects:
            started = time.perf_counter()
            summary = summarise(item, chosen, scope)
            elapsed = (time.perf_counter() - started) * 1000
            if json:
                data = summary.as_dict() | {"ms": round(elapsed)}
                self.stdout.write(jsonlib.dumps(data, ensure_ascii=False))
                continue
            score = "—" if summary.score is None else f"{summary.score} %"
            self.stdout.write(
                f"{item.code} {item.name} · {chosen.code}: score {score} "
                f"({summary.with_findings} of {summary.checked} records with a finding; "
                f"{elapsed:.0f} ms)"
            )
            for result in summary.results:
                self.stdout.write(
                    f"  {result.check.code:<24} {result.found:>6} / {result.checked:<6} "
                    f"{result.check.label}"
                )
