"""A user's roles per project, read once per request. Internal to
parcours.access: other modules ask scope what the roles allow."""

from parcours.access.policy import allowed


def memberships(user) -> list[tuple[int, str]]:
    """(project id, role) pairs of the user, cached on the user for one request.

    Memberships only change through the configuration pages; consent decisions
    are never cached (they are read from the database on every request).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_parcours_memberships", None)
    if cached is None:
        cached = list(user.memberships.values_list("project_id", "role"))
        user._parcours_memberships = cached
    return cached


def project_ids_for(user, category: str, action: str) -> set[int]:
    """Projects in which one of the user's roles allows ``action`` on ``category``
    (worked out once per request and user, like the memberships)."""
    cache = getattr(user, "_parcours_projects", None)
    if cache is None:
        cache = {}
        if getattr(user, "is_authenticated", False):
            user._parcours_projects = cache
    key = (category, action)
    if key not in cache:
        cache[key] = frozenset(
            pid for pid, role in memberships(user) if allowed(role, category, action)
        )
    return set(cache[key])


def projects_with_role(user, roles) -> set[int]:
    return {pid for pid, role in memberships(user) if role in roles}
