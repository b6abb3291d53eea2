"""What a user may see and do: the only functions that decide.

Pages, API endpoints, exports and reports ask these functions; no other
module compares roles, reads memberships or filters on project membership
itself. Every look-up of an object a user asked for fetches and checks in
one step and raises Http404 both when the object does not exist and when
the user may not see it (never a 403 that would confirm it exists).

This package sits below the modules whose data it guards (people, care…):
it names their models by app label (``apps.get_model``), the way a foreign
key does, and never imports them.
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


# --- agenda ------------------------------------------------------------------


def appointment_clinicians(project_ids, categories):
    """Memberships of active staff whose role records one of ``categories`` in
    these projects: who may hold an appointment there (its clinician)."""
    Membership = apps.get_model("accounts", "Membership")
    roles = {
        role
        for role, grants in policy.POLICY.items()
        if any(Action.CREATE in grants.get(Category(c), ()) for c in categories)
    }
    return (
        Membership.objects.filter(project_id__in=project_ids, role__in=roles, user__is_active=True)
        .select_related("user", "project")
        .order_by("user__last_name", "user__first_name", "user__username", "project__name")
    )


# --- daily reports (figures of a project's day) ----------------------------------


def countable_categories(user, project) -> set[Category]:
    """Categories whose figures (counts, never a name) ``user`` may read for
    ``project`` (a Project or its id): those they may aggregate there, and
    those they read in full about anyone the project follows (a category
    that needs a care-team assignment: referents only)."""
    pid = getattr(project, "pk", project)
    referent = pid in projects_with_role(user, policy.REFERENT_ROLES)
    countable = set()
    for category in Category:
        in_full = category not in policy.ASSIGNMENT_REQUIRED or referent
        aggregate = pid in project_ids_for(user, category, Action.AGGREGATE)
        if aggregate or (in_full and pid in project_ids_for(user, category, Action.VIEW)):
            countable.add(category)
    return countable


def daily_report_projects(user) -> set[int]:
    """Projects whose daily reports the user reads: where they may count the
    activities (view or aggregate). Each figure of a report is then shown
    for the categories of ``countable_categories`` only."""
    return project_ids_for(user, Category.ACTIVITY, Action.VIEW) | project_ids_for(
        user, Category.ACTIVITY, Action.AGGREGATE
    )


def daily_report_notes_projects(user) -> set[int]:
    """Projects whose daily-report team notes the user reads (free text of
    the activity category: view in full, never for aggregate-only roles)."""
    return project_ids_for(user, Category.ACTIVITY, Action.VIEW)


def daily_report_write_projects(user) -> set[int]:
    """Projects whose daily-report team notes the user writes: who records
    activities there (create or edit on activity), and the validators."""
    return (
        project_ids_for(user, Category.ACTIVITY, Action.CREATE)
        | project_ids_for(user, Category.ACTIVITY, Action.EDIT)
        | daily_report_validate_projects(user)
    )


def daily_report_validate_projects(user) -> set[int]:
    """Projects whose daily reports the user validates (their coordinators)."""
    return projects_with_role(user, policy.DAILY_REPORT_VALIDATORS) & project_ids_for(
        user, Category.ACTIVITY, Action.VIEW
    )


# --- reports (SITREP, mission report) -----------------------------------------


def report_projects(user) -> set[int]:
    """Projects whose reports the user reads (figures only, never a name)."""
    return projects_with_role(user, policy.REPORT_READERS | policy.REPORT_OUTSIDE_READERS)


def report_outside_projects(user) -> set[int]:
    """Of those, the projects whose reports the user reads only with small
    cells suppressed (an outside role there, and no reader role)."""
    return projects_with_role(user, policy.REPORT_OUTSIDE_READERS) - projects_with_role(
        user, policy.REPORT_READERS
    )


def report_write_projects(user) -> set[int]:
    """Projects whose reports' narratives the user writes."""
    return projects_with_role(user, policy.REPORT_WRITERS)


