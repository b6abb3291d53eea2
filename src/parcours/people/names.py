"""Name normalisation for search and duplicate detection.

Names of people on the migration routes are spoken, written in Arabic,
Ge'ez or Latin script, and transliterated in many ways: "Mohamed",
"Mohammed", "Muhammad", "Mouhamed" and "محمد" are one name. We reduce each
name to a consonant skeleton ("mhmd") after transliteration to Latin, and
search on those skeletons. Collisions (Mahmoud also gives "mhmd") are fine:
search returns candidates, ranked afterwards by real similarity.
"""

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz
from unidecode import unidecode

# Arabic short vowels, shadda, sukun, tanween and the tatweel: they only
# make unidecode emit letters that Latin spellings never have.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_TOKEN = re.compile(r"[a-z0-9]+")
_WORD_MARKS = re.compile(r"['`@]")
# Spelling variants of the same sound in French and English transliterations.
_DIGRAPHS = [
    ("dj", "j"),
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "s"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "s"),
]
_VOWELS = set("aeiou")
_SOFT_C = re.compile(r"c(?=[eiy])")
_INITIAL_DI = re.compile(r"^di(?=[aeou])")
MIN_PREFIX = 3


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case Latin transliteration without accents or punctuation."""
    text = unicodedata.normalize("NFC", text or "")
    text = _ARABIC_MARKS.sub("", text)
    # unidecode writes hamza and ayn as ' and `, and ta marbuta as @: marks
    # inside a word that Latin spellings of the same name do not have.
    text = _WORD_MARKS.sub("", unidecode(text))
    return " ".join(_TOKEN.findall(text.lower()))


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    # French soft c ("Lacina" = "Lassina") and West African "Di" before a
    # vowel ("Diallo" = "Jallo", "Diabaté" = "Jabate").
    token = _SOFT_C.sub("s", token)
    token = _INITIAL_DI.sub("j", token)
    for source, target in _DIGRAPHS:
        token = token.replace(source, target)
    if len(token) > 1 and token.endswith("h"):
        token = token[:-1]  # "Abdallah", "Fatimah", "Aminah": a silent final h
    kept: list[str] = []
    for char in token:
        # w and y are vowels in most transliterations ("ou", "ey") and in
        # unvowelled Arabic (و, ي), so they carry no signal either.
        if char in _VOWELS or char in "wy":
            continue
        if kept and kept[-1] == char:
            continue
        kept.append(char)
    return "".join(kept)


def tokens(text: str) -> list[str]:
    return fold(text).split()


def name_keys(*names: str) -> set[str]:
    """Every key a person may be found by: one per word, and per pair of
    adjacent words so that "Abd Allah" and "Abdallah" meet."""
    keys: set[str] = set()
    for name in names:
        words = tokens(name)
        for word in words:
            keys.add(skeleton(word) or word)
        for first, second in zip(words, words[1:], strict=False):
            keys.add(skeleton(first + second))
    keys.discard("")
    return {key[:60] for key in keys}


@lru_cache(maxsize=200_000)
def _keys_of(name: str) -> frozenset[str]:
    return frozenset(name_keys(name))


def person_name_keys(given: str, family: str, original: str, aliases=()) -> set[str]:
    """Every key of one person: each name, the aliases, and "given family".

    name_keys(*names) is the union over the names, so each distinct name is
    transliterated once per process (names repeat a lot in bulk work).
    """
    keys: set[str] = set()
    for name in (given, family, original, *aliases, f"{given} {family}"):
        keys |= _keys_of(name)
    return keys


def query_keys(query: str) -> list[str]:
    return [skeleton(word) or word for word in tokens(query)]


@lru_cache(maxsize=200_000)
def _skeleton_phrase(folded: str) -> str:
    return " ".join(skeleton(word) for word in folded.split())


class Scorer:
    """Scores many names against one query (folding cached per distinct name)."""

    def __init__(self, query: str):
        self.query = fold(query)
        self.query_skeleton = _skeleton_phrase(self.query)

    def score(self, *names: str) -> float:
        best = 0.0
        for name in names:
            folded = fold(name or "")
            if not folded:
                continue
            best = max(
                best,
                fuzz.token_set_ratio(self.query, folded),
                fuzz.token_set_ratio(self.query_skeleton, _skeleton_phrase(folded)) * 0.9,
            )
        return best


def similarity(query: str, *names: str) -> float:
    """0–100: how well the folded query matches the best of the names."""
    return Scorer(query).score(*names)
