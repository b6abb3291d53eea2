"""PDF documents with no system dependency (fpdf2, DejaVu Sans shipped in
lib/fonts, HarfBuzz shaping so that Arabic script joins and runs right to
left).

Every printable document of Parcours (reports, letters, posters, exports)
is built from this small vocabulary so that they all look alike:

    doc = Document(title=_("Monthly SITREP"), subtitle="CAL · 2026-10")
    doc.heading(_("Highlights"))
    doc.paragraph(text)
    doc.table([_("Indicator"), _("Value")], rows, widths=[120, 50])
    return HttpResponse(doc.output(), content_type=PDF_CONTENT_TYPE)

Text is written as given: escaping is not needed (no markup is
interpreted), and a cell that holds user input is never evaluated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
PDF_CONTENT_TYPE = "application/pdf"

_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_RULE = (206, 212, 218)


class Document:
    """An A4 portrait (or landscape) document with a title block, headings,
    paragraphs, key–value lines and tables. The footer carries the page
    number and the generation time."""

    def __init__(
        self,
        *,
        title: str,
        subtitle: str = "",
        footer: str = "",
        landscape: bool = False,
    ):
        self.pdf = _PDF(orientation="L" if landscape else "P", format="A4")
        self.pdf.footer_text = footer
        self.pdf.set_title(title)
        self.pdf.set_creator("Parcours")
        self.pdf.add_font(FONT, "", FONTS_DIR / "DejaVuSans.ttf")
        self.pdf.add_font(FONT, "B", FONTS_DIR / "DejaVuSans-Bold.ttf")
        # Shaping joins Arabic letters and orders right-to-left runs.
        self.pdf.set_text_shaping(True)
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_margins(18, 18, 18)
        self.pdf.add_page()
        self.pdf.set_text_color(*_INK)
        self.pdf.set_font(FONT, "B", 16)
        self.pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.pdf.set_font(FONT, "", 10)
            self.pdf.set_text_color(*_MUTED)
            self.pdf.multi_cell(0, 6, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.pdf.set_text_color(*_INK)
        self.pdf.ln(4)

    @property
    def width(self) -> float:
        """Usable width in millimetres."""
        return self.pdf.epw

    def heading(self, text: str) -> None:
        self.pdf.ln(2)
        self.pdf.set_font(FONT, "B", 12)
        self.pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_draw_color(*_RULE)
        y = self.pdf.get_y()
        self.pdf.line(self.pdf.l_margin, y, self.pdf.l_margin + self.width, y)
        self.pdf.ln(2)

    def paragraph(self, text: str, *, size: float = 10, muted: bool = False) -> None:
        self.pdf.set_font(FONT, "", size)
        if muted:
            self.pdf.set_text_color(*_MUTED)
        self.pdf.multi_cell(0, size * 0.55, text or "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_text_color(*_INK)
        self.pdf.ln(1.5)

    def key_values(self, pairs: Sequence[tuple[str, str]], *, key_width: float = 55) -> None:
        """Label: value lines, labels in bold."""
        for key, value in pairs:
            self.pdf.set_font(FONT, "B", 10)
            self.pdf.cell(key_width, 6, str(key))
            self.pdf.set_font(FONT, "", 10)
            self.pdf.multi_cell(0, 6, str(value or "—"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1.5)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        size: float = 9,
    ) -> None:
        """A table with a repeated bold header; cells wrap. Widths are in
        millimetres (proportions of the usable width when they add up to
        more)."""
        columns = len(header)
        if widths:
            total = sum(widths)
            widths = [w * self.width / total for w in widths] if total > self.width else widths
        self.pdf.set_font(FONT, "", size)
        self.pdf.set_draw_color(*_RULE)
        with self.pdf.table(
            col_widths=tuple(widths) if widths else None,
            width=sum(widths) if widths else self.width,
            line_height=size * 0.55,
            headings_style=_heading_style(),
            text_align="LEFT",
            first_row_as_headings=True,
            repeat_headings=1,
            align="LEFT",
        ) as table:
            head = table.row()
            for label in header:
                head.cell(str(label))
            for values in rows:
                row = table.row()
                for i in range(columns):
                    value = values[i] if i < len(values) else ""
                    row.cell("" if value is None else str(value))
        self.pdf.ln(2)

    def page_break(self) -> None:
        self.pdf.add_page()

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(241, 243, 245))


class _PDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*_MUTED)
        stamp = datetime.now().astimezone().strftime("%d/%m/%Y %H:%M")
        left = f"{self.footer_text} · {stamp}" if self.footer_text else stamp
        self.cell(self.epw / 2, 5, left)
        self.cell(self.epw / 2, 5, f"{self.page_no()}/{{nb}}", align="R")
