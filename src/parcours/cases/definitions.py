"""Pathway definitions, read from data/pathways.yaml (declared as data).

Labels are English in the file and translated through the catalogue
(``labels.py`` lists them for makemessages)."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext

from parcours.access.terms import Category

DATA = Path(__file__).parent / "data" / "pathways.yaml"
ANCHORS = ("event", "start", "gestation")
UNITS = ("hours", "days", "weeks")
DISCIPLINES = ("medical", "mental_health", "social", "legal_protection")


@dataclass(frozen=True)
class Deadline:
    anchor: str  # event, start, gestation or step:<key>
    unit: str  # hours (elapsed), days or weeks (calendar, local wall clock)
    amount: int

    @property
    def after_step(self) -> str:
        return self.anchor[5:] if self.anchor.startswith("step:") else ""

    def delta(self) -> timedelta:
        return timedelta(**{self.unit: self.amount})


@dataclass(frozen=True)
class StepDef:
    key: str
    label: str
    discipline: str
    deadline: Deadline | None = None
    protocol: str = ""
    completes_when: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return gettext(self.label)


@dataclass(frozen=True)
class PathwayDef:
    kind: str
    label: str
    category: Category
    event: str
    protocol: str
    steps: tuple[StepDef, ...]

    @property
    def title(self) -> str:
        return gettext(self.label)

    @property
    def event_label(self) -> str:
        return gettext(self.event)

    @property
    def needs_gestation(self) -> bool:
        return any(s.deadline and s.deadline.anchor == "gestation" for s in self.steps)

    def step(self, key: str) -> StepDef | None:
        return next((s for s in self.steps if s.key == key), None)


class DefinitionError(ValueError):
    pass


def _deadline(raw, keys: set[str]) -> Deadline | None:
    if not raw:
        return None
    anchor = str(raw.get("from", ""))
    units = [u for u in UNITS if u in raw]
    if len(units) != 1:
        raise DefinitionError(f"deadline needs one of {UNITS}: {raw}")
    if anchor not in ANCHORS and not (anchor.startswith("step:") and anchor[5:] in keys):
        raise DefinitionError(f"unknown deadline anchor {anchor!r}")
    amount = int(raw[units[0]])
    if amount < 0:
        raise DefinitionError("a deadline is not negative")
    return Deadline(anchor=anchor, unit=units[0], amount=amount)


def parse(data: dict) -> dict[str, PathwayDef]:
    pathways = {}
    for kind, raw in data.items():
        keys = [s["key"] for s in raw["steps"]]
        if len(set(keys)) != len(keys):
            raise DefinitionError(f"{kind}: step keys repeat")
        steps = []
        for s in raw["steps"]:
            if s["discipline"] not in DISCIPLINES:
                raise DefinitionError(f"{kind}/{s['key']}: unknown discipline")
            steps.append(
                StepDef(
                    key=s["key"],
                    label=s["label"],
                    discipline=s["discipline"],
                    deadline=_deadline(s.get("deadline"), set(keys)),
                    protocol=s.get("protocol", ""),
                    completes_when=dict(s.get("completes_when") or {}),
                )
            )
        pathways[kind] = PathwayDef(
            kind=kind,
            label=raw["label"],
            category=Category(raw["category"]),
            event=raw.get("event", ""),
            protocol=raw.get("protocol", ""),
            steps=tuple(steps),
        )
    return pathways


@cache
def pathways() -> dict[str, PathwayDef]:
    with DATA.open(encoding="utf-8") as f:
        return parse(yaml.safe_load(f))


def definition(kind: str) -> PathwayDef:
    try:
        return pathways()[kind]
    except KeyError:
        raise DefinitionError(kind) from None


def choices() -> list[tuple[str, str]]:
    return [(kind, d.title) for kind, d in pathways().items()]
