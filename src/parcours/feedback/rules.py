"""Who reads and handles which feedback items, from the access policy.

An item is of the feedback category, or of the safeguarding category when
it is sensitive: a user reads it when their role may view that category in
the item's project. Coordinators and MEAL therefore never read a sensitive
item (they count it among anonymous totals), nor does the administrator.
"""

from django.db.models import Q

from parcours.access.module_scopes import members_who_may
from parcours.access.scope import projects_where
from parcours.access.terms import Action, Category
from parcours.feedback.models import FeedbackItem


def readable_q(user) -> Q | None:
    """The items ``user`` reads in full, as a filter (None: none at all)."""
    open_ = projects_where(user, Action.VIEW, Category.FEEDBACK)
    sensitive = projects_where(user, Action.VIEW, Category.SAFEGUARDING)
    if not open_ and not sensitive:
        return None
    return Q(sensitive=False, project_id__in=open_) | Q(sensitive=True, project_id__in=sensitive)


def readable_items(user):
    q = readable_q(user)
    if q is None:
        return FeedbackItem.objects.none()
    return FeedbackItem.objects.filter(q)


def handling_projects(user) -> set[int]:
    """Projects where the user reads some feedback items (list, posters)."""
    return projects_where(user, Action.VIEW, Category.FEEDBACK) | projects_where(
        user, Action.VIEW, Category.SAFEGUARDING
    )


def recording_projects(user) -> set[int]:
    """Projects where the user records feedback heard through another channel."""
    return projects_where(user, Action.CREATE, Category.FEEDBACK) | projects_where(
        user, Action.CREATE, Category.SAFEGUARDING
    )


def counting_projects(user) -> set[int]:
    """Projects whose feedback statistics the user reads (anonymous totals)."""
    return projects_where(user, Action.AGGREGATE, Category.FEEDBACK) | projects_where(
        user, Action.AGGREGATE, Category.SAFEGUARDING
    )


def may_count_sensitive_in_detail(user, project_id: int) -> bool:
    """Only who reads sensitive items sees them broken down (category,
    channel…); everyone else sees one anonymous total."""
    return project_id in projects_where(user, Action.VIEW, Category.SAFEGUARDING)


def may_count_open(user, project_id: int) -> bool:
    return project_id in projects_where(user, Action.AGGREGATE, Category.FEEDBACK)


def may_edit(user, item: FeedbackItem) -> bool:
    category = item.access_category
    return item.project_id in projects_where(
        user, Action.EDIT, category
    ) and item.project_id in projects_where(user, Action.VIEW, category)


def handler_candidates(project_id: int, sensitive: bool):
    """Memberships of who may handle an item of this project (view and edit
    its category)."""
    category = Category.SAFEGUARDING if sensitive else Category.FEEDBACK
    return members_who_may([project_id], category, [Action.VIEW, Action.EDIT])


def may_configure(user, project_id: int) -> bool:
    """Who sets the project's response deadlines: who handles its open items."""
    return project_id in projects_where(user, Action.EDIT, Category.FEEDBACK)
