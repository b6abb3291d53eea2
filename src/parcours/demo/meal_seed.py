"""The demo MEAL plans: each French project's logframe, its indicators with
targets, typed values, narratives and export codes, from data/meal.yaml.

Written through ``parcours.meal.services`` (checked and audited like the
pages write them). Running it again changes nothing.
"""

import hashlib
from datetime import date
from pathlib import Path
from random import Random

import yaml

from parcours.meal import services
from parcours.meal.models import (
    ExportMapping,
    Indicator,
    IndicatorKind,
    Level,
    ManualValue,
    NarrativeValue,
    Objective,
    ObjectiveKind,
    ProjectMapping,
    Target,
)
from parcours.meal.periods import Period
from parcours.org.models import Project

DATA = Path(__file__).parent / "data" / "meal.yaml"
MONTHS = 14  # targets and typed values for the last months


def _uid(*parts: str) -> str:
    """A stable DHIS2-like identifier (11 characters, a letter first)."""
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return "d" + digest[:10]


def _logframe(actor, project, spec) -> dict[str, Objective]:
    boxes: dict[str, Objective] = {o.code: o for o in Objective.objects.filter(project=project)}

    def ensure(code, level, narrative, parent=None, kind=""):
        if code not in boxes:
            boxes[code] = services.objective_save(
                actor=actor,
                project=project,
                data={
                    "code": code,
                    "level": level,
                    "narrative": narrative,
                    "parent": parent,
                    "kind": kind,
                    "order": len(boxes),
                },
            )
        return boxes[code]

    name = project.name
    goal = ensure("OG", Level.GOAL, spec["OG"].format(name=name))
    specific = {
        "OS1": ensure(
            "OS1", Level.SPECIFIC, spec["OS1"].format(name=name), goal, ObjectiveKind.OPERATIONAL
        ),
        "OS2": ensure(
            "OS2", Level.SPECIFIC, spec["OS2"].format(name=name), goal, ObjectiveKind.INFLUENCE
        ),
    }
    for code, (parent, result, activity) in spec["results"].items():
        box = ensure(code, Level.RESULT, result, specific[parent])
        ensure(f"A{code[1:]}", Level.ACTIVITY, activity, box)
    ensure(
        "R6",
        Level.RESULT,
        "Les situations observées sont documentées et portées auprès des autorités.",
        specific["OS2"],
    )
    ensure("A6", Level.ACTIVITY, "Plaidoyer et coordination inter-acteurs.", boxes["R6"])
    return boxes


def _months(today: date) -> list[Period]:
    last = Period.containing(today, "month")
    return [last.previous(n) for n in range(MONTHS - 1, -1, -1)]


def seed_meal(actor, *, today: date | None = None, seed: int = 2016) -> int:
    """Seed the French projects' MEAL plans; returns the number of indicators."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    today = today or date.today()
    months = _months(today)
    random = Random(f"{seed}:meal")
    count = 0
    for project_code, project_spec in data["projects"].items():
        project = Project.objects.filter(code=project_code).first()
        if project is None:
            continue
        boxes = _logframe(actor, project, data["logframe"])
        ProjectMapping.objects.get_or_create(
            project=project,
            defaults={
                "org_unit": _uid("ou", project_code),
                "dataset": _uid("ds", "meal"),
                "hxl_org": "Parcours – mission France",
                "hxl_adm1": project_spec.get("adm1", ""),
            },
        )
        for order, (code, monthly) in enumerate(project_spec["targets"].items()):
            spec = dict(data["library"][code])
            indicator = Indicator.objects.filter(project=project, code=code).first()
            if indicator is None:
                indicator = services.indicator_save(
                    actor=actor,
                    project=project,
                    data={
                        **{
                            k: v
                            for k, v in spec.items()
                            if k not in ("level", "mapped", "manual", "ratio_target")
                        },
                        "code": code,
                        "objective": boxes.get(spec.get("level", "")),
                        "order": order,
                    },
                )
            count += 1
            _targets(indicator, months, monthly, spec.get("ratio_target"))
            _typed(actor, indicator, months, spec, data["narratives"], random)
            _mappings(indicator, project_code, spec.get("mapped", ()))
    return count


def _targets(indicator, months, monthly, ratio_target) -> None:
    if indicator.kind == IndicatorKind.NARRATIVE:
        return
    value = ratio_target if indicator.is_ratio else monthly
    if value is None:
        return
    periods = list(months)
    if not indicator.is_ratio:
        years = {m.start.year for m in months}
        periods += [Period.year(y) for y in years]
    existing = set(Target.objects.filter(indicator=indicator).values_list("period", flat=True))
    rows = []
    for period in periods:
        if period.code in existing:
            continue
        amount = value * 12 if period.kind == "year" and not indicator.is_ratio else value
        rows.append(Target(indicator=indicator, period=period.code, value=amount))
    Target.objects.bulk_create(rows)


def _typed(actor, indicator, months, spec, narratives, random) -> None:
    if indicator.kind == IndicatorKind.MANUAL:
        low, high = spec["manual"]
        done = set(ManualValue.objects.filter(indicator=indicator).values_list("period", flat=True))
        for period in months[:-1]:  # the current month is not over
            if period.code not in done:
                services.value_set(
                    actor=actor,
                    indicator=indicator,
                    period=period.code,
                    value=random.randint(low, high),
                    comment="Relevé mensuel",
                )
    elif indicator.kind == IndicatorKind.NARRATIVE:
        done = set(
            NarrativeValue.objects.filter(indicator=indicator).values_list("period", flat=True)
        )
        for i, period in enumerate(months[-4:-1]):
            if period.code not in done:
                services.value_set(
                    actor=actor,
                    indicator=indicator,
                    period=period.code,
                    text=narratives[(i + indicator.project_id) % len(narratives)],
                )


def _mappings(indicator, project_code, mapped) -> None:
    if (
        indicator.kind == IndicatorKind.NARRATIVE
        or ExportMapping.objects.filter(indicator=indicator).exists()
    ):
        return
    element = _uid("de", indicator.code)
    rows = [ExportMapping(indicator=indicator, disaggregation={}, data_element=element)]
    for dimension in mapped:
        if dimension == "sex":
            for sex in ("female", "male"):
                rows.append(
                    ExportMapping(
                        indicator=indicator,
                        disaggregation={"sex": sex},
                        data_element=element,
                        category_option_combo=_uid("coc", sex),
                        hxl_tags="+f" if sex == "female" else "+m",
                    )
                )
    ExportMapping.objects.bulk_create(rows)
