"""The people list as an XLSX file, for those whose role may export identity
data: the same persons and filters as the list page, audited, every person
access-logged (channel "export"), and no cell that a spreadsheet could run as
a formula."""

from datetime import date
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook

from parcours.access.scope import flags_offered, log_reads, may, projects_where
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event, Read
from parcours.lib.spreadsheets import safe_cell
from parcours.org.models import Project
from parcours.people.extensions import person_export_columns
from parcours.people.forms import FilterForm
from parcours.people.presenters import codes_seen
from parcours.people.search import PersonFilters, find_persons
from parcours.people.search_session import search_params

# A list larger than this is cut (and says so on its first row): an export is
# for a team's work list, not a copy of the registry.
MAX_ROWS = 20_000


@login_required
def person_list_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may(user, Action.EXPORT, Category.IDENTITY):
        raise Http404
    projects = Project.objects.filter(pk__in=projects_where(user, Action.EXPORT, Category.IDENTITY))
    params, _token = search_params(request)
    form = FilterForm(params or None, projects=list(projects), flags=flags_offered(user))
    if params and not form.is_valid():
        # Never export more than the list the user asked for.
        messages.error(request, _("These filters cannot be exported: check them and try again."))
        return redirect("people:list")
    data = form.cleaned_data if form.is_bound else {}
    found = find_persons(
        user, PersonFilters.from_form(data), data.get("q", ""), action=Action.EXPORT
    )
    persons = list(found.persons[:MAX_ROWS])
    seen = projects_where(user, Action.VIEW, Category.IDENTITY)
    country_names = dict(countries)
    today = date.today()

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("People"))
    # The project's own fields (customfields), as far as the user may export them.
    extra_headers, extra_cells = person_export_columns(user, persons)
    if found.count > MAX_ROWS:
        sheet.append(
            [
                _("Only the first %(n)d of %(total)d persons: narrow the filters.")
                % {"n": MAX_ROWS, "total": found.count}
            ]
        )
    sheet.append(
        [
            _("Codes"),
            _("Given name"),
            _("Family name"),
            _("Original script"),
            _("Sex"),
            _("Age"),
            _("Nationality"),
            _("Active list"),
            *extra_headers,
        ]
    )
    for person in persons:
        sheet.append(
            [
                safe_cell(value)
                for value in (
                    " ".join(codes_seen(person, seen)),
                    person.given_name,
                    person.family_name,
                    person.name_original,
                    str(person.get_sex_display()),
                    person.age(today),
                    str(country_names.get(str(person.nationality or ""), "")),
                    _("yes") if person.is_active else _("no"),
                    *extra_cells[person.pk],
                )
            ]
        )
    buffer = BytesIO()
    book.save(buffer)

    log_reads(request, persons, Read.LIST_EXPORT, export=True)
    audit.record(
        actor=user,
        event=Event.PERSONS_EXPORT,
        subject=user,
        extra={
            "rows": len(persons),
            # A name searched for is personal data: the trail says only that
            # the list was a search.
            "filters": sorted(
                f"{k}={v}" if k != "q" else "q=…" for k, v in data.items() if v not in (None, "")
            ),
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="parcours-people-{stamp}.xlsx"'
    return response
