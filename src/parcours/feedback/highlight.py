"""The review helper: marks in a testimony what may identify someone (the
person's known names, capitalised names, places, dates), for the reviewer
to check the anonymisation. Regular expressions and the names Parcours
knows; no external model. It suggests, the reviewer decides."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre|january|february|march|april|may|june|july|august|"
    "september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATE = re.compile(
    rf"\b(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}(er)?\s+({MONTHS})\.?(\s+\d{{4}})?|({MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?(,?\s+\d{{4}})?|"
    rf"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    rf"thursday|friday|saturday|sunday))\b",
    re.IGNORECASE,
)
# A capitalised word (or several) after a word that introduces a place.
PLACE = re.compile(
    r"(?:\b(?:à|a|au|aux|en|de|du|près de|vers|in|at|near|from|to)\s+)"
    r"((?:[A-ZÀ-Ý][\w'’-]+)(?:[\s-][A-ZÀ-Ý][\w'’-]+)*)"
)
# Capitalised words not at the start of a sentence: possible names.
CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)(?<![.!?]\n)\b([A-ZÀ-Ý][a-zà-ÿ'’-]{2,})\b")
KNOWN_PLACES = (
    "Calais",
    "Dunkerque",
    "Grande-Synthe",
    "Loon-Plage",
    "Coquelles",
    "Boulogne",
    "Paris",
    "Lille",
    "Douvres",
    "Dover",
    "Libye",
    "Libya",
    "Tripoli",
    "Italie",
    "Lampedusa",
)
# Capitalised words that are not names (sentence words, titles…).
COMMON_WORDS = {
    "Je",
    "Il",
    "Elle",
    "Ils",
    "Elles",
    "Nous",
    "Vous",
    "On",
    "Le",
    "La",
    "Les",
    "Un",
    "Une",
    "Des",
    "Ce",
    "Cette",
    "Mais",
    "Puis",
    "Et",
    "Quand",
    "Après",
    "Avant",
    "Alors",
    "The",
    "They",
    "We",
    "He",
    "She",
    "It",
    "When",
    "Then",
    "After",
    "Before",
    "But",
    "And",
    "Police",
    "Policiers",
    "CRS",
}


@dataclass
class Mark:
    start: int
    end: int
    kind: str  # "name", "place", "date"


def find_marks(text: str, names=()) -> list[Mark]:
    marks: list[Mark] = []
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        for m in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
            marks.append(Mark(m.start(), m.end(), "name"))
    for m in DATE.finditer(text):
        marks.append(Mark(m.start(), m.end(), "date"))
    for place in KNOWN_PLACES:
        for m in re.finditer(rf"\b{re.escape(place)}\b", text):
            marks.append(Mark(m.start(), m.end(), "place"))
    for m in PLACE.finditer(text):
        marks.append(Mark(m.start(1), m.end(1), "place"))
    for m in CAPITALISED.finditer(text):
        if m.group(1) not in COMMON_WORDS:
            marks.append(Mark(m.start(1), m.end(1), "name"))
    # Keep the first of overlapping marks, in the order above (known names
    # first, then dates, places, other capitalised words).
    kept: list[Mark] = []
    taken: set[int] = set()
    for mark in marks:
        span = set(range(mark.start, mark.end))
        if span & taken:
            continue
        kept.append(mark)
        taken |= span
    return sorted(kept, key=lambda m: m.start)


def highlighted(text: str, names=()) -> SafeString:
    """The text as HTML with <mark class="hl-<kind>"> around each finding."""
    out = []
    position = 0
    for mark in find_marks(text, names):
        out.append(escape(text[position : mark.start]))
        out.append(f'<mark class="hl-{mark.kind}">{escape(text[mark.start : mark.end])}</mark>')
        position = mark.end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
