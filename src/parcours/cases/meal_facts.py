"""What the MEAL engine counts of pathways and cases (docs/meal.md).

Sexual-violence pathways and their steps are counted only for incidents
whose person consented to anonymous reporting, like the incidents
themselves; their category keeps them to the readers who may count sexual
violence. Steps are dated by their deadline, so that "PEP within 72 h" is
the steps whose deadline fell in the period and that were done in time
(``done_in_time``), over all of them.
"""

from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.cases.casework import ClosureReason
from parcours.cases.definitions import pathways
from parcours.cases.models import Case, Pathway, PathwayStep, RiskLevel, Task, TaskStatus
from parcours.meal.facts import (
    Fact,
    Field,
    Part,
    age_group_expression,
    minor_adult_expression,
    register,
)

CONSENTED = "source__sv_incident__consent_anonymous_reporting"
PERSON_DIMENSIONS = ("sex", "age_group", "minor_adult", "nationality")


def _dimensions(person: str, when: str) -> dict:
    birth = f"{person}__birth_date"
    return {
        "sex": f"{person}__sex",
        "age_group": lambda window: age_group_expression(birth, when, window),
        "minor_adult": lambda window: minor_adult_expression(birth, when, window),
        "nationality": f"{person}__nationality",
    }


def _steps(kind: str) -> tuple:
    return tuple((s.key, s.label) for s in pathways()[kind].steps)


STATUS = Field("status", "status", _("status"), "choice", tuple(Pathway.Status.choices))


def _person_fact(code, label, category, model, base, date: str, via: str, fields) -> None:
    """A fact of the cases module: rows of ``model`` dated by ``date``, whose
    project and person are reached through ``via`` ("" or "pathway__")."""
    register(
        Fact(
            code=code,
            label=label,
            category=category,
            discipline="cases",
            parts=(
                Part(
                    model=model,
                    base=base,
                    date=date,
                    project=f"{via}project",
                    person=f"{via}person",
                    dimensions=_dimensions(f"{via}person", date),
                ),
            ),
            fields=fields,
            dimensions=PERSON_DIMENSIONS,
        )
    )


GESTATIONAL_WEEKS = Field(
    "gestational_weeks", "gestational_weeks", _("gestational age at start (weeks)"), "int"
)


def _pathway_fact(code, label, kind, category, base):
    fields = (STATUS, GESTATIONAL_WEEKS) if kind == "safe_abortion" else (STATUS,)
    _person_fact(code, label, category, "cases.Pathway", base, "started_at", "", fields)


def _step_fact(code, label, kind, category, base):
    fields = (
        Field("step", "key", _("step"), "choice", _steps(kind)),
        Field("done_in_time", "done_in_time", _("done in time"), "bool"),
    )
    _person_fact(code, label, category, "cases.PathwayStep", base, "due_at", "pathway__", fields)


_pathway_fact(
    "sv_pathways",
    _("Sexual-violence survivor pathways started"),
    "sv_survivor",
    Category.SV_INCIDENT,
    lambda: Pathway.objects.filter(kind="sv_survivor", **{CONSENTED: True}),
)
_pathway_fact(
    "safe_abortion_pathways",
    _("Safe abortion care pathways started"),
    "safe_abortion",
    Category.MEDICAL,
    lambda: Pathway.objects.filter(kind="safe_abortion"),
)
_step_fact(
    "sv_pathway_steps",
    _("Sexual-violence pathway steps due (PEP within 72 h…)"),
    "sv_survivor",
    Category.SV_INCIDENT,
    lambda: PathwayStep.objects.filter(
        pathway__kind="sv_survivor", due_at__isnull=False, **{f"pathway__{CONSENTED}": True}
    ),
)
_step_fact(
    "safe_abortion_steps",
    _("Safe abortion pathway steps due"),
    "safe_abortion",
    Category.MEDICAL,
    lambda: PathwayStep.objects.filter(pathway__kind="safe_abortion", due_at__isnull=False),
)

_person_fact(
    "cases",
    _("Complex cases opened"),
    Category.SOCIAL,
    "cases.Case",
    lambda: Case.objects.all(),
    "opened_at",
    "",
    (
        Field("status", "status", _("status"), "choice", tuple(Case.Status.choices)),
        Field("risk_level", "risk_level", _("risk level"), "choice", tuple(RiskLevel.choices)),
        Field(
            "closure_reason",
            "closure_reason",
            _("closure reason"),
            "choice",
            tuple(ClosureReason.CHOICES),
        ),  # fmt: skip
    ),
)
_person_fact(
    "case_tasks",
    _("Case tasks created"),
    Category.SOCIAL,
    "cases.Task",
    lambda: Task.objects.all(),
    "created_at",
    "case__",
    (Field("status", "status", _("status"), "choice", tuple(TaskStatus.choices)),),
)
