"""What the home page shows of feedback and testimonies: the user's own
overdue items (flagged to their handler) and the links to the pages the
user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from parcours.access.scope import projects_where
from parcours.access.terms import Action, Category
from parcours.feedback import rules, services


def home_context(user) -> dict:
    links = []
    if rules.handling_projects(user):
        links.append((_("Feedback and complaints"), reverse("feedback:index")))
    if rules.recording_projects(user):
        links.append((_("Record feedback"), reverse("feedback:record")))
    if rules.counting_projects(user):
        links.append((_("Feedback statistics"), reverse("feedback:statistics")))
    if projects_where(user, Action.VIEW, Category.TESTIMONY):
        links.append((_("Testimonies"), reverse("feedback:testimonies")))
    overdue = list(
        services.overdue_for_handler(user).select_related("project").order_by("respond_due")[:20]
    )
    return {"feedback_links": links, "feedback_overdue": overdue}
