from parcours.access.module_scopes import daily_report_projects
from parcours.access.scope import (
    break_glass_role,
    grant_approver_projects,
    is_configuration_admin,
    may,
    may_review_break_glass,
)
from parcours.access.terms import Action, Category


def navigation(request) -> dict:
    """What the menu may offer: computed from the policy, never in templates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "people": may(user, Action.VIEW, Category.IDENTITY),
            "register": may(user, Action.CREATE, Category.IDENTITY),
            "export_people": may(user, Action.EXPORT, Category.IDENTITY),
            "duplicates": may(user, Action.MERGE, Category.IDENTITY),
            "configuration": is_configuration_admin(user),
            "break_glass": break_glass_role(user) is not None,
            "break_glass_review": may_review_break_glass(user),
            "daily": bool(daily_report_projects(user)),
            "stock": may(user, Action.VIEW, Category.STOCK),
            "role_grants": bool(grant_approver_projects(user)),
        }
    }
