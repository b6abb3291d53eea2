"""A Calais MEAL plan shared by the access tests (API routes and pages)."""

from parcours.meal.models import (
    ExportMapping,
    Indicator,
    Level,
    Objective,
    ProjectMapping,
    Target,
)


def calais_plan(world) -> dict:
    """The Calais logframe with MED-CONS mapped for every export; ids by name."""
    goal, _ = Objective.objects.get_or_create(
        project=world.calais,
        code="GO",
        defaults={"level": Level.GOAL, "narrative": "Health and dignity of people in transit"},
    )
    ind, created = Indicator.objects.get_or_create(
        project=world.calais,
        code="MED-CONS",
        defaults={
            "objective": goal,
            "name_fr": "Consultations médicales",
            "name_en": "Medical consultations",
            "fact": "medical",
            "measure": "count",
        },
    )
    if created:
        Target.objects.create(indicator=ind, period="2026-10", value=100)
        ExportMapping.objects.create(indicator=ind, data_element="deMEDCONS01")
        ProjectMapping.objects.create(
            project=world.calais,
            org_unit="ouCALAIS001",
            dataset="dsMEAL00001",
            hxl_org="Parcours",
            hxl_adm1="Hauts-de-France",
        )
    return {"indicator_id": ind.pk, "objective_id": goal.pk, "project_id": world.calais.pk}
