"""What a user may see and do of appointments (the agenda): the reason of an
appointment belongs to its discipline's category; its person and time are
identity-level."""

from django.apps import apps
from django.http import Http404

from parcours.access import policy
from parcours.access.memberships import project_ids_for, projects_with_role
from parcours.access.scope import parse_id, person_for
from parcours.access.terms import Action, Category


def full_view_projects(user, category: str) -> set[int]:
    """Projects where the user reads ``category`` in full about anyone the
    project follows (no care-team assignment needed); none for the
    categories that need one. What decides whether an agenda shows an
    appointment's reason."""
    category = Category(category)
    if category in policy.ASSIGNMENT_REQUIRED:
        return set(
            project_ids_for(user, category, Action.VIEW)
            & projects_with_role(user, policy.REFERENT_ROLES)
        )
    return set(project_ids_for(user, category, Action.VIEW))


def may_edit_appointment(user, appointment) -> bool:
    """Change an appointment's time, clinician or reason: edit rights on its
    category in its project, and its content shown in full to the user."""
    category = appointment.category
    return appointment.project_id in project_ids_for(
        user, category, Action.EDIT
    ) and appointment.project_id in full_view_projects(user, category)


def may_mark_appointment(user, appointment) -> bool:
    """Mark an arrival, a missed or a cancelled appointment: identity edit in
    its project (reception and the care team), no health content needed."""
    return appointment.project_id in project_ids_for(user, Category.IDENTITY, Action.EDIT)


def appointment_for(user, appointment_id, *, read: str = "", request=None):
    """The appointment if ``user`` sees it in an agenda (identity view in its
    project, its person visible), else 404. Whether its reason is shown and
    who may change it: ``full_view_projects``, ``may_edit_appointment``,
    ``may_mark_appointment``. With ``read``, the person's access-log row."""
    Appointment = apps.get_model("agenda", "Appointment")
    appointment = (
        Appointment.objects.select_related("site", "project", "clinician")
        .filter(pk=parse_id(appointment_id))
        .first()
    )
    if appointment is None:
        raise Http404
    if appointment.project_id not in project_ids_for(user, Category.IDENTITY, Action.VIEW):
        raise Http404
    appointment.person = person_for(user, appointment.person_id, read=read, request=request)
    return appointment
