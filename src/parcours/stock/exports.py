"""An order as a supply system imports it (XLSX: item code, designation,
unit, quantity, comment) and as a PDF for signature."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.lib.pdf import PDF_CONTENT_TYPE, Document
from parcours.lib.spreadsheets import safe_row, xlsx_response

COLUMNS = ("item_code", "designation", "unit", "quantity", "comment")


def _lines(order):
    return [
        (line.item.code, line.item.name, line.item.unit, line.quantity, line.comment)
        for line in order.lines.select_related("item").order_by("item__code")
    ]


def _record_export(user, order, fmt: str) -> None:
    audit.record(
        actor=user,
        event=Event.ORDER_EXPORT,
        subject=order,
        project=order.site.project,
        extra={"format": fmt},
    )


def order_xlsx(user, order) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = order.reference
    # Column names in English and fixed: what an import template expects.
    sheet.append(list(COLUMNS))
    for row in _lines(order):
        sheet.append(safe_row(row))
    _record_export(user, order, "xlsx")
    return xlsx_response(book, f"order-{order.pk}")


def order_pdf(user, order) -> HttpResponse:
    doc = Document(
        title=_("Medical order %(ref)s") % {"ref": order.reference},
        subtitle=f"{order.site.project.name} · {order.site.name}",
        footer=order.reference,
    )
    doc.key_values(
        [
            (_("Status"), order.get_status_display()),
            (_("Prepared by"), str(order.created_by)),
            (_("Prepared on"), timezone.localtime(order.created_at).strftime("%d/%m/%Y")),
            (_("Validated by"), str(order.validated_by or "")),
            (
                _("Validated on"),
                timezone.localtime(order.validated_at).strftime("%d/%m/%Y")
                if order.validated_at
                else "",
            ),
            (_("Comment"), order.comment),
        ]
    )
    doc.table(
        [_("Code"), _("Designation"), _("Unit"), _("Quantity"), _("Comment")],
        _lines(order),
        widths=[32, 70, 25, 20, 40],
    )
    doc.heading(_("Signatures"))
    doc.key_values(
        [
            (_("Medical referent"), "\n\n"),
            (_("Coordinator"), "\n\n"),
        ]
    )
    _record_export(user, order, "pdf")
    response = HttpResponse(doc.output(), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="parcours-{order.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
