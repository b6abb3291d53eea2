"""The anonymised export of testimonies for an advocacy report (CSV and
DOCX), with the aggregated documentation of violence (counts by type,
perpetrator, place and month, small cells shown as "<5").

Only reviewed testimonies whose consent in force allows public use, read
at the moment of the export: a withdrawn consent empties it at once. No
person code, no exact date (the month), the name to quote only where the
person agreed to identifiable use.
"""

import csv
import io
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.models import TestimonyUse
from parcours.access.scope import projects_where
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.feedback.models import PerpetratorType, PlaceType, ViolenceType
from parcours.feedback.suppression import shown
from parcours.feedback.testimonies import exportable_testimonies, shows_attribution
from parcours.lib.languages import language_name
from parcours.lib.spreadsheets import safe_row
from parcours.org.models import Project


def _labels(values, choices) -> str:
    labels = dict(choices.choices)
    return "; ".join(str(labels.get(v, v)) for v in values)


def aggregates(testimonies) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(label, count shown)]) for type, perpetrator, place, month."""
    by_type, by_perpetrator, by_place, by_month = Counter(), Counter(), Counter(), Counter()
    for t in testimonies:
        by_type.update(t.violence_types)
        by_perpetrator.update(t.perpetrator_types)
        if t.place_type:
            by_place[t.place_type] += 1
        by_month[t.date.strftime("%Y-%m")] += 1
    types, perpetrators, places = (
        dict(ViolenceType.choices),
        dict(PerpetratorType.choices),
        dict(PlaceType.choices),
    )
    return [
        (
            _("Violence by type"),
            [(str(types[k]), shown(by_type[k])) for k in types if by_type[k]],
        ),
        (
            _("Violence by perpetrator"),
            [
                (str(perpetrators[k]), shown(by_perpetrator[k]))
                for k in perpetrators
                if by_perpetrator[k]
            ],
        ),
        (
            _("Testimonies by type of place"),
            [(str(places[k]), shown(by_place[k])) for k in places if by_place[k]],
        ),
        (_("Testimonies by month"), [(m, shown(by_month[m])) for m in sorted(by_month)]),
    ]


def _row(t) -> list[str]:
    return [
        t.reference,
        t.project.code,
        t.date.strftime("%Y-%m"),
        t.place,
        str(dict(PlaceType.choices).get(t.place_type, "")),
        language_name(t.language) or t.language,
        _labels(t.violence_types, ViolenceType),
        _labels(t.perpetrator_types, PerpetratorType),
        str(TestimonyUse(t.use_in_force).label),
        t.attribution if shows_attribution(t) else "",
        t.text,
    ]


def _header() -> list[str]:
    return [
        _("Reference"),
        _("Project"),
        _("Month"),
        _("Place"),
        _("Type of place"),
        _("Language"),
        _("Violence"),
        _("Perpetrators"),
        _("Use agreed"),
        _("Name to quote"),
        _("Testimony"),
    ]


def _selected(request):
    projects = projects_where(request.user, Action.EXPORT, Category.TESTIMONY)
    if not projects:
        raise Http404
    rows = list(exportable_testimonies(request.user).select_related("project"))
    audit.record(
        actor=request.user,
        event=Event.TESTIMONY_EXPORT,
        subject=Project.objects.get(pk=min(projects)),
        extra={"count": len(rows), "format": request.path.rsplit(".", 1)[-1]},
    )
    return rows


def _filename(extension: str) -> str:
    return f"parcours-testimonies-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{extension}"


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    rows = _selected(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    for t in rows:
        writer.writerow(safe_row(_row(t)))
    writer.writerow([])
    for title, counts in aggregates(rows):
        writer.writerow([title])
        for label, value in counts:
            writer.writerow(safe_row([label, value]))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_docx(request: HttpRequest) -> HttpResponse:
    from docx import Document

    rows = _selected(request)
    doc = Document()
    doc.add_heading(_("Testimonies for advocacy (anonymised)"), level=1)
    doc.add_paragraph(
        _(
            "Reviewed testimonies whose consent allows public use, as of %(when)s. "
            "Counts from 1 to 4 are shown as <5."
        )
        % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    )
    doc.add_heading(_("Violence documentation"), level=2)
    for title, counts in aggregates(rows):
        doc.add_heading(title, level=3)
        if not counts:
            doc.add_paragraph("—")
            continue
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = title
        table.rows[0].cells[1].text = _("Count")
        for label, value in counts:
            cells = table.add_row().cells
            cells[0].text = label
            cells[1].text = value
    doc.add_heading(_("Testimonies"), level=2)
    if not rows:
        doc.add_paragraph(_("No testimony may be used at present."))
    for t in rows:
        values = _row(t)
        doc.add_heading(f"{t.reference} · {values[2]}", level=3)
        meta = [
            (_("Place"), " · ".join(v for v in (values[3], values[4]) if v)),
            (_("Violence"), values[6]),
            (_("Perpetrators"), values[7]),
            (_("Use agreed"), values[8]),
        ]
        if values[9]:
            meta.append((_("Name to quote"), values[9]))
        for label, value in meta:
            if value:
                doc.add_paragraph(f"{label}: {value}")
        doc.add_paragraph(t.text)
    buffer = io.BytesIO()
    doc.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("docx")}"'
    response["Cache-Control"] = "no-store"
    return response
