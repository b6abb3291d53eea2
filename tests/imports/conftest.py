import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from parcours.imports import services

# A Mano raw export's persons sheet, in Mano's own column order (default organisation).
MANO_PERSON_HEADER = [
    "_id",
    "createdAt",
    "updatedAt",
    "updatedBy",
    "deletedAt",
    "Situation personnelle",
    "Nationalité",
    "Avec animaux",
    "Ressources",
    "Couverture(s) médicale(s)",
    "outOfActiveListReasons",
    "user",
    "name",
    "otherNames",
    "gender",
    "birthdate",
    "description",
    "alertness",
    "phone",
    "assignedTeams",
    "followedSince",
    "outOfActiveList",
    "outOfActiveListDate",
    "documents",
    "history",
    "encryptedEntityKey",
    "entityKey",
]
TEAM_CALAIS = "7c1c0f7e-0000-4000-8000-00000000ca1a"
TEAM_DUNKERQUE = "7c1c0f7e-0000-4000-8000-0000000000d0"


def mano_person(**values) -> list:
    row = dict.fromkeys(MANO_PERSON_HEADER)
    row.update(
        {
            "_id": values.pop("_id", "p-1"),
            "createdAt": "2024-01-10T09:00:00.000Z",
            "name": "Amanuel Tesfay",
            "assignedTeams": TEAM_CALAIS,
            "entityKey": "c2VjcmV0LWtleQ==",
        }
    )
    row.update(values)
    return [row[h] for h in MANO_PERSON_HEADER]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows, *, sep=";", encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerows(rows)
    return path


def teams_sheet() -> list[list]:
    return [
        ["_id", "name", "organisation", "createdAt", "updatedAt", "nightSession", "color"],
        [TEAM_CALAIS, "Maraude Calais", "org", "2023-01-01T00:00:00.000Z", "", "", "#fff"],
        [TEAM_DUNKERQUE, "Accueil Dunkerque", "org", "2023-01-01T00:00:00.000Z", "", "", "#000"],
    ]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_import(world, media):
    """run_import(path, dry_run=False, actor=…, project=…, mapping=…) → the batch, run."""

    def _run(path: Path, *, dry_run=False, actor=None, project=None, mapping=None, today=None):
        actor = actor or world.coordinator
        with Path(path).open("rb") as handle:
            batch = services.batch_create(
                actor=actor,
                project=project or world.calais,
                name=Path(path).name,
                chunks=[handle.read()],
                size=Path(path).stat().st_size,
                dry_run=dry_run,
                mapping=mapping,
            )
        return services.batch_run(actor=actor, batch=batch, dry_run=dry_run, today=today)

    return _run


def outcomes(batch) -> list[tuple[str, int, str]]:
    return list(batch.rows.values_list("sheet", "row_number", "outcome"))


@pytest.fixture(autouse=True)
def _english():
    """Messages asserted in English, the source language (pages follow the user's)."""
    from django.utils import translation

    with translation.override("en"):
        yield
