"""Languages by ISO 639 code, named in the interface language."""

import gettext as gettext_module
import re
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

# The languages most spoken on the routes the mission sees, first in the list.
COMMON_LANGUAGES = [
    "ar",
    "ti",
    "am",
    "ps",
    "prs",
    "fa",
    "so",
    "ku",
    "om",
    "ur",
    "bn",
    "fr",
    "en",
    "ff",
    "bm",
    "sus",
    "wo",
    "ha",
    "sw",
    "tr",
]


def language_name(code: str) -> str | None:
    """Name of an ISO 639-1 or 639-3 code in the active language, or None if unknown."""
    if not code:
        return None
    lookup = {"alpha_2": code} if len(code) == 2 else {"alpha_3": code}
    language = pycountry.languages.get(**lookup)
    if language is None:
        return None
    return _iso639_catalog(get_language() or "fr").gettext(language.name)


@lru_cache(maxsize=8)
def _iso639_catalog(language: str) -> gettext_module.NullTranslations:
    """pycountry ships the ISO 639 names translated (Debian iso-codes)."""
    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language.split("-")[0]], fallback=True
    )


def language_display(code: str) -> str:
    """ "Tigrinya (ti)": what a language input shows and accepts back."""
    name = language_name(code) if code else None
    return f"{name} ({code})" if name else (code or "")


def language_code(value: str) -> str | None:
    """An ISO 639 code from what was typed or picked: "ti", "tir", "Tigrinya",
    "Tigrinya (ti)". None when nothing matches."""
    value = (value or "").strip()
    match = re.search(r"\(([a-zA-Z]{2,3})\)\s*$", value)
    if match:
        value = match.group(1)
    if not value:
        return None
    try:
        language = pycountry.languages.lookup(value)
    except LookupError:
        return None
    return getattr(language, "alpha_2", None) or language.alpha_3
