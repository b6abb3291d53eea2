"""The menu entry of the indicators, for who reads some of them."""

from parcours.meal.access import figure_project_ids


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"meal_nav": bool(figure_project_ids(user))}
