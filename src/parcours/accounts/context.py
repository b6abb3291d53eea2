from parcours.access.policy import BREAK_GLASS_REVIEWERS, Action, Category
from parcours.access.scope import can, is_configuration_admin, memberships


def break_glass_role(user):
    from parcours.access.services import break_glass_role as role_of

    return role_of(user)


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
            "break_glass": break_glass_role(user) is not None,
            "break_glass_review": any(
                role in BREAK_GLASS_REVIEWERS for _p, role in memberships(user)
            ),
        }
    }
