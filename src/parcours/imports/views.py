"""Import pages: upload, mapping, dry run and run, progress, row-level report,
duplicate decisions, undo, and a person's imported fields and notes.

Who: coordinators and MEAL officers of the project, and the configuration
admin, who runs imports but sees counts only, never a row afterwards.
"""

import threading

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parcours.access.module_scopes import import_projects, import_report_projects
from parcours.access.records import record_scope
from parcours.access.scope import parse_id, person_for
from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.audit.events import Read
from parcours.imports import services
from parcours.imports.engine import progress_key
from parcours.imports.mapping import (
    CATEGORY_TARGETS,
    PERSON_TARGETS,
    MappingError,
    dump_yaml,
    load_yaml,
)
from parcours.imports.models import ImportBatch, ReportRow
from parcours.imports.person_links import visible_imported
from parcours.imports.readers import MAX_BYTES, MAX_MB, ImportFileError
from parcours.imports.report import report_workbook
from parcours.lib.forms import flash_errors
from parcours.lib.spreadsheets import xlsx_response
from parcours.org.models import Project


class UploadForm(forms.Form):
    project = forms.ModelChoiceField(label=gettext_lazy("Project"), queryset=Project.objects.none())
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "Mano's data.xlsx, a Mano export, Mano's person-import template, or any CSV/XLSX "
            "(at most 50 MB)."
        ),
    )
    mapping = forms.FileField(label=gettext_lazy("Saved mapping (YAML, optional)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(pk__in=import_projects(user))


def _projects_or_404(user) -> set[int]:
    projects = import_projects(user)
    if not projects:
        raise Http404
    return projects


def _batch_or_404(user, batch_id) -> ImportBatch:
    batch = (
        ImportBatch.objects.filter(pk=parse_id(batch_id), project_id__in=import_projects(user))
        .select_related("project", "created_by")
        .first()
    )
    if batch is None:
        raise Http404
    return batch


def _reads_rows(user, batch) -> bool:
    return batch.project_id in import_report_projects(user)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    projects = _projects_or_404(request.user)
    form = UploadForm(user=request.user)
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > MAX_BYTES + 1024 * 1024:
            messages.error(
                request,
                _("The file is %(size)d MB; files of at most %(limit)d MB are imported.")
                % {"size": length // (1024 * 1024), "limit": MAX_MB},
            )
            return redirect("imports:index")
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            mapping = None
            try:
                if form.cleaned_data["mapping"]:
                    raw = form.cleaned_data["mapping"].read(1024 * 1024)
                    mapping = load_yaml(raw.decode("utf-8", errors="replace"))
                batch = services.batch_create(
                    actor=request.user,
                    project=form.cleaned_data["project"],
                    name=upload.name,
                    chunks=upload.chunks(),
                    size=upload.size,
                    mapping=mapping,
                )
            except (ImportFileError, MappingError) as error:
                form.add_error(None, error.message)
            except PermissionDenied as error:
                form.add_error("project", str(error))
            else:
                return redirect("imports:mapping", batch_id=batch.pk)
    batches = ImportBatch.objects.filter(project_id__in=projects).select_related(
        "project", "created_by"
    )[:50]
    return render(
        request,
        "imports/index.html",
        {"form": form, "batches": batches, "max_mb": MAX_MB},
    )


@login_required
def mapping(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request.user, batch_id)
    headers = services.batch_headers(batch)
    current = batch.mapping or {}
    columns = current.get("columns", {})
    if request.method == "POST":
        new_columns = {}
        for position, label in enumerate(_main_header(headers)):
            field = request.POST.get(f"field-{position}", "ignore")
            category = request.POST.get(f"category-{position}", Category.SOCIAL.value)
            new_columns[label] = (
                {"field": "imported", "category": category} if field == "imported" else field
            )
        teams = {}
        for line in request.POST.get("teams", "").splitlines():
            name, sep, target = line.rpartition("=")
            if sep and name.strip() and target.strip():
                teams[name.strip()] = target.strip()
        try:
            services.mapping_save(
                actor=request.user,
                batch=batch,
                mapping={**current, "columns": new_columns, "teams": teams},
            )
        except MappingError as error:
            messages.error(request, error.message)
            return redirect("imports:mapping", batch_id=batch.pk)
        except PermissionDenied as error:
            flash_errors(request, error)
            return redirect("imports:index")
        action = request.POST.get("action", "save")
        if action in ("dry_run", "run"):
            return _start(request, batch, dry_run=action == "dry_run")
        messages.success(request, _("Mapping saved."))
        return redirect("imports:mapping", batch_id=batch.pk)
    rows = []
    for position, label in enumerate(_main_header(headers)):
        target = columns.get(label, "ignore")
        field = target if isinstance(target, str) else target.get("field", "imported")
        category = target.get("category", "") if isinstance(target, dict) else ""
        rows.append({"position": position, "label": label, "field": field, "category": category})
    return render(
        request,
        "imports/mapping.html",
        {
            "batch": batch,
            "sheets": headers,
            "rows": rows,
            "targets": [(k, str(v)) for k, v in PERSON_TARGETS.items()],
            "categories": [(c.value, str(CATEGORY_LABELS[c])) for c in CATEGORY_TARGETS],
            "teams": "\n".join(f"{k} = {v}" for k, v in current.get("teams", {}).items()),
            "may_run": batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.DONE)
            and bool(batch.stored_path),
        },
    )


def _main_header(headers) -> list[str]:
    for name, header, _estimated in headers:
        if "person" in name.lower():
            return header
    return headers[0][1] if headers else []


def _start(request, batch, *, dry_run: bool) -> HttpResponse:
    try:
        batch = services.batch_prepare(actor=request.user, batch=batch, dry_run=dry_run)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return redirect("imports:batch", batch_id=batch.pk)
    if getattr(settings, "PARCOURS_IMPORTS_INLINE", False):
        services.batch_execute(actor=request.user, batch=batch)
    else:
        # A long file runs in the background; the batch page refreshes with its progress.
        threading.Thread(
            target=services.run_in_background, args=(batch.pk, request.user.pk), daemon=True
        ).start()
    return redirect("imports:batch", batch_id=batch.pk)


@login_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request.user, batch_id)
    reads = _reads_rows(request.user, batch)
    progress = cache.get(progress_key(batch.pk))
    if progress is not None and batch.status == ImportBatch.Status.RUNNING:
        batch.processed_rows = progress
    page = None
    outcome = request.GET.get("outcome", "")
    if reads and batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.UNDONE):
        rows = batch.rows.select_related("candidate")
        if outcome in ReportRow.Outcome.values:
            rows = rows.filter(outcome=outcome)
        page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "reads_rows": reads,
            "page": page,
            "outcome": outcome,
            "outcomes": ReportRow.Outcome.choices,
            "counts": [
                (label, batch.counts.get(value, 0)) for value, label in ReportRow.Outcome.choices
            ],
            "undo_problem": services.undo_problem(batch) if not batch.dry_run else "",
            "refresh": batch.status == ImportBatch.Status.RUNNING,
        },
    )


