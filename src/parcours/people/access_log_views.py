"""The access log across the persons a user audits, for the data-protection
officer and the coordinators: paged, filtered (who, when, what, which
person) and exported as CSV.

Who: the roles with *audit* on identity (coordinators, medical referents),
for the persons of the projects where they hold it; the same rule as a
person's "who accessed this record". The export is itself audited.
"""

import csv
from datetime import datetime, time

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.access.scope import may, visible_persons
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event, Read
from parcours.audit.models import AccessLog
from parcours.lib.keyset import keyset_page
from parcours.people.models import Enrolment

PAGE_SIZE = 50
EXPORT_MAX = 200_000


class AccessLogFilter(forms.Form):
    who = forms.CharField(label=gettext_lazy("Who (user name)"), max_length=150, required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False)
    until = forms.DateField(label=gettext_lazy("To"), required=False)
    what = forms.ChoiceField(label=gettext_lazy("What"), required=False)
    code = forms.CharField(label=gettext_lazy("Person code"), max_length=16, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", gettext_lazy("All"))] + [
            (r.value, r.label) for r in Read
        ]


def _entries(user, data: dict):
    persons = visible_persons(user, action=Action.AUDIT).values("pk")
    entries = AccessLog.objects.filter(person_id__in=persons)
    if data.get("who"):
        entries = entries.filter(user__username__iexact=data["who"].strip())
    zone = timezone.get_current_timezone()
    if data.get("since"):
        entries = entries.filter(at__gte=datetime.combine(data["since"], time.min, zone))
    if data.get("until"):
        entries = entries.filter(at__lte=datetime.combine(data["until"], time.max, zone))
    if data.get("what"):
        entries = entries.filter(what=data["what"])
    if data.get("code"):
        owners = Enrolment.objects.filter(code=data["code"].strip().upper()).values("person_id")
        entries = entries.filter(person_id__in=owners)
    return entries.select_related("user", "person")


def _filtered(request):
    if not may(request.user, Action.AUDIT, Category.IDENTITY):
        raise Http404
    form = AccessLogFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    form, data = _filtered(request)
    entries = _entries(request.user, data)
    page = keyset_page(
        entries,
        ("-at", "-id"),
        size=PAGE_SIZE,
        count=entries.count(),
        after=_cursor(request.GET.get("after")),
        before=_cursor(request.GET.get("before")),
    )
    filters = request.GET.copy()
    for key in ("after", "before"):
        filters.pop(key, None)
    context = {"form": form, "page": page, "filters": filters.urlencode()}
    return render(request, "people/access_log_all.html", context)


@login_required
def access_log_export(request: HttpRequest) -> StreamingHttpResponse:
    form, data = _filtered(request)
    entries = _entries(request.user, data).order_by("-at", "-id")[:EXPORT_MAX]
    audit.record(
        actor=request.user,
        event=Event.ACCESS_LOG_EXPORT,
        subject=request.user,  # the export is about no single person
        extra={k: str(v) for k, v in data.items() if v},
    )

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    header = [_("When"), _("User"), _("Person id"), _("What"), _("Channel"), _("Purpose")]

    def rows():
        yield writer.writerow([*header, _("Break-glass")])
        for e in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.at.isoformat(),
                    e.user.username,
                    e.person_id,
                    e.what,
                    e.channel,
                    _safe(e.purpose),
                    "yes" if e.break_glass else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response


def _safe(text: str) -> str:
    """No formula injection when the file is opened in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _cursor(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None
