"""What a user may see and do: the only functions that decide.

Pages, API endpoints, exports and reports ask these functions; no other
module compares roles, reads memberships or filters on project membership
itself. Every look-up of an object a user asked for fetches and checks in
one step and raises Http404 both when the object does not exist and when
the user may not see it (never a 403 that would confirm it exists).

This package sits below the modules whose data it guards (people, care…):
it names their models by app label (``apps.get_model``), the way a foreign
key does, and never imports them. Each module's own project sets (who
validates a daily report, who reads a MEAL figure…) are in ``module_scopes``.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from parcours.access import policy
from parcours.access.memberships import memberships, project_ids_for, projects_with_role
from parcours.access.models import BreakGlass, CareAssignment
from parcours.access.terms import Action, Category, Role
from parcours.audit.models import AccessLog
from parcours.audit.services import log_access

# Ids are 64-bit in the database: anything larger cannot exist.
MAX_ID = 2**63 - 1


def parse_id(value) -> int:
    """An id from a URL or a query string, or 404 (never a 500 on a huge number)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= MAX_ID:
        raise Http404
    return number


# --- the user's projects and roles -------------------------------------------


def may(user, action: str, category: str, project=None) -> bool:
    """May ``user`` take ``action`` on ``category`` in ``project`` (a Project or
    its id), or in at least one of their projects when ``project`` is None?"""
    ids = project_ids_for(user, category, action)
    if project is None:
        return bool(ids)
    return getattr(project, "pk", project) in ids


def projects_where(user, action: str, category: str) -> set[int]:
    """Ids of the projects in which ``user`` may take ``action`` on ``category``."""
    return project_ids_for(user, category, action)


def working_projects(user) -> set[int]:
    """Ids of the projects the user works in, whatever the role."""
    return {pid for pid, _role in memberships(user)}


def user_roles(user) -> list[tuple[int, Role]]:
    """(project id, role) pairs, for showing a user their own roles."""
    return [(pid, Role(role)) for pid, role in memberships(user)]


def is_configuration_admin(user) -> bool:
    return bool(projects_with_role(user, policy.CONFIGURATION_ROLES))


def configuration_roles() -> frozenset[Role]:
    """The roles that administer the system (the last one may not be removed)."""
    return policy.CONFIGURATION_ROLES


def may_review_break_glass(user) -> bool:
    return bool(projects_with_role(user, policy.BREAK_GLASS_REVIEWERS))


def break_glass_role(user) -> Role | None:
    """The clinical role a user may break glass with (any project), if any."""
    roles = {role for _pid, role in memberships(user)}
    for role in sorted(roles):
        if role in policy.BREAK_GLASS_ROLES:
            return Role(role)
    return None


def may_edit_directory(user) -> bool:
    """May the user add, change and import entries of the service directory?"""
    return bool(projects_with_role(user, policy.DIRECTORY_EDITORS))


def opens_persons(user) -> bool:
    """May the user open a person's record in some project (identity view, or
    break-glass)? Such accounts need a second factor (accounts.mfa)."""
    return may(user, Action.VIEW, Category.IDENTITY) or break_glass_role(user) is not None


def grant_needs_approval(role: str) -> bool:
    """Giving this role needs a second person's approval: it reads clinical content."""
    return policy.reads_clinical(role)


def grant_approver_projects(user) -> set[int]:
    """Projects whose pending grants of clinical roles the user approves or refuses."""
    return projects_with_role(user, policy.GRANT_APPROVERS)


def break_glass_review_projects(user) -> set[int]:
    return projects_with_role(user, policy.BREAK_GLASS_REVIEWERS)


def break_glass_hours() -> int:
    return policy.BREAK_GLASS_HOURS


def break_glass_other_missions(user, person) -> list[str]:
    """Names of the person's missions when the user works in none of them
    (break-glass stays inside the user's own missions); empty otherwise."""
    project_model = apps.get_model("org", "Project")
    mine = set(
        project_model.objects.filter(pk__in=working_projects(user)).values_list(
            "mission_id", flat=True
        )
    )
    theirs = dict(
        project_model.objects.filter(_enrolled_in_project(person.pk)).values_list(
            "mission_id", "mission__name"
        )
    )
    if not theirs or mine & set(theirs):
        return []
    return sorted(set(theirs.values()))