@login_required
def report(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request.user, batch_id)
    if not _reads_rows(request.user, batch):
        raise Http404
    return xlsx_response(report_workbook(batch), f"import-{batch.pk}")


@login_required
def mapping_yaml(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request.user, batch_id)
    response = HttpResponse(dump_yaml(batch.mapping), content_type="application/x-yaml")
    response["Content-Disposition"] = f'attachment; filename="mapping-{batch.pk}.yaml"'
    return response


@login_required
@require_POST
def run(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request.user, batch_id)
    return _start(request, batch, dry_run=request.POST.get("dry_run") == "1")


@login_required
@require_POST
def undo(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request.user, batch_id)
    try:
        services.batch_undo(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The import was undone."))
    return redirect("imports:batch", batch_id=batch.pk)


@login_required
@require_POST
def decide(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request.user, batch_id)
    if not _reads_rows(request.user, batch):
        raise Http404
    row = None
    if request.POST.get("row"):
        row = batch.rows.filter(pk=parse_id(request.POST["row"])).first()
    if row is None:
        messages.error(request, _("Choose a row of the report."))
        return redirect("imports:batch", batch_id=batch.pk)
    try:
        services.duplicate_decide(
            actor=request.user, batch=batch, row=row, decision=request.POST.get("decision", "")
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(reverse("imports:batch", args=[batch.pk]) + "?outcome=duplicate")


@login_required
def person_data(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's imported fields and notes, the categories the user sees in full."""
    person = person_for(request.user, person_id, read=Read.IMPORTED_DATA, request=request)
    fields, notes = visible_imported(person, record_scope(request.user, person))
    labels = {c.value: str(CATEGORY_LABELS[c]) for c in Category}
    sections = {}
    for f in fields:
        sections.setdefault(labels[f.category], []).append(f)
    return render(
        request,
        "imports/person_data.html",
        {"person": person, "sections": sections, "notes": notes, "labels": labels},
    )
