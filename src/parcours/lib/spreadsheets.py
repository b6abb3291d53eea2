"""XLSX files for exports: cells that a spreadsheet never runs as formulas,
and the HTTP response that carries the workbook."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet reads as the start of a formula (CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a cell that is always data: text that could start a
    formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]


def xlsx_response(book, name: str) -> HttpResponse:
    """The workbook as a download named ``parcours-<name>-<local time>.xlsx``,
    never kept in a cache."""
    buffer = BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="parcours-{name}-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