def _enrolled_in_project(person_id: int) -> Q:
    enrolment = apps.get_model("people", "Enrolment")
    return Q(Exists(enrolment.objects.filter(project=OuterRef("pk"), person_id=person_id)))


def break_glass_openings_since(user, since) -> int:
    """How many records the user opened (or asked to open) by break-glass since then."""
    return BreakGlass.objects.filter(user=user, opened_at__gte=since).count()


# --- persons -----------------------------------------------------------------


def _person_model():
    return apps.get_model("people", "Person")


def _enrolled_in(project_ids, ref="pk"):
    Enrolment = apps.get_model("people", "Enrolment")
    return Exists(Enrolment.objects.filter(person=OuterRef(ref), project_id__in=project_ids))


def visible_persons(user, action: str = Action.VIEW, *, project=None, for_count: bool = False):
    """The persons whose identity ``user`` may take ``action`` on (their projects).

    ``project`` narrows to one project; one outside the user's gives no one
    (it never confirms that a person is followed elsewhere). ``for_count``
    gives the same rows in the form that counts fastest."""
    Person = _person_model()
    ids = project_ids_for(user, Category.IDENTITY, action)
    if project is not None:
        ids &= {getattr(project, "pk", project)}
    if not ids:
        return Person.objects.none()
    if for_count:
        return Person.objects.counted_in_projects(ids)
    return Person.objects.in_projects(ids)


def person_for(user, person_id, action: str = Action.VIEW, *, read: str = "", request=None):
    """The person if ``user`` may take ``action`` on their identity, else 404.

    With ``read`` (what the page or endpoint shows), the access-log row is
    written here, once, for page and API alike. Merged records stay readable
    (their page points to the kept record). A person reached through an open
    break-glass carries it as ``person.break_glass``.
    """
    person_id = parse_id(person_id)
    person = visible_persons(user, action).filter(pk=person_id).first()
    if person is None and action == Action.VIEW:
        opening = break_glass_in_force(user, person_id)
        if opening is not None:
            person = _person_model().objects.filter(pk=person_id).first()
            if person is not None:
                person.break_glass = opening
    if person is None:
        raise Http404
    if read:
        log_reads(request, [person], read)
    return person


def log_reads(request, persons, read: str, *, export: bool = False) -> None:
    """One access-log row per person shown (or exported), channel and purpose
    from the request."""
    persons = list(persons)
    if not persons:
        return
    api_user = getattr(request, "auth", None)
    channel = AccessLog.Channel.API if api_user is not None else AccessLog.Channel.WEB
    log_access(
        user=api_user if api_user is not None else request.user,
        persons=persons,
        what=read,
        channel=AccessLog.Channel.EXPORT if export else channel,
        purpose=request.GET.get("purpose", ""),
        break_glass=any(getattr(p, "break_glass", None) is not None for p in persons),
    )


def person_projects(person) -> set[int]:
    """The person's projects, read once per Person instance (one request)."""
    cached = getattr(person, "_project_ids", None)
    if cached is None:
        cached = set(person.enrolments.values_list("project_id", flat=True))
        person._project_ids = cached
    return set(cached)


def forget_person_projects(person) -> None:
    """Call after a person's enrolments change."""
    person.__dict__.pop("_project_ids", None)


def may_on_person(user, action: str, category: str, person) -> bool:
    """May ``user`` take ``action`` on ``category`` in one of the person's projects?"""
    return bool(project_ids_for(user, category, action) & person_projects(person))


def works_with(user, person) -> bool:
    """The user sees the person through one of their own projects (not break-glass)."""
    return may_on_person(user, Action.VIEW, Category.IDENTITY, person)


def enrolment_projects(user, person) -> set[int]:
    """Projects where the user may register persons and this person is not yet
    followed: where an explicit enrolment by the user is possible."""
    return project_ids_for(user, Category.IDENTITY, Action.CREATE) - person_projects(person)


def care_team_projects(user, person) -> set[int]:
    """The person's projects in which the user assigns the care team."""
    return projects_with_role(user, policy.ASSIGNING_ROLES) & person_projects(person)


