"""The periodic jobs page (``/ops/jobs/``): each job and its schedule, the
recent runs (paged, filtered by job and status) and a button to run a job
now. Configuration administrators only (``org.views.configuration_admin``:
404 for everyone else). Runs hold counts and error messages, never
personal data."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parcours.lib.forms import flash_errors
from parcours.ops import scheduler
from parcours.ops.jobs import JOBS
from parcours.ops.models import JobRun
from parcours.org.views import configuration_admin

RUNS_PER_PAGE = 50


class RunFilterForm(forms.Form):
    job = forms.ChoiceField(label=gettext_lazy("Job"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["job"].choices = everything + [(j.code, j.label) for j in JOBS.values()]
        self.fields["status"].choices = everything + list(JobRun.Status.choices)


def _summary(run: JobRun) -> str:
    job = JOBS.get(run.job)
    if run.status != JobRun.Status.SUCCEEDED or job is None or not run.result:
        return ""
    try:
        return job.describe(run.result)
    except (KeyError, TypeError, ValueError):  # a result written by an older version
        return ""


def _jobs() -> list[dict]:
    # The last run of each job, one row each: the history grows by the hour.
    return [
        {
            "job": job,
            "schedule": str(job.schedule),
            "off": job.off_because(),
            "last": JobRun.objects.filter(job=code).order_by("-enqueued_at", "-pk").first(),
        }
        for code, job in JOBS.items()
    ]


@never_cache
@configuration_admin
def job_list(request: HttpRequest) -> HttpResponse:
    form = RunFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    runs = JobRun.objects.select_related("requested_by")
    if data.get("job"):
        runs = runs.filter(job=data["job"])
    if data.get("status"):
        runs = runs.filter(status=data["status"])
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"run": run, "job": JOBS.get(run.job), "summary": _summary(run)} for run in page.object_list
    ]
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "ops/jobs.html",
        {
            "form": form,
            "jobs": _jobs(),
            "page": page,
            "rows": rows,
            "query_string": query_string.urlencode(),
        },
    )


@configuration_admin
@require_POST
def job_run(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("job", "")
    try:
        run = scheduler.run_now(actor=request.user, job_code=code)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(job)s is queued: the worker runs it within a minute.")
            % {"job": JOBS[run.job].label},
        )
    return redirect("ops:jobs")
