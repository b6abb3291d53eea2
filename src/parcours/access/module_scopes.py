"""Who may use each module, as sets of projects: the agenda, daily reports,
reports, MEAL, stock, feedback, imports and data protection, case management.

Each function answers one module's question ("in which projects may this user
validate a daily report?") from the policy and the user's memberships; the
modules call these and never read the policy themselves. The person-level
decisions (who sees whom, break-glass, flags) are in ``scope``.
"""

from django.apps import apps

from parcours.access import policy
from parcours.access.memberships import memberships, project_ids_for, projects_with_role
from parcours.access.models import CareAssignment
from parcours.access.scope import working_projects
from parcours.access.terms import Action, Category

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
