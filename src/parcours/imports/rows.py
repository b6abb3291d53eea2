"""What the import engine passes around: a row's outcome (``Result``), a
parsed person row, fingerprints, and the team → project resolution."""

import hashlib
import json
from dataclasses import dataclass, field

from parcours.imports.models import ReportRow
from parcours.org.models import Project, Site
from parcours.people.models import Person

GROUP = 2000
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
PERSON_POSITION = {name: i for i, name in enumerate(PERSON_COLUMNS)}


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
