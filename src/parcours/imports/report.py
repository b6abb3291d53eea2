"""The row-level report of an import as XLSX (streamed, cells never run as formulas)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from parcours.imports.models import ImportBatch, ReportRow
from parcours.lib.spreadsheets import safe_row


def report_workbook(batch: ImportBatch) -> Workbook:
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    summary.append([_("File"), batch.file_name])
    summary.append([_("Kind of file"), batch.file_kind])
    summary.append([_("Dry run"), _("yes") if batch.dry_run else _("no")])
    summary.append([_("Status"), batch.get_status_display()])
    if batch.message:
        summary.append(safe_row([_("Message"), batch.message]))
    for outcome, label in ReportRow.Outcome.choices:
        summary.append([str(label), batch.counts.get(outcome, 0)])
    rows = book.create_sheet(_("Rows"))
    rows.append(
        [
            _("Sheet"),
            _("Row"),
            _("Key in the source"),
            _("Outcome"),
            _("Reason"),
            _("Column"),
            _("Value"),
            _("Suspected duplicate (person code)"),
            _("Suspected duplicate (row of the file)"),
            _("Decision"),
        ]
    )
    labels = dict(ReportRow.Outcome.choices)
    decisions = dict(ReportRow.Decision.choices)
    for row in batch.rows.order_by("id").iterator(chunk_size=2000):
        code = ""
        if row.candidate_id:
            enrolment = row.candidate.enrolments.filter(project=batch.project).first()
            code = enrolment.code if enrolment else ""
        rows.append(
            safe_row(
                [
                    row.sheet,
                    row.row_number,
                    row.source_key,
                    str(labels.get(row.outcome, row.outcome)),
                    row.reason,
                    row.column,
                    row.value,
                    code,
                    row.candidate_row,
                    str(decisions.get(row.decision, "")) if row.outcome == "duplicate" else "",
                ]
            )
        )
    return book
