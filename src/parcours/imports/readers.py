"""Reading the files people bring: XLSX (streamed, values only) and CSV
(separator and encoding detected). Every cell comes out as text or None:
nothing is ever evaluated, a cell starting with "=" stays text.
"""

import codecs
import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _

# The size limit of one file (stated on the upload page and in the CLI help).
MAX_MB = 50
MAX_BYTES = MAX_MB * 1024 * 1024

XLSX_MAGIC = b"PK\x03\x04"
# Valid UTF-8 multi-byte sequences: their presence next to invalid bytes
# means the file mixes encodings.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


class ImportFileError(Exception):
    """The file cannot be read as what it claims to be: nothing is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    name: str
    header: list[str]
    # A fresh iterator of (row number, cells) each time it is called.
    reopen: Callable[[], Iterator[tuple[int, list]]]
    estimated_rows: int = 0
    rows: Iterator[tuple[int, list]] | None = None


def check_size(size: int) -> None:
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ImportFileError(
            _("The file is %(size)d MB; files of at most %(limit)d MB are imported.")
            % {"size": size // (1024 * 1024), "limit": MAX_MB}
        )


def cell_text(value) -> str | None:
    """A cell as text (an Excel date as ISO text), or None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def file_kind(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start == XLSX_MAGIC:
        return "xlsx"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx), whatever its name."))
    return "csv"


def open_sheets(path: Path) -> tuple[str, list[Sheet]]:
    """(``"xlsx"`` or ``"csv"``, the sheets) of the file, rows not read yet."""
    check_size(path.stat().st_size)
    kind = file_kind(path)
    if kind == "xlsx":
        return kind, _xlsx_sheets(path)
    return kind, [_csv_sheet(path)]


# --- XLSX --------------------------------------------------------------------


def _xlsx_sheets(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ImportFileError(_("This file is a damaged or truncated archive.")) from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            _("This file is a ZIP archive but not an Excel workbook (.xlsx): nothing was imported.")
        )
    try:
        # Read-only (streamed) and formulas as their text: never evaluated.
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a malformed workbook
        raise ImportFileError(_("This Excel workbook cannot be read: is it damaged?")) from None
    sheets = []
    for worksheet in book.worksheets:
        rows = worksheet.iter_rows(values_only=True)
        try:
            first = next(rows)
        except StopIteration:
            continue
        except Exception:
            raise ImportFileError(
                _("The sheet “%(sheet)s” cannot be read: is the workbook damaged?")
                % {"sheet": worksheet.title}
            ) from None
        header = [(cell_text(v) or "").strip() for v in first]
        while header and not header[-1]:
            header.pop()
        if not header:
            continue
        rows.close()
        estimated = max((worksheet.max_row or 1) - 1, 0)
        width = len(header)

        def reopen(worksheet=worksheet, width=width):
            return _numbered_xlsx(worksheet.iter_rows(min_row=2, values_only=True), width)

        sheets.append(Sheet(worksheet.title, header, reopen, estimated))
    return sheets


def _numbered_xlsx(rows, width: int) -> Iterator[tuple[int, list]]:
    try:
        for number, values in enumerate(rows, start=2):
            cells = [cell_text(v) for v in values[:width]]
            if any(c is not None for c in cells):
                yield number, cells + [None] * (width - len(cells))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise ImportFileError(
            _("The workbook cannot be read to the end (%(error)s): is it truncated?")
            % {"error": type(error).__name__}
        ) from None


# --- CSV ---------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` (with or without BOM) or ``cp1252``; a file mixing both
    is refused (its accents would come out wrong either way)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    saw_multibyte = False
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            saw_multibyte = saw_multibyte or bool(_UTF8_MULTIBYTE.search(chunk))
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                if saw_multibyte or _UTF8_MULTIBYTE.search(handle.read()):
                    raise ImportFileError(
                        _(
                            "This file mixes text encodings (UTF-8 and Windows-1252): "
                            "open it in a spreadsheet and save it again as CSV UTF-8."
                        )
                    ) from None
                return "cp1252"
    return "utf-8-sig"


def _separator(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1
    for candidate in (";", ",", "\t", "|"):
        counts = [line.count(candidate) for line in lines]
        if counts[0] == 0:
            continue
        # The same count on most lines is the separator's signature.
        steady = sum(1 for c in counts if c == counts[0])
        score = steady * 100 + counts[0]
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_sheet(path: Path) -> Sheet:
    encoding = detect_encoding(path)
    handle = path.open("r", encoding=encoding, newline="")
    sample = handle.read(64 * 1024)
    handle.seek(0)
    delimiter = _separator(sample)
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        handle.close()
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error:
        handle.close()
        raise ImportFileError(_("This file is not a readable CSV file.")) from None
    while header and not header[-1]:
        header.pop()
    if not header:
        handle.close()
        raise ImportFileError(_("The first line of the file holds no column names."))
    handle.close()
    estimated = max(_count_lines(path) - 1, 0)

    width = len(header)

    def reopen(width=width):
        stream = path.open("r", encoding=encoding, newline="")
        rows = csv.reader(stream, delimiter=delimiter)
        next(rows, None)
        return _numbered_csv(rows, stream, width)

    return Sheet(path.stem, header, reopen, estimated)


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _numbered_csv(reader, handle, width: int) -> Iterator[tuple[int, list]]:
    try:
        for values in reader:
            cells = [v if v.strip() else None for v in values[:width]]
            if any(cells):  # cells are None or text with a non-space in it
                yield reader.line_num, cells + [None] * (width - len(cells))
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)d of the file cannot be read: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    finally:
        handle.close()


def read_header_only(path: Path) -> tuple[str, list[tuple[str, list[str], int]]]:
    """(kind, [(sheet name, header, estimated rows)]) without reading the rows."""
    kind, sheets = open_sheets(path)
    return kind, [(s.name, s.header, s.estimated_rows) for s in sheets]