def report_validate_projects(user) -> set[int]:
    """Projects whose reports the user validates (their coordinators)."""
    return projects_with_role(user, policy.REPORT_VALIDATORS)


# --- indicators (MEAL) -----------------------------------------------------------


def figure_categories(user, project) -> tuple[set[Category], set[Category]]:
    """(categories whose indicator figures ``user`` reads exactly in ``project``,
    categories they read only with small cells suppressed).

    Exact: ``countable_categories`` for a user holding there a role other than
    the small-cell roles (MEAL officers, coordinators, referents, clinicians
    for their own discipline). Suppressed: the categories of the small-cell
    roles (advocacy) not already exact."""
    pid = getattr(project, "pk", project)
    roles = {role for p, role in memberships(user) if p == pid}
    small_roles = {role for role in roles if role in policy.SMALL_CELL_ROLES}
    exact = countable_categories(user, pid) if roles - small_roles else set()
    suppressed: set[Category] = set()
    for role in small_roles:
        suppressed |= set(policy.SMALL_CELL_ROLES[role])
    return exact, suppressed - exact


def figure_projects(user) -> set[int]:
    """Projects where the user reads some indicator figures (exact or suppressed)."""
    ids = set()
    for pid in working_projects(user):
        exact, suppressed = figure_categories(user, pid)
        if exact or suppressed:
            ids.add(pid)
    return ids


def meal_plan_projects(user) -> set[int]:
    """Projects whose logframe and indicators the user edits (coordinators and
    MEAL officers of the project)."""
    return projects_with_role(user, policy.MEAL_PLAN_EDITORS)


# --- pharmacy and medical stock ------------------------------------------------


def order_validate_projects(user) -> set[int]:
    """Projects whose medical orders the user validates: where they are the
    medical referent (no other role, whatever its other rights)."""
    return projects_with_role(user, policy.ORDER_VALIDATORS) & project_ids_for(
        user, Category.STOCK, Action.VIEW
    )


def dispensing_person_projects(user) -> set[int]:
    """Projects in which a dispensing's person may be named to the user (by
    their person code): where the user opens medical records. Anywhere else
    a dispensing carries a pseudonymous reference only."""
    return project_ids_for(user, Category.MEDICAL, Action.VIEW)


# --- feedback, complaints and testimonies ------------------------------------


def members_who_may(project_ids, category: str, actions):
    """Memberships of active staff whose role may take every one of
    ``actions`` on ``category`` in these projects (e.g. who may handle a
    feedback item: view and edit its category)."""
    Membership = apps.get_model("accounts", "Membership")
    wanted = {Action(a) for a in actions}
    roles = {
        role
        for role, grants in policy.POLICY.items()
        if wanted <= grants.get(Category(category), frozenset())
    }
    return (
        Membership.objects.filter(project_id__in=project_ids, role__in=roles, user__is_active=True)
        .select_related("user", "project")
        .order_by("user__last_name", "user__first_name", "user__username", "project__name")
    )


def testimony_review_projects(user) -> set[int]:
    """Projects whose testimonies the user reviews (anonymisation checked,
    ready for advocacy): the protection team, where it reads testimonies."""
    return projects_with_role(user, policy.TESTIMONY_REVIEWERS) & project_ids_for(
        user, Category.TESTIMONY, Action.VIEW
    )


# --- imports and data protection ----------------------------------------------


def import_projects(user) -> set[int]:
    """Projects the user may import files into (coordinators, MEAL, admin)."""
    return projects_with_role(user, policy.IMPORT_ROLES)


def import_report_projects(user) -> set[int]:
    """Projects whose import reports (the rows of the file) the user reads:
    coordinators and MEAL, never the configuration admin."""
    return projects_with_role(user, policy.IMPORT_REPORT_ROLES)


def subject_access_projects(user) -> set[int]:
    """Projects whose persons' subject-access requests the user handles."""
    return projects_with_role(user, policy.SUBJECT_ACCESS_ROLES) & project_ids_for(
        user, Category.IDENTITY, Action.VIEW
    )


