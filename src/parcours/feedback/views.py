"""Staff pages of the feedback mechanism: the list, recording feedback from
the other channels, handling an item, the project's deadlines, the
statistics, the QR code and the poster. Sensitive items exist only for the
safeguarding focal points: for anyone else their page is a 404 and they
are counted only among anonymous totals."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parcours.access.scope import parse_id
from parcours.accounts.models import User
from parcours.feedback import rules, services, stats
from parcours.feedback.forms import EditForm, RecordForm, SettingsForm, StepForm
from parcours.feedback.models import (
    STATUS_ORDER,
    Channel,
    FeedbackCategory,
    FeedbackItem,
    Status,
)
from parcours.lib.forms import apply_validation_error
from parcours.org.models import Project, Site

LIST_LENGTH = 200
STALE = gettext_lazy(
    "Someone else changed this item since you opened it: here it is as it is now. "
    "Make your change again."
)


def _item_or_404(user, item_id) -> FeedbackItem:
    item = (
        rules.readable_items(user)
        .filter(pk=parse_id(item_id))
        .select_related("project", "site", "handler", "recorded_by")
        .first()
    )
    if item is None:
        raise Http404
    return item


def _project_or_404(projects: set[int], project_id) -> Project:
    project = Project.objects.filter(pk=parse_id(project_id), pk__in=projects).first()
    if project is None:
        raise Http404
    return project


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    projects = rules.handling_projects(user)
    if not projects:
        raise Http404
    items = (
        rules.readable_items(user)
        .select_related("project", "site", "handler")
        .defer("message", "contact", "response")
    )
    filters = {
        "project": request.GET.get("project", ""),
        "status": request.GET.get("status", ""),
        "category": request.GET.get("category", ""),
        "overdue": request.GET.get("overdue", ""),
        "mine": request.GET.get("mine", ""),
    }
    if filters["project"]:
        try:
            items = items.filter(project_id=parse_id(filters["project"]))
        except Http404:
            items = items.none()
    if filters["status"] == "open":
        items = items.exclude(status=Status.CLOSED)
    elif filters["status"] in STATUS_ORDER:
        items = items.filter(status=filters["status"])
    if filters["category"] == "-":
        items = items.filter(category="")
    elif filters["category"] in FeedbackCategory.values:
        items = items.filter(category=filters["category"])
    if filters["overdue"]:
        items = items.filter(services.overdue_q())
    if filters["mine"]:
        items = items.filter(handler=user)
    rows = list(items[: LIST_LENGTH + 1])
    today = timezone.localdate()
    return render(
        request,
        "feedback/list.html",
        {
            "rows": [
                {"item": i, "overdue": services.is_overdue(i, today)} for i in rows[:LIST_LENGTH]
            ],
            "truncated": len(rows) > LIST_LENGTH,
            "filters": filters,
            "projects": Project.objects.filter(pk__in=projects).order_by("name"),
            "statuses": Status.choices,
            "categories": FeedbackCategory.choices,
            "may_record": bool(rules.recording_projects(user)),
            "may_count": bool(rules.counting_projects(user)),
            "configurable": Project.objects.filter(
                pk__in=[p for p in projects if rules.may_configure(user, p)]
            ).order_by("name"),
            "poster_projects": Project.objects.filter(pk__in=projects).order_by("name"),
        },
    )


@login_required
def record(request: HttpRequest) -> HttpResponse:
    user = request.user
    project_ids = rules.recording_projects(user)
    if not project_ids:
        raise Http404
    projects = list(Project.objects.filter(pk__in=project_ids).order_by("name"))
    sites = list(
        Site.objects.filter(project_id__in=project_ids, is_active=True)
        .select_related("project")
        .order_by("project__name", "name")
    )
    form = RecordForm(request.POST or None, projects=projects, sites=sites)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        project = next(p for p in projects if p.pk == data.pop("project"))
        site_id = data.pop("site")
        data["site"] = next((s for s in sites if s.pk == site_id), None)
        try:
            item = services.feedback_record(actor=user, project=project, data=data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Recorded under reference %(reference)s: give it to the person.")
                % {"reference": item.reference},
            )
            if rules.readable_items(user).filter(pk=item.pk).exists():
                return redirect("feedback:item", item_id=item.pk)
            return redirect("feedback:record")
    return render(
        request, "feedback/record.html", {"form": form}, status=400 if form.errors else 200
    )


def _item_context(user, item, *, edit_form=None, step_form=None) -> dict:
    candidates = rules.handler_candidates(item.project_id, item.sensitive)
    later = STATUS_ORDER[STATUS_ORDER.index(item.status) + 1 :]
    labels = dict(Status.choices)
    return {
        "item": item,
        "overdue": services.is_overdue(item),
        "may_edit": rules.may_edit(user, item) and not item.is_closed,
        "edit_form": edit_form
        or EditForm(
            initial={
                "category": item.category,
                "sensitivity_raised": item.sensitivity_raised,
                "handler": item.handler_id,
            },
            candidates=candidates,
        ),
        "step_form": step_form
        or StepForm(
            initial={
                "status": later[0] if later else "",
                "response": item.response,
                "response_method": item.response_method,
            }
        ),
        "next_steps": [(s, labels[s]) for s in later],
        "steps": list(item.steps.select_related("by")),
        "channels": dict(Channel.choices),
    }


@login_required
def item_page(request: HttpRequest, item_id) -> HttpResponse:
    item = _item_or_404(request.user, item_id)
    return render(request, "feedback/item.html", _item_context(request.user, item))


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # no version sent: treated as stale


@login_required
@require_POST
def item_edit(request: HttpRequest, item_id) -> HttpResponse:
    user = request.user
    item = _item_or_404(user, item_id)
    candidates = rules.handler_candidates(item.project_id, item.sensitive)
    form = EditForm(request.POST, candidates=candidates)
    status = 200  # shown again with the errors
    if form.is_valid():
        data = dict(form.cleaned_data)
        handler_id = data.pop("handler")
        data["handler"] = User.objects.filter(pk=handler_id).first() if handler_id else None
        try:
            updated = services.feedback_update(
                actor=user, item=item, version=_version(request), data=data
            )
        except services.StaleItem:
            messages.error(request, STALE)
            return redirect("feedback:item", item_id=item.pk)
        except PermissionDenied as error:
            if not rules.readable_items(user).filter(pk=item.pk).exists():
                raise Http404 from None
            form.add_error(None, list(getattr(error, "messages", [str(error)])))
            status = 403
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            if rules.readable_items(user).filter(pk=updated.pk).exists():
                return redirect("feedback:item", item_id=item.pk)
            messages.info(request, _("The item is now sensitive: only safeguarding reads it."))
            return redirect("feedback:index")
    context = _item_context(user, item, edit_form=form)
    return render(request, "feedback/item.html", context, status=status)


@login_required
@require_POST
def item_step(request: HttpRequest, item_id) -> HttpResponse:
    user = request.user
    item = _item_or_404(user, item_id)
    form = StepForm(request.POST)
    status = 200  # shown again with the errors
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.feedback_move(
                actor=user,
                item=item,
                version=_version(request),
                to_status=data["status"],
                note=data["note"],
                response=data["response"],
                response_method=data["response_method"],
            )
        except services.StaleItem:
            messages.error(request, STALE)
            return redirect("feedback:item", item_id=item.pk)
        except PermissionDenied as error:
            form.add_error(None, list(getattr(error, "messages", [str(error)])))
            status = 403
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("feedback:item", item_id=item.pk)
    context = _item_context(user, item, step_form=form)
    return render(request, "feedback/item.html", context, status=status)


@login_required
def project_settings(request: HttpRequest, project_id) -> HttpResponse:
    user = request.user
    project = _project_or_404(
        {p for p in rules.handling_projects(user) if rules.may_configure(user, p)}, project_id
    )
    current = services.deadlines(project)
    version = current.version if current.pk else 0
    form = SettingsForm(
        request.POST or None,
        initial={
            "acknowledge_days": current.acknowledge_days,
            "respond_days": current.respond_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(
                actor=user, project=project, version=_version(request), **form.cleaned_data
            )
        except services.StaleItem:
            messages.error(
                request, _("Someone else changed these deadlines meanwhile: here they are now.")
            )
            return redirect("feedback:settings", project_id=project.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request, _("Deadlines saved. They apply to feedback received from now on.")
            )
            return redirect("feedback:index")
    return render(
        request,
        "feedback/settings.html",
        {"project": project, "form": form, "version": version},
        status=400 if form.errors else 200,
    )


def _month_start(value, default: date) -> date:
    try:
        year, month = (int(x) for x in str(value).split("-")[:2])
        return date(year, month, 1) if 2000 <= year <= 2200 and 1 <= month <= 12 else default
    except (TypeError, ValueError):
        return default


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    user = request.user
    project_ids = rules.counting_projects(user)
    if not project_ids:
        raise Http404
    projects = list(Project.objects.filter(pk__in=project_ids).order_by("name"))
    chosen = request.GET.get("project")
    project = projects[0]
    if chosen:
        project = _project_or_404(project_ids, chosen)
    today = timezone.localdate()
    default_start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    start = _month_start(request.GET.get("from"), default_start)
    end_month = _month_start(request.GET.get("to"), today.replace(day=1))
    if end_month < start:
        start, end_month = end_month, start
    if (end_month.year - start.year) * 12 + end_month.month - start.month > 35:
        start = date(end_month.year - 3, end_month.month, 1)
    end = (end_month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    figures = stats.figures(user, project, start, end, today=today)
    return render(
        request,
        "feedback/statistics.html",
        {
            "projects": projects,
            "project": project,
            "start": start,
            "end": end,
            "from_value": start.strftime("%Y-%m"),
            "to_value": end_month.strftime("%Y-%m"),
            "f": figures,
            "chart": stats.bar_chart(figures.by_month),
        },
    )


def public_url(request, project, site=None) -> str:
    if site is not None:
        path = reverse("feedback:public_site", args=[project.code, site.pk])
    else:
        path = reverse("feedback:public", args=[project.code])
    return request.build_absolute_uri(path)


def _poster_target(request, project_id):
    project = _project_or_404(rules.handling_projects(request.user), project_id)
    site = None
    if request.GET.get("site"):
        site = Site.objects.filter(pk=parse_id(request.GET["site"]), project=project).first()
        if site is None:
            raise Http404
    return project, site


@login_required
def qr_code(request: HttpRequest, project_id) -> HttpResponse:
    from parcours.feedback.poster import qr_png, qr_svg

    project, site = _poster_target(request, project_id)
    url = public_url(request, project, site)
    if request.GET.get("format") == "png":
        return HttpResponse(qr_png(url), content_type="image/png")
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


@login_required
def poster(request: HttpRequest, project_id) -> HttpResponse:
    from parcours.feedback.poster import poster_pdf
    from parcours.lib.pdf import PDF_CONTENT_TYPE

    project, site = _poster_target(request, project_id)
    url = public_url(request, project, site)
    response = HttpResponse(poster_pdf(project, site, url), content_type=PDF_CONTENT_TYPE)
    name = f"feedback-poster-{project.code}{'-' + str(site.pk) if site else ''}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
