"""A report as PDF (lib.pdf), XLSX (openpyxl, every user text through
safe_cell) and DOCX (python-docx), built from what the reader sees
(``content.ReportContent``): figures, narratives, never a name."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from openpyxl import Workbook
from openpyxl.styles import Font

from parcours.lib.pdf import PDF_CONTENT_TYPE, Document
from parcours.lib.spreadsheets import safe_cell, xlsx_response
from parcours.reporting.content import ReportContent, indicator_name
from parcours.reporting.feedback_section import feedback_lines

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _headers() -> list[str]:
    return [
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Target"),
        _("% achieved"),
        _("Previous period"),
        _("Change on the previous period"),
    ]


def _number(value) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _rows(project: dict) -> list[list]:
    rows = []
    for row in project["indicators"]:
        if row["indicator"]["kind"] == "narrative":
            continue
        rows.append(
            [
                row["indicator"]["code"],
                indicator_name(row),
                row["indicator"].get("unit", ""),
                row.get("total_display") or _number(row.get("total")),
                _number(row.get("target")),
                _number(row.get("achieved_pct")),
                row.get("previous_display") or "—",
                _number(row.get("change")),
            ]
        )
    return rows


def _subtitle(content: ReportContent) -> str:
    parts = [content.subject_name, content.period.label, content.status]
    if content.outside:
        parts.append(_("small cells suppressed (<5)"))
    return " · ".join(str(p) for p in parts)


def _quality_line(project: dict) -> str | None:
    quality = project.get("quality")
    if not quality:
        return None
    score = "—" if quality["score"] is None else f"{quality['score']} %"
    return _("Data quality: %(score)s of %(checked)s records checked without a finding.") % {
        "score": score,
        "checked": quality["checked"],
    }


def _filename(content: ReportContent, ext: str) -> str:
    code = content.subject.project.code if content.subject.project else "mission"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"parcours-{content.subject.kind}-{code}-{content.period.code}-{stamp}.{ext}"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def pdf_response(content: ReportContent) -> HttpResponse:
    doc = Document(
        title=content.title,
        subtitle=_subtitle(content),
        footer=content.subject_name,
        landscape=True,
    )
    for _name, label, text in content.narrative_sections():
        doc.heading(label)
        doc.paragraph(text or "—")
    for project in content.figures["projects"]:
        doc.heading(_("Indicators") + f" · {project['name']}")
        line = _quality_line(project)
        if line:
            doc.paragraph(line, muted=True)
        for text in feedback_lines(project.get("feedback")):
            doc.paragraph(text, size=10)
        rows = _rows(project)
        if rows:
            doc.table(_headers(), rows, widths=[22, 80, 25, 22, 22, 22, 25, 20])
        else:
            doc.paragraph(_("No indicator you may read."), muted=True)
    narrative = content.narrative_indicators()
    if narrative:
        doc.heading(_("Narrative indicators"))
        for row in narrative:
            doc.paragraph(f"{row['indicator']['code']} · {indicator_name(row)}", size=10)
            doc.paragraph(row.get("text") or "—", muted=not row.get("text"))
    response = HttpResponse(doc.output(), content_type=PDF_CONTENT_TYPE)
    return _attachment(response, _filename(content, "pdf"))


def xlsx_response_for(content: ReportContent) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")[:31]
    sheet.append([safe_cell(content.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([safe_cell(_subtitle(content))])
    sheet.append([])
    sheet.append([_("Project"), *_headers()])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for project in content.figures["projects"]:
        for row in _rows(project):
            sheet.append([safe_cell(project["name"]), *(safe_cell(v) for v in row)])
    quality = [(p["name"], p["quality"]) for p in content.figures["projects"] if p.get("quality")]
    if quality:
        sheet.append([])
        sheet.append([_("Data quality"), _("Score (%)"), _("Records checked"), _("With a finding")])
        for name, q in quality:
            sheet.append([safe_cell(name), q["score"], q["checked"], q["with_findings"]])
    texts = book.create_sheet(_("Narratives")[:31])
    texts.append([_("Section"), _("Text")])
    for _name, label, text in content.narrative_sections():
        texts.append([safe_cell(label), safe_cell(text)])
    for row in content.narrative_indicators():
        texts.append(
            [
                safe_cell(f"{row['indicator']['code']} · {indicator_name(row)}"),
                safe_cell(row.get("text") or ""),
            ]
        )
    for project in content.figures["projects"]:
        for text in feedback_lines(project.get("feedback")):
            texts.append([safe_cell(project["name"]), safe_cell(text)])
    texts.column_dimensions["A"].width = 40
    texts.column_dimensions["B"].width = 100
    sheet.column_dimensions["C"].width = 50
    response = xlsx_response(book, f"{content.subject.kind}-{content.period.code}")
    return response


def docx_response(content: ReportContent) -> HttpResponse:
    word = WordDocument()
    word.add_heading(content.title, level=0)
    word.add_paragraph(_subtitle(content))
    for _name, label, text in content.narrative_sections():
        word.add_heading(label, level=1)
        word.add_paragraph(text or "—")
    for project in content.figures["projects"]:
        word.add_heading(_("Indicators") + f" · {project['name']}", level=1)
        line = _quality_line(project)
        if line:
            word.add_paragraph(line)
        for text in feedback_lines(project.get("feedback")):
            word.add_paragraph(text)
        rows = _rows(project)
        if not rows:
            word.add_paragraph(_("No indicator you may read."))
            continue
        table = word.add_table(rows=1, cols=len(_headers()))
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, _headers(), strict=True):
            cell.text = label
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = str(value)
    narrative = content.narrative_indicators()
    if narrative:
        word.add_heading(_("Narrative indicators"), level=1)
        for row in narrative:
            word.add_heading(f"{row['indicator']['code']} · {indicator_name(row)}", level=2)
            word.add_paragraph(row.get("text") or "—")
    buffer = BytesIO()
    word.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=DOCX_TYPE)
    return _attachment(response, _filename(content, "docx"))
