"""The menu entry of the indicators, for who reads figures only (MEAL
officers, advocacy): the others reach them from their home page, and a
longer menu would not fit a tablet."""

from parcours.access.scope import may
from parcours.access.terms import Action, Category
from parcours.meal.access import figure_project_ids


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    figures_only = not may(user, Action.VIEW, Category.IDENTITY)
    return {"meal_nav": figures_only and bool(figure_project_ids(user))}
