"""The QR code of a public feedback page (SVG or PNG, segno) and the A4
poster to print: the QR code, the address, and the invitation in every
language of the page. DejaVu Sans (lib.pdf) writes Latin and Arabic
script; Tigrinya and Amharic lines use Noto Sans Ethiopic, shipped in
feedback/fonts (SIL Open Font License, OFL-noto-sans-ethiopic.txt), the
glyphs of the woff2 subset the interface already serves, as TrueType."""

import io
from pathlib import Path

import segno
from django.utils import translation
from fpdf.enums import XPos, YPos

from parcours.feedback import public_texts
from parcours.lib.pdf import FONT, Document

FONTS = Path(__file__).resolve().parent / "fonts"
ETHIOPIC = "NotoSansEthiopic"
ETHIOPIC_LANGUAGES = {"ti", "am"}


def _qr(url: str):
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="svg", scale=8, border=2, title=url)
    return out.getvalue()


def qr_png(url: str, scale: int = 12) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def poster_pdf(project, site, url: str) -> bytes:
    with translation.override("fr"):
        fr = public_texts.text("title")
    with translation.override("en"):
        en = public_texts.text("title")
    subtitle = project.name + (f" · {site.name}" if site else "")
    doc = Document(title=f"{fr} · {en}", subtitle=subtitle, footer=project.code)
    pdf = doc.pdf
    pdf.add_font(ETHIOPIC, "", FONTS / "NotoSansEthiopic-Regular.ttf")
    size = 70
    pdf.image(io.BytesIO(qr_png(url)), x=(pdf.w - size) / 2, w=size, h=size)
    pdf.ln(2)
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, url, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    for code, (_name, direction) in public_texts.PUBLIC_LANGUAGES.items():
        with translation.override(code):
            title = public_texts.text("title")
            scan = public_texts.text("poster_scan")
        align = "R" if direction == "rtl" else "L"
        family = ETHIOPIC if code in ETHIOPIC_LANGUAGES else FONT
        pdf.set_font(family, "B" if family == FONT else "", 12)
        pdf.multi_cell(0, 6.5, f"{title}", align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(family, "", 9.5)
        pdf.multi_cell(0, 5, scan, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(
            0, 4.5, f"{url}?lang={code}", align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(1.5)
    return doc.output()
