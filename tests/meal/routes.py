"""Access rules of the meal/ pages, for the authorisation-matrix test.

Figures are read per project by who may count there (exact, or with small
cells suppressed for advocacy); an indicator by who may count its
categories (the target is Calais' MED-CONS); the MEAL plan is edited by
the project's coordinators and MEAL officers. Everyone else: 404.
"""

MEAL_ROUTES = {
    "meal:index": "meal_figures_anywhere",
    "meal:mission": "meal_figures_anywhere",
    "meal:dashboard": "meal_project_figures",
    "meal:logframe": "meal_project_figures",
    "meal:logframe_print": "meal_project_figures",
    "meal:logframe_xlsx": "meal_project_figures",
    "meal:export": "meal_project_figures",
    "meal:indicator": "meal_indicator",
    "meal:objective_new": "meal_plan",
    "meal:objective_edit": "meal_plan",
    "meal:indicator_new": "meal_plan",
    "meal:indicator_edit": "meal_plan",
    "meal:indicator_plan": "meal_plan",
}

_PROJECT_FIGURES = {
    "coordinator",
    "doctor",
    "psychologist",
    "social_worker",
    "lawyer",
    "outreach",
    "reception",
    "meal",
    "advocacy",
    "referent",
    # The pharmacy's indicators (stock-out days, items below minimum).
    "logistics",
    # Counts the sensitive feedback items' anonymous total (feedback_sensitive).
    "safeguarding",
}
MEAL_CONDITIONAL_RULES = {
    # The Dunkerque doctor reads Dunkerque's figures (same mission: France).
    "meal_figures_anywhere": _PROJECT_FIGURES | {"dunkerque_doctor"},
    "meal_project_figures": _PROJECT_FIGURES,
    "meal_indicator": {"coordinator", "doctor", "meal", "advocacy", "referent"},
    "meal_plan": {"coordinator", "meal"},
}


def meal_targets(world) -> dict:
    from tests.meal.fixtures import calais_plan

    ids = calais_plan(world)
    return {
        "indicator_id": ids["indicator_id"],
        "objective_id": ids["objective_id"],
        "mission_id": world.france.pk,
    }
