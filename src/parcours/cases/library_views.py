"""Pages of the protocol library and of the lessons-learned log.

Protocols are read by every member of a project (not personal data) and
written by coordinators and medical referents; an uploaded file is served
only here, after that check. Lessons are read, written and exported by the
members of their project."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from parcours.access.module_scopes import lessons_projects, protocol_editor, protocol_reader
from parcours.access.scope import parse_id
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.cases import library
from parcours.cases.forms import LessonForm, ProtocolForm, ProtocolVersionForm
from parcours.cases.models import Lesson, Protocol, ProtocolVersion
from parcours.lib.forms import apply_validation_error
from parcours.lib.spreadsheets import safe_row, xlsx_response
from parcours.org.models import Project

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {
    ProtocolVersion.Format.PDF: "application/pdf",
    ProtocolVersion.Format.DOCX: DOCX_TYPE,
    ProtocolVersion.Format.MARKDOWN: "text/markdown; charset=utf-8",
}


def _reader(user) -> None:
    if not protocol_reader(user):
        raise Http404


def _editor(user) -> None:
    if not protocol_editor(user):
        raise Http404


def _owners():
    User = get_user_model()
    return [
        u for u in User.objects.filter(is_active=True).order_by("username") if protocol_editor(u)
    ]


def _owner_queryset():
    User = get_user_model()
    return User.objects.filter(pk__in=[u.pk for u in _owners()]).order_by("username")


@login_required
def protocol_list(request: HttpRequest) -> HttpResponse:
    _reader(request.user)
    today = timezone.localdate()
    rows = [
        {"protocol": p, "current": p.current, "review_due": p.review_on < today}
        for p in Protocol.objects.select_related("owner").prefetch_related("versions")
    ]
    return render(
        request,
        "cases/protocols.html",
        {"rows": rows, "may_write": protocol_editor(request.user)},
    )


def _protocol(protocol_id) -> Protocol:
    protocol = Protocol.objects.select_related("owner").filter(pk=parse_id(protocol_id)).first()
    if protocol is None:
        raise Http404
    return protocol


@login_required
def protocol_page(request: HttpRequest, protocol_id: int) -> HttpResponse:
    _reader(request.user)
    protocol = _protocol(protocol_id)
    versions = list(protocol.versions.select_related("created_by").order_by("-number"))
    number = request.GET.get("v")
    shown = versions[0] if versions else None
    if number:
        shown = next((v for v in versions if str(v.number) == number), None)
        if shown is None:
            raise Http404
    form = None
    if protocol_editor(request.user):
        form = ProtocolVersionForm(
            initial={
                "version": protocol.version,
                "valid_from": timezone.localdate(),
                "review_on": protocol.review_on,
                "body": shown.body if shown and shown.format == "markdown" else "",
            }
        )
    return render(
        request,
        "cases/protocol.html",
        {
            "protocol": protocol,
            "versions": versions,
            "shown": shown,
            "html": library.render_markdown(shown.body)
            if shown and shown.format == "markdown"
            else "",
            "review_due": protocol.review_on < timezone.localdate(),
            "form": form,
        },
    )


@login_required
def protocol_download(request: HttpRequest, version_id: int) -> HttpResponse:
    """The file of a version (or the Markdown source), to members only."""
    _reader(request.user)
    version = (
        ProtocolVersion.objects.filter(pk=parse_id(version_id)).select_related("protocol").first()
    )
    if version is None:
        raise Http404
    if version.format == ProtocolVersion.Format.MARKDOWN:
        response = HttpResponse(version.body, content_type=CONTENT_TYPES[version.format])
        name = f"{version.protocol.code}-v{version.number}.md"
    else:
        try:
            handle = library.open_file(version)
        except OSError:
            raise Http404 from None
        response = FileResponse(handle, content_type=CONTENT_TYPES[version.format])
        name = f"{version.protocol.code}-v{version.number}.{version.format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def protocol_new(request: HttpRequest) -> HttpResponse:
    _editor(request.user)
    form = ProtocolForm(
        request.POST or None,
        request.FILES or None,
        owners=_owner_queryset(),
        initial={"owner": request.user.pk, "valid_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            protocol = library.protocol_create(
                actor=request.user,
                code=data["code"],
                title=data["title"],
                owner=data["owner"],
                valid_from=data["valid_from"],
                review_on=data["review_on"],
                body=data["body"],
                upload=data["file"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Protocol saved."))
            return redirect("cases:protocol", protocol_id=protocol.pk)
    return render(request, "cases/protocol_form.html", {"form": form})


@login_required
def protocol_version(request: HttpRequest, protocol_id: int) -> HttpResponse:
    _editor(request.user)
    protocol = _protocol(protocol_id)
    form = ProtocolVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            library.protocol_new_version(
                actor=request.user,
                protocol=protocol,
                version=data["version"],
                valid_from=data["valid_from"],
                review_on=data["review_on"],
                body=data["body"],
                upload=data["file"],
                change_note=data["change_note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("New version saved."))
            return redirect("cases:protocol", protocol_id=protocol.pk)
    return render(request, "cases/protocol_form.html", {"form": form, "protocol": protocol})


# --- lessons learned ----------------------------------------------------------------


def _lessons_project(user, project_id) -> Project:
    project = Project.objects.filter(pk=parse_id(project_id), pk__in=lessons_projects(user)).first()
    if project is None:
        raise Http404
    return project


def _filtered(request, project):
    lessons = Lesson.objects.filter(project=project).select_related("written_by")
    tag = request.GET.get("tag", "").strip().lower()
    year = request.GET.get("year", "")
    if tag:
        lessons = [lesson for lesson in lessons if tag in lesson.tags]
    if year.isdigit():
        lessons = [lesson for lesson in lessons if lesson.date.year == int(year)]
    return list(lessons), tag, year


@login_required
def lessons(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _lessons_project(request.user, project_id)
    rows, tag, year = _filtered(request, project)
    return render(
        request,
        "cases/lessons.html",
        {
            "project": project,
            "lessons": rows,
            "tag": tag,
            "year": year,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def lesson_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _lessons_project(request.user, project_id)
    form = LessonForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            library.lesson_add(actor=request.user, project=project, data=form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Lesson recorded."))
            return redirect("cases:lessons", project_id=project.pk)
    return render(request, "cases/lesson_form.html", {"project": project, "form": form})


def _columns():
    return [_("Date"), _("Context"), _("Lesson"), _("Recommendation"), _("Tags")]


def _values(lesson) -> list:
    return [
        lesson.date,
        lesson.context,
        lesson.lesson,
        lesson.recommendation,
        ", ".join(lesson.tags),
    ]


def _audit_export(request, project, rows, fmt) -> None:
    audit.record(
        actor=request.user,
        event=Event.LESSONS_EXPORT,
        subject=project,
        project=project,
        extra={"format": fmt, "rows": len(rows)},
    )


@login_required
def lessons_xlsx(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _lessons_project(request.user, project_id)
    rows, _tag, _year = _filtered(request, project)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Lessons learned")[:31]
    sheet.append(_columns())
    for lesson in rows:
        sheet.append(safe_row(_values(lesson)))
    for column, width in zip("ABCDE", (12, 50, 50, 50, 20), strict=True):
        sheet.column_dimensions[column].width = width
    _audit_export(request, project, rows, "xlsx")
    return xlsx_response(book, f"lessons-{project.code or project.pk}")


@login_required
def lessons_docx(request: HttpRequest, project_id: int) -> HttpResponse:
    """The log as a Word document for the annual mission seminar."""
    from docx import Document

    project = _lessons_project(request.user, project_id)
    rows, _tag, _year = _filtered(request, project)
    document = Document()
    document.add_heading(_("Lessons learned — %(project)s") % {"project": project.name}, level=1)
    document.add_paragraph(
        _("Exported on %(date)s, %(n)d lessons.")
        % {"date": timezone.localdate().strftime("%d/%m/%Y"), "n": len(rows)}
    )
    for lesson in rows:
        document.add_heading(lesson.date.strftime("%d/%m/%Y"), level=2)
        for label, text in (
            (_("Context"), lesson.context),
            (_("Lesson"), lesson.lesson),
            (_("Recommendation"), lesson.recommendation),
        ):
            if text:
                paragraph = document.add_paragraph()
                paragraph.add_run(
                    f"{label} : " if request.LANGUAGE_CODE == "fr" else f"{label}: "
                ).bold = True
                paragraph.add_run(text)
        if lesson.tags:
            document.add_paragraph(f"{_('Tags')}: {', '.join(lesson.tags)}")
    buffer = BytesIO()
    document.save(buffer)
    _audit_export(request, project, rows, "docx")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=DOCX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="parcours-lessons-{project.code or project.pk}-{stamp}.docx"'
    )
    response["Cache-Control"] = "no-store"
    return response