def care_team_candidates(project_ids):
    """Memberships of active staff who may be assigned to a person's care in
    these projects (the project's clinicians of the assignable roles)."""
    Membership = apps.get_model("accounts", "Membership")
    return (
        Membership.objects.filter(
            project_id__in=project_ids, role__in=policy.ASSIGNABLE_ROLES, user__is_active=True
        )
        .select_related("user", "project")
        .order_by("project__name", "user__last_name", "user__first_name", "user__username")
    )


def roles_in_projects(user_ids, project_ids) -> dict[tuple[int, int], list[Role]]:
    """(user id, project id) → the roles those users hold there, for display."""
    Membership = apps.get_model("accounts", "Membership")
    roles: dict[tuple[int, int], list[Role]] = {}
    rows = Membership.objects.filter(user_id__in=user_ids, project_id__in=project_ids)
    for user_id, project_id, role in rows.values_list("user_id", "project_id", "role"):
        roles.setdefault((user_id, project_id), []).append(Role(role))
    return roles


def is_assigned(user, person) -> bool:
    return CareAssignment.objects.filter(person=person, user=user, ended_at__isnull=True).exists()


def break_glass_in_force(user, person_id: int) -> BreakGlass | None:
    """The user's break-glass opening of this record that has not expired, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        BreakGlass.objects.filter(user=user, person_id=person_id, expires_at__gt=timezone.now())
        .filter(Q(needs_approval=False) | Q(approved_at__isnull=False))
        .order_by("-expires_at")
        .first()
    )


def break_glass_reviewable_by(user):
    """Openings of records of persons followed in projects the user reviews."""
    projects = projects_with_role(user, policy.BREAK_GLASS_REVIEWERS)
    if not projects:
        return BreakGlass.objects.none()
    return BreakGlass.objects.filter(_enrolled_in(projects, "person_id")).select_related(
        "user", "person", "reviewed_by"
    )


# --- vulnerability flags -----------------------------------------------------


def flag_category(flag: str) -> Category:
    return policy.FLAG_CATEGORIES[flag]


def flags_by_category() -> dict[Category, list[str]]:
    grouped: dict[Category, list[str]] = {}
    for flag, category in policy.FLAG_CATEGORIES.items():
        grouped.setdefault(category, []).append(flag)
    return grouped


def _category_persons_q(user, category: Category) -> Q | None:
    """Persons whose ``category`` the user sees in full, as a filter on Person."""
    projects = project_ids_for(user, category, Action.VIEW)
    if not projects:
        return None
    if category not in policy.ASSIGNMENT_REQUIRED:
        return Q(_enrolled_in(projects))
    referent = projects & projects_with_role(user, policy.REFERENT_ROLES)
    assigned = Exists(
        CareAssignment.objects.filter(person=OuterRef("pk"), user=user, ended_at__isnull=True)
    )
    return Q(_enrolled_in(referent)) | (Q(_enrolled_in(projects)) & Q(assigned))


def flags_offered(user) -> list[str]:
    """Flags the user may filter a list on: those of categories they see in full
    somewhere (for sexual violence: as a referent, or assigned to someone's care)."""

    def sees(category: Category) -> bool:
        projects = project_ids_for(user, category, Action.VIEW)
        if not projects or category not in policy.ASSIGNMENT_REQUIRED:
            return bool(projects)
        if projects & projects_with_role(user, policy.REFERENT_ROLES):
            return True
        return CareAssignment.objects.filter(user=user, ended_at__isnull=True).exists()

    seen = {category: sees(category) for category in set(policy.FLAG_CATEGORIES.values())}
    return [flag for flag, category in policy.FLAG_CATEGORIES.items() if seen[category]]


def flag_filter(user, flag: str) -> Q | None:
    """Persons carrying ``flag`` whose flag the user may see, or None when the
    user may see this flag on nobody (the filter is then refused)."""
    category = policy.FLAG_CATEGORIES.get(flag)
    if category is None:
        return None
    seen = _category_persons_q(user, category)
    if seen is None:
        return None
    PersonFlag = apps.get_model("people", "PersonFlag")
    carries = Exists(PersonFlag.objects.filter(person=OuterRef("pk"), flag=flag))
    return Q(carries) & seen
