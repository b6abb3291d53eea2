"""Families and groups, from the person's page: create one, add a member."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.scope import person_for, projects_where, visible_persons
from parcours.access.terms import Action, Category
from parcours.lib.forms import flash_errors
from parcours.people import services
from parcours.people.forms import GroupForm, GroupMemberForm
from parcours.people.models import Enrolment, GroupMember


@login_required
@require_POST
def group_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id, action=Action.EDIT)
    form = GroupForm(request.POST)
    if form.is_valid():
        project_ids = projects_where(request.user, Action.CREATE, Category.IDENTITY)
        enrolment = (
            person.enrolments.filter(project_id__in=project_ids).select_related("project").first()
        )
        if enrolment is None:
            raise Http404
        try:
            services.group_create(
                actor=request.user,
                project=enrolment.project,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                members=[(person, form.cleaned_data["relation"])],
            )
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Group created."))
    return redirect("dossier:person", person_id=person.pk)


@login_required
@require_POST
def group_add_member(request: HttpRequest, person_id: int, group_id: int) -> HttpResponse:
    person = person_for(request.user, person_id, action=Action.EDIT)
    link = get_object_or_404(
        GroupMember.objects.select_related("group"), person=person, group_id=group_id
    )
    form = GroupMemberForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        enrolment = Enrolment.objects.filter(code=code).first()
        other = (
            visible_persons(request.user, Action.EDIT).filter(pk=enrolment.person_id).first()
            if enrolment
            else None
        )
        if other is None:
            messages.error(
                request, _("No record with code %(code)s that you may edit.") % {"code": code}
            )
        else:
            services.group_add_member(
                actor=request.user,
                group=link.group,
                person=other,
                relation=form.cleaned_data["relation"],
            )
            messages.success(
                request, _("%(name)s added to the group.") % {"name": other.display_name}
            )
    return redirect("dossier:person", person_id=person.pk)
