"""Checks of what people type: plain text of a bounded length, nothing a
screen cannot show (binary junk, control characters, broken encodings)."""

import unicodedata

# Characters a text field never legitimately holds: control characters other
# than tab and line breaks, lone surrogates, private-use and unassigned
# code points, and the replacement character of a broken encoding.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def is_readable(value: str) -> bool:
    for char in value:
        if char in _ALLOWED_CONTROLS:
            continue
        if char == "\ufffd":
            return False
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            return False
    return True


def clean_text(value) -> str:
    """The text as typed (line breaks made plain), outer spaces removed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return value.replace("\r\n", "\n").strip()
