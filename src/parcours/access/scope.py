"""Where the policy meets the data: who may act on what, in which projects.

Every read of an object a user asked for goes through a ``get_*_for``
function that fetches and checks in one step and raises Http404 both when
the object does not exist and when the user may not see it.
"""

from django.http import Http404

from parcours.access.policy import CONFIGURATION_ROLES, Action, Category, allowed


def memberships(user) -> list[tuple[int, str]]:
    """(project id, role) pairs of the user, cached on the user for one request.

    Memberships only change through the admin pages; consent decisions are
    never cached (they are read from the database on every request).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_parcours_memberships", None)
    if cached is None:
        cached = list(user.memberships.values_list("project_id", "role"))
        user._parcours_memberships = cached
    return cached


def project_ids_for(user, category: str, action: str) -> set[int]:
    """Projects in which one of the user's roles allows ``action`` on ``category``."""
    return {pid for pid, role in memberships(user) if allowed(role, category, action)}


def can(user, category: str, action: str, project_id: int | None = None) -> bool:
    ids = project_ids_for(user, category, action)
    return bool(ids) if project_id is None else project_id in ids


def is_configuration_admin(user) -> bool:
    return any(role in CONFIGURATION_ROLES for _pid, role in memberships(user))


def visible_project_ids(user) -> set[int]:
    """Projects the user works in, whatever the role."""
    return {pid for pid, _role in memberships(user)}


def persons_visible_to(user, action: str = Action.VIEW):
    from parcours.people.models import Person

    ids = project_ids_for(user, Category.IDENTITY, action)
    if not ids:
        return Person.objects.none()
    return Person.objects.in_projects(ids)


def get_person_for(user, person_id, *, action: str = Action.VIEW):
    """The person if the user may take ``action`` on their identity, else 404.

    Merged records stay readable (their page points to the kept record).
    A person reached through an open break-glass carries it as
    ``person.break_glass`` so callers log the access as such.
    """

    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = persons_visible_to(user, action).filter(pk=person_id).first()
    if person is None and action == Action.VIEW:
        person = _via_break_glass(user, person_id)
    if person is None:
        raise Http404
    return person


def _via_break_glass(user, person_id: int):
    """A record opened by break-glass stays readable until the opening expires."""
    from parcours.access.services import open_break_glass
    from parcours.people.models import Person

    opening = open_break_glass(user, person_id)
    if opening is None:
        return None
    person = Person.objects.filter(pk=person_id).first()
    if person is not None:
        person.break_glass = opening
    return person


def person_project_ids(person) -> set[int]:
    """The person's projects, read once per Person instance (one request)."""
    cached = getattr(person, "_project_ids", None)
    if cached is None:
        cached = set(person.enrolments.values_list("project_id", flat=True))
        person._project_ids = cached
    return set(cached)


def forget_person_projects(person) -> None:
    """Call after a person's enrolments change."""
    person.__dict__.pop("_project_ids", None)


def can_on_person(user, person, category: str, action: str) -> bool:
    return bool(project_ids_for(user, category, action) & person_project_ids(person))
