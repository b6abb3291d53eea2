"""API: a project's custom fields (codes and types), XLSForm import and export.

The values themselves travel with the person and the encounter (``custom``
in their schemas). Definitions hold no personal data: a member of the
project reads those of the categories they may see or fill; the designers
(``access.module_scopes.may_design_custom_field``) import and export the forms.
"""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from parcours.access.module_scopes import may_design_custom_field
from parcours.access.scope import may, working_projects
from parcours.access.terms import Action
from parcours.customfields import xlsform
from parcours.customfields.services import form_fields
from parcours.customfields.validation import target_category, targets
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import Id
from parcours.org.models import Project

router = Router(tags=["custom fields"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ChoiceOut(Schema):
    code: str
    label_fr: str
    label_en: str


class CustomFieldOut(Schema):
    code: str
    type: str
    label_fr: str
    label_en: str
    help_fr: str
    help_en: str
    section: str
    category: str
    required: bool
    min_value: float | None
    max_value: float | None
    relevant_field: str | None
    relevant_values: list[str]
    choices: list[ChoiceOut]


class TargetQuery(Schema):
    target: str = "person"


class ReportItem(Schema):
    code: str
    type: str
    label: str


class UnsupportedItem(Schema):
    row: int
    name: str
    type: str
    reason: str


class ErrorItem(Schema):
    row: int | None
    message: str


class ImportReportOut(Schema):
    dry_run: bool
    created: list[ReportItem]
    unsupported: list[UnsupportedItem]
    errors: list[ErrorItem]


def _target_error(target: str):
    if target not in targets():
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["query", "target"],
                        "msg": _("Choose person or a discipline code."),
                        "type": "value_error",
                    }
                ]
            },
        )
    return None


def _project(user, project_id: int):
    return Project.objects.filter(pk=project_id, pk__in=working_projects(user)).first()


def _designed(user, project_id: int, target: str):
    project = Project.objects.filter(pk=project_id).first()
    if project is None or not may_design_custom_field(user, project.pk, {target_category(target)}):
        return None
    return project


def _out(field) -> dict[str, Any]:
    return {
        "code": field.code,
        "type": field.type,
        "label_fr": field.label_fr,
        "label_en": field.label_en,
        "help_fr": field.help_fr,
        "help_en": field.help_en,
        "section": field.section,
        "category": field.category,
        "required": field.required,
        "min_value": None if field.min_value is None else float(field.min_value),
        "max_value": None if field.max_value is None else float(field.max_value),
        "relevant_field": field.relevant_field.code if field.relevant_field else None,
        "relevant_values": list(field.relevant_values or []),
        "choices": [
            {"code": c.code, "label_fr": c.label_fr, "label_en": c.label_en}
            for c in field.choices.all()
            if not c.retired
        ],
    }


@router.get(
    "/projects/{id}/custom-fields",
    response={200: list[CustomFieldOut], **AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS},
)
def custom_fields(request: HttpRequest, id: Path[Id], filters: Query[TargetQuery]):
    """The active custom fields of a form of the project (``target``: person or a
    discipline): the codes and types the ``custom`` key of persons and
    encounters takes. Only the fields of categories the caller may see or fill
    there (all of them for who designs the form)."""
    user = request.auth
    refused = _target_error(filters.target)
    if refused:
        return refused
    project = _project(user, id)
    if project is None:
        return Status(404, {"detail": _("Not found.")})
    designer = may_design_custom_field(user, project.pk, {target_category(filters.target)})
    return [
        _out(f)
        for f in form_fields(project.pk, filters.target)
        if designer
        or may(user, Action.VIEW, f.category, project.pk)
        or may(user, Action.CREATE, f.category, project.pk)
    ]


@router.post(
    "/projects/{id}/xlsform",
    response={200: ImportReportOut, **AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS},
)
def xlsform_import(
    request: HttpRequest,
    id: Path[Id],
    target: str = "person",
    dry_run: Literal["true", "false", "1", "0"] = "true",
    file: File[UploadedFile] = None,  # noqa: B008 - ninja's way of declaring an upload
):
    """Import an XLSForm (.xlsx with ``survey``, ``choices``, ``settings``) as
    custom fields of a form (multipart, field ``file``). Checked by pyxform
    first; ``dry_run`` (default true) writes nothing. Always 200 with the
    report: ``created`` (would be created), ``unsupported`` (not imported, and
    why), ``errors`` (then nothing is created)."""
    refused = _target_error(target)
    if refused:
        return refused
    project = _designed(request.auth, id, target)
    if project is None:
        return Status(404, {"detail": _("Not found.")})
    if file is None:
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["body", "file"],
                        "msg": _("Send the XLSForm as the multipart field “file”."),
                        "type": "value_error",
                    }
                ]
            },
        )
    dry = dry_run in ("true", "1")
    content = file.read(xlsform.MAX_BYTES + 1)
    report = xlsform.import_form(
        actor=request.auth, project=project, target=target, content=content, dry_run=dry
    )
    return {"dry_run": dry, **report}


@router.get(
    "/projects/{id}/xlsform",
    response={200: None, **AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS},
)
def xlsform_export(request: HttpRequest, id: Path[Id], filters: Query[TargetQuery]):
    """The active custom fields of a form as an XLSForm (.xlsx)."""
    refused = _target_error(filters.target)
    if refused:
        return refused
    project = _designed(request.auth, id, filters.target)
    if project is None:
        return Status(404, {"detail": _("Not found.")})
    response = HttpResponse(xlsform.export_form(project, filters.target), content_type=XLSX)
    name = f"{project.code}-{filters.target}-xlsform.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
