from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from parcours.access.docs import embedded_names, embedded_table, replace_names, replace_table

DEFAULT_PATH = Path("docs/access.md")


class Command(BaseCommand):
    help = (
        "Rewrite the policy table and the audit names in docs/access.md from the code "
        "(or --check them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_PATH))
        parser.add_argument("--check", action="store_true", help="fail if the document is stale")

    def handle(self, *args, path, check, **options):
        document_path = Path(path)
        document = document_path.read_text(encoding="utf-8")
        with translation.override("en"):
            if embedded_table(document) is None:
                raise CommandError(f"{path} has no policy-table markers")
            if embedded_names(document) is None:
                raise CommandError(f"{path} has no audit-names markers")
            updated = replace_names(replace_table(document))
        if check:
            if updated != document:
                raise CommandError(f"{path} is out of date: run `parcours access_doc`")
            self.stdout.write("docs/access.md matches the policy and the audit names")
            return
        document_path.write_text(updated, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
