from parcours.access.policy import Action, Category
from parcours.access.scope import can, is_configuration_admin


def navigation(request) -> dict:
    """What the menu may offer: computed from the policy, never in templates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "people": can(user, Category.IDENTITY, Action.VIEW),
            "register": can(user, Category.IDENTITY, Action.CREATE),
            "configuration": is_configuration_admin(user),
        }
    }
