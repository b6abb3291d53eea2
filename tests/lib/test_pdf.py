"""lib.pdf: documents render with Latin and Arabic text, tables wrap, and
the bytes are a PDF."""

from parcours.lib.pdf import Document


def test_document_renders_a_pdf_with_unicode_text_and_a_table():
    doc = Document(title="Rapport mensuel — Calais", subtitle="2026-10", footer="Parcours")
    doc.heading("Points saillants")
    doc.paragraph("Consultations médicales : 1 234. Patiente : عائشة محمد.")
    doc.key_values([("Projet", "CAL"), ("Période", "octobre 2026")])
    doc.table(
        ["Indicateur", "Valeur", "Cible"],
        [["MED-CONS", 1234, 1500], ["SV-PEP72", "87 %", None]] * 40,
        widths=[100, 40, 40],
    )
    data = doc.output()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 2000
