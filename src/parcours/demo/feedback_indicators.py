"""The demo MEAL plans' feedback indicators (Calais and Dunkerque): items
received, complaints about a service, sensitive items (a total), % of items
acknowledged and answered on time, under a result of their own (R-FB) so
that they sit beside the other modules' indicators without touching them.

Written through ``parcours.meal.services``; running it again changes nothing.
"""

from datetime import date

from parcours.meal import services
from parcours.meal.models import Indicator, Level, Objective, Target
from parcours.meal.periods import Period
from parcours.org.models import Project

MONTHS = 14

RESULT = (
    "R-FB",
    "Les personnes accompagnées donnent leur avis et se plaignent sans crainte ; "
    "elles reçoivent une réponse dans les délais.",
)
ACTIVITY = (
    "A-FB",
    "Mécanisme de retours et de plaintes : formulaire public multilingue, "
    "permanences, boîtes à idées, réunions communautaires.",
)


def _count(code, filters=()):
    return {"fact": code, "measure": "count", "filters": list(filters)}


def _is(field):
    return {"field": field, "op": "eq", "value": True}


# code: (name_fr, name_en, monthly target or ratio target, definition)
INDICATORS = {
    "FB-ITEMS": (
        "Retours reçus (hors sensibles)",
        "Feedback items received (not sensitive)",
        10,
        _count("feedback_items"),
    ),
    "FB-COMPL": (
        "Plaintes sur un service",
        "Complaints about a service",
        None,
        _count("feedback_items", [{"field": "category", "op": "eq", "value": "service_complaint"}]),
    ),
    "FB-SENS": (
        "Retours sensibles (total anonyme)",
        "Sensitive feedback items (anonymous total)",
        None,
        _count("feedback_sensitive"),
    ),
    "FB-ACK": (
        "% de retours dont la réception est confirmée dans les délais",
        "% of feedback items acknowledged on time",
        90,
        {
            "measure": "ratio",
            "numerator": _count("feedback_items", [_is("acknowledged_on_time")]),
            "denominator": _count("feedback_items", [_is("acknowledgement_due")]),
        },
    ),
    "FB-RESP": (
        "% de retours ayant reçu une réponse dans les délais",
        "% of feedback items responded to on time",
        80,
        {
            "measure": "ratio",
            "numerator": _count("feedback_items", [_is("responded_on_time")]),
            "denominator": _count("feedback_items", [_is("response_due")]),
        },
    ),
}


def _boxes(actor, project) -> Objective | None:
    """The result box (and its activity) under the operational objective."""
    boxes = {o.code: o for o in Objective.objects.filter(project=project)}
    parent = boxes.get("OS1")
    if parent is None:
        return None
    result = boxes.get(RESULT[0])
    if result is None:
        order = len(boxes)
        result = services.objective_save(
            actor=actor,
            project=project,
            data={"code": RESULT[0], "level": Level.RESULT, "narrative": RESULT[1],
                  "parent": parent, "order": order},
        )  # fmt: skip
        services.objective_save(
            actor=actor,
            project=project,
            data={"code": ACTIVITY[0], "level": Level.ACTIVITY, "narrative": ACTIVITY[1],
                  "parent": result, "order": order + 1},
        )  # fmt: skip
    return result


def seed_feedback_indicators(actor, *, today: date) -> int:
    """Returns the number of feedback indicators of the demo plans."""
    last = Period.containing(today, "month")
    months = [last.previous(n) for n in range(MONTHS - 1, -1, -1)]
    count = 0
    for code in ("CAL", "DUN"):
        project = Project.objects.filter(code=code).first()
        result = _boxes(actor, project) if project is not None else None
        if result is None:
            continue
        for order, (ind_code, (name_fr, name_en, target, spec)) in enumerate(INDICATORS.items()):
            indicator = Indicator.objects.filter(project=project, code=ind_code).first()
            if indicator is None:
                indicator = services.indicator_save(
                    actor=actor,
                    project=project,
                    data={
                        "code": ind_code,
                        "name_fr": name_fr,
                        "name_en": name_en,
                        "objective": result,
                        "order": 100 + order,
                        "unit": "%" if spec.get("measure") == "ratio" else "retours",
                        "source": "Mécanisme de retours et de plaintes (Parcours)",
                        "owner": "Chargé·e MEAL",
                        **spec,
                    },
                )
            count += 1
            if target is not None and not Target.objects.filter(indicator=indicator).exists():
                Target.objects.bulk_create(
                    Target(indicator=indicator, period=m.code, value=target) for m in months
                )
    return count