def erasure_projects(user) -> set[int]:
    """Projects whose persons the user may erase (anonymise) on request."""
    return projects_with_role(user, policy.ERASURE_ROLES) & project_ids_for(
        user, Category.IDENTITY, Action.EDIT
    )


def pseudonymised_export_projects(user) -> set[int]:
    """Projects whose pseudonymised data the user exports for analysis (MEAL)."""
    return projects_with_role(user, policy.PSEUDONYMISED_EXPORT_ROLES)


def may_read_register(user) -> bool:
    return bool(projects_with_role(user, policy.REGISTER_ROLES))


# --- case management, pathways and protocols (parcours.cases) ------------------


def case_manager_projects(user) -> set[int]:
    """Projects where the user opens, runs and closes cases, and sees all of
    them (coordinators, social workers, medical referents who see identities)."""
    return projects_with_role(user, policy.CASE_MANAGERS) & project_ids_for(
        user, Category.IDENTITY, Action.VIEW
    )


def caseload_projects(user) -> set[int]:
    """Projects whose caseload (open cases per worker) the user supervises."""
    return projects_with_role(user, policy.CASELOAD_SUPERVISORS) & project_ids_for(
        user, Category.IDENTITY, Action.VIEW
    )


def case_participant_projects(user) -> set[int]:
    """Projects where the user may own a case task or sit in a conference
    (and then sees that case only)."""
    return projects_with_role(user, policy.CASE_PARTICIPANTS) & project_ids_for(
        user, Category.IDENTITY, Action.VIEW
    )


def case_participants(project_ids):
    """Memberships of active staff who may take part in cases of these projects."""
    Membership = apps.get_model("accounts", "Membership")
    return (
        Membership.objects.filter(
            project_id__in=project_ids, role__in=policy.CASE_PARTICIPANTS, user__is_active=True
        )
        .select_related("user", "project")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def care_team_user_ids(person, project_id: int) -> set[int]:
    """Who the person's care team is for an alert: the members assigned to the
    person's care and the referents of the project (each alert is then shown
    only to who sees its content in full)."""
    Membership = apps.get_model("accounts", "Membership")
    assigned = set(
        CareAssignment.objects.filter(person=person, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    referents = set(
        Membership.objects.filter(
            project_id=project_id, role__in=policy.REFERENT_ROLES
        ).values_list("user_id", flat=True)
    )
    return assigned | referents


def protocol_reader(user) -> bool:
    """Protocols and SOPs are read by every member of a project."""
    return bool(memberships(user))


def protocol_editor(user) -> bool:
    return bool(projects_with_role(user, policy.PROTOCOL_EDITORS))


def custom_field_projects(user) -> set[int]:
    """Projects whose custom fields (form definitions) the user designs."""
    return projects_with_role(user, policy.CUSTOM_FIELD_DESIGNERS)


def may_design_custom_field(user, project_id: int, categories) -> bool:
    """May the user define (or change) a custom field of the project whose
    form's category and field's categories (before and after) are
    ``categories``? Coordinators design their project's fields; the medical
    categories (a medical form, a medical field, moving one out of them) need
    the medical referent."""
    categories = {Category(c) for c in categories if c}
    if categories & policy.MEDICALLY_PROTECTED:
        roles = policy.CUSTOM_FIELD_MEDICAL_DESIGNERS
    else:
        roles = policy.CUSTOM_FIELD_DESIGNERS - policy.CUSTOM_FIELD_MEDICAL_DESIGNERS
    return project_id in projects_with_role(user, roles)


def lessons_projects(user) -> set[int]:
    """Projects whose lessons-learned log the user reads, writes and exports
    (no personal data in it): every project the user works in, except the
    system administration role."""
    return {pid for pid, role in memberships(user) if role not in policy.CONFIGURATION_ROLES}


# --- indicators (MEAL) -----------------------------------------------------------
