"""The person's page: identity card, care record and the actions the user
may take, each part already narrowed by parcours.access; and enrolling the
person in one more project, an explicit act of someone of that project."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.records import record_scope
from parcours.access.scope import (
    enrolment_projects,
    log_reads,
    parse_id,
    person_for,
    visible_persons,
    works_with,
)
from parcours.agenda.agenda import person_appointments
from parcours.audit.events import Read
from parcours.care.record import person_record
from parcours.care.summary import clinical_summary
from parcours.care.views import record_actions
from parcours.customfields import display as custom_display
from parcours.dossier.extensions import person_links
from parcours.lib.forms import flash_errors
from parcours.org.models import Project, Status
from parcours.people import services
from parcours.people.forms import ExitForm, GroupForm, GroupMemberForm, MergeForm
from parcours.people.models import Person
from parcours.people.presenters import person_card


def _enrol_options(user, person) -> list[Project]:
    """Open projects of the user where the person is not followed yet."""
    if not works_with(user, person) or person.merged_into_id:
        return []
    ids = enrolment_projects(user, person)
    return list(Project.objects.filter(pk__in=ids, status=Status.OPEN).order_by("name"))


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    # One access-log row per view: identity and the care record as the policy let it through.
    person = person_for(request.user, person_id, read=Read.RECORD, request=request)
    # One decision of what the user sees, for the card and the record alike.
    scope = record_scope(request.user, person)
    card = person_card(request.user, person, scope=scope)
    # The family and group members are named on the page: a read of each.
    member_ids = {m["id"] for group in card.groups for m in group["members"]}
    if member_ids:
        log_reads(request, Person.objects.filter(pk__in=member_ids), Read.IDENTITY_SUMMARY)
    record = person_record(request.user, person, scope=scope)
    context = {
        "card": card,
        "record": record,
        # The project's own fields, each under its category, as far as the user sees it.
        "custom_values": custom_display.person_values(person, scope),
        # None unless the user sees the medical category in full for the person.
        "clinical_summary": clinical_summary(request.user, person, scope=scope),
        "care": record_actions(request.user, person),
        "appointments": person_appointments(request.user, person, scope=scope),
        # Pages of the modules above dossier with something for this user (imported data…).
        "links": person_links(request.user, person, scope),
        "enrol_projects": _enrol_options(request.user, person),
        # Unbound, the same for everyone: the template keeps the HTML of their
        # fields per language (and per day, the exit date's initial value).
        "today": date.today(),
        "exit_form": ExitForm(),
        "merge_form": MergeForm(),
        "group_form": GroupForm(),
        "member_form": GroupMemberForm(),
    }
    if person.merged_into_id:
        context["merged_into"] = (
            visible_persons(request.user).filter(pk=person.merged_into_id).first()
        )
    return render(request, "dossier/person.html", context)


@login_required
@require_POST
def person_enrol(request: HttpRequest, person_id: int) -> HttpResponse:
    """Follow the person in one more of the user's projects (a new code there):
    from then on, that project's staff see their identity."""
    person = person_for(request.user, person_id)
    options = {p.pk: p for p in _enrol_options(request.user, person)}
    try:
        project = options[parse_id(request.POST.get("project"))]
    except (Http404, KeyError):
        messages.error(
            request, _("Choose one of your open projects where the person is not yet followed.")
        )
        return redirect("dossier:person", person_id=person.pk)
    try:
        enrolment = services.person_enrol(actor=request.user, person=person, project=project)
    except (PermissionDenied, ValidationError) as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is now followed in %(project)s under the code %(code)s.")
            % {"name": person.display_name, "project": project.name, "code": enrolment.code},
        )
    return redirect("dossier:person", person_id=person.pk)
