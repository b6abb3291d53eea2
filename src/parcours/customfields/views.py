"""Pages to design a project's custom fields: the forms, a field, retiring it.

Who may: ``access.module_scopes.may_design_custom_field`` (coordinators of the
project; the medical referent for medical forms and categories); anyone
else gets a 404, as for any object outside their scope.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parcours.access.module_scopes import custom_field_projects, may_design_custom_field
from parcours.access.scope import parse_id
from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.customfields import services, xlsform
from parcours.customfields.forms import DefinitionForm
from parcours.customfields.models import CustomField, FieldType
from parcours.customfields.validation import target_category, target_label, targets
from parcours.lib.forms import apply_validation_error
from parcours.org.models import Project


def _form_for(user, project_id, target: str) -> Project:
    """The project whose form ``target`` the user designs, else 404."""
    if target not in targets():
        raise Http404
    project = Project.objects.filter(pk=parse_id(project_id)).first()
    if project is None or not may_design_custom_field(user, project.pk, {target_category(target)}):
        raise Http404
    return project


def _field_for(user, field_id) -> CustomField:
    field = (
        CustomField.objects.select_related("project", "relevant_field")
        .filter(pk=parse_id(field_id))
        .first()
    )
    if field is None or not may_design_custom_field(
        user, field.project_id, {target_category(field.target), field.category}
    ):
        raise Http404
    return field


@login_required
def index(request: HttpRequest) -> HttpResponse:
    project_ids = custom_field_projects(request.user)
    if not project_ids:
        raise Http404
    projects = []
    counts: dict = {}
    for field in CustomField.objects.filter(project_id__in=project_ids, retired_at__isnull=True):
        key = (field.project_id, field.target)
        counts[key] = counts.get(key, 0) + 1
    for project in Project.objects.filter(pk__in=project_ids).order_by("name"):
        forms = [
            {"target": t, "label": target_label(t), "count": counts.get((project.pk, t), 0)}
            for t in targets()
            if may_design_custom_field(request.user, project.pk, {target_category(t)})
        ]
        if forms:
            projects.append({"project": project, "forms": forms})
    return render(request, "customfields/index.html", {"projects": projects})


@login_required
def form_fields(request: HttpRequest, project_id: int, custom_target: str) -> HttpResponse:
    project = _form_for(request.user, project_id, custom_target)
    fields = services.form_fields(project.pk, custom_target, active_only=False)
    rows = [
        {
            "field": f,
            "type": FieldType(f.type).label,
            "category": CATEGORY_LABELS[Category(f.category)],
        }
        for f in fields
    ]
    return render(
        request,
        "customfields/form.html",
        {
            "project": project,
            "target": custom_target,
            "target_label": target_label(custom_target),
            "rows": rows,
        },
    )


def _save(request, form, *, project, target, field=None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    data, choices = form.service_data()
    try:
        if field is None:
            services.field_create(
                actor=request.user, project=project, target=target, data=data, choices=choices
            )
        else:
            version = parse_id(request.POST.get("version", "0") or "0")
            services.field_update(
                actor=request.user, field_id=field.pk, version=version, data=data, choices=choices
            )
    except services.StaleVersion:
        form.add_error(None, _("Someone else changed this field since you opened it."))
    except ValidationError as error:
        apply_validation_error(form, error)
    except PermissionDenied as error:
        form.add_error("category", str(error))
    else:
        messages.success(request, _("Field saved."))
        return redirect("customfields:form", project_id=project.pk, custom_target=target)
    return None


@login_required
def field_new(request: HttpRequest, project_id: int, custom_target: str) -> HttpResponse:
    project = _form_for(request.user, project_id, custom_target)
    others = services.form_fields(project.pk, custom_target)
    form = DefinitionForm(
        request.POST or None,
        others=others,
        initial={"category": target_category(custom_target).value},
    )
    if request.method == "POST":
        done = _save(request, form, project=project, target=custom_target)
        if done is not None:
            return done
    return render(
        request,
        "customfields/field.html",
        {
            "form": form,
            "project": project,
            "target": custom_target,
            "target_label": target_label(custom_target),
        },
    )


@login_required
def field_edit(request: HttpRequest, custom_field_id: int) -> HttpResponse:
    field = _field_for(request.user, custom_field_id)
    others = [f for f in services.form_fields(field.project_id, field.target) if f.pk != field.pk]
    if request.method == "POST":
        form = DefinitionForm(request.POST, others=others)
        done = _save(request, form, project=field.project, target=field.target, field=field)
        if done is not None:
            return done
    else:
        form = DefinitionForm(initial=DefinitionForm.initial_for(field), others=others)
    return render(
        request,
        "customfields/field.html",
        {
            "form": form,
            "field": field,
            "project": field.project,
            "target": field.target,
            "target_label": target_label(field.target),
        },
    )


@login_required
@require_POST
def field_retire(request: HttpRequest, custom_field_id: int) -> HttpResponse:
    field = _field_for(request.user, custom_field_id)
    services.field_retire(actor=request.user, field=field)
    messages.success(request, _("Field retired: no longer asked, its values stay in the records."))
    return redirect("customfields:form", project_id=field.project_id, custom_target=field.target)


class UploadForm(forms.Form):
    file = forms.FileField(label=_l("XLSForm (.xlsx)"))


@login_required
def xlsform_import(request: HttpRequest, project_id: int, custom_target: str) -> HttpResponse:
    """Upload: a preview (nothing written) with the report; confirming the
    same file imports it, all or nothing."""
    project = _form_for(request.user, project_id, custom_target)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        confirm = bool(request.POST.get("confirm"))
        content = form.cleaned_data["file"].read(xlsform.MAX_BYTES + 1)
        report = xlsform.import_form(
            actor=request.user,
            project=project,
            target=custom_target,
            content=content,
            dry_run=not confirm,
        )
        if confirm and not report["errors"]:
            messages.success(
                request,
                ngettext("%(n)d field imported.", "%(n)d fields imported.", len(report["created"]))
                % {"n": len(report["created"])},
            )
            return redirect("customfields:form", project_id=project.pk, custom_target=custom_target)
    return render(
        request,
        "customfields/xlsform.html",
        {
            "form": form,
            "report": report,
            "project": project,
            "target": custom_target,
            "target_label": target_label(custom_target),
        },
    )


@login_required
def xlsform_export(request: HttpRequest, project_id: int, custom_target: str) -> HttpResponse:
    project = _form_for(request.user, project_id, custom_target)
    response = HttpResponse(
        xlsform.export_form(project, custom_target),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"{project.code}-{custom_target}-xlsform.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
