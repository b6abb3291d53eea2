"""Name normalisation for search and duplicate detection.

Names of people on the migration routes are spoken, written in Arabic,
Ge'ez or Latin script, and transliterated in many ways: "Mohamed",
"Mohammed", "Muhammad", "Mouhamed" and "محمد" are one name. We reduce each
name to consonant skeletons ("mhmd") after transliteration to Latin, and
search on those skeletons. Collisions (Mahmoud also gives "mhmd") are fine:
search returns candidates, ranked afterwards by real similarity.

A skeleton merges the sounds that transliterations write differently:

- g, q, j, k, gh, dj (and the Kurdish zh) are one class, written "k":
  Sudanese and Egyptian g is the q or j of other Arabic (Gasim = Qasim,
  Gamal = Jamal, Yagoub = Yacoub);
- z and s, sh and s, ts and s (Ge'ez ጸ: Tsegay = Segay), ph and f;
- w, y, v are dropped with the vowels (Javad = Jawad, Nevroz = Newroz);
- a final t is a d (Ahmat = Ahmad, Mahamat = Mohamed), a final h is silent;
- "Abdel"/"Abdul"/"Abder" + name is "Abd" + name, "-eldin"/"-uddin" is
  "-din": the article inside a compound is written or not.

Where one Latin letter stands for different sounds in different traditions,
a word has several skeletons (variants), all stored, and a query word
matches any of them: c is k (Camara), s before e/i (Lacina) or the Somali
ʿayn, written nothing (Cabdi = Abdi, Cali = Ali); x is h in Somali (Xasan),
kh in Kurmanji (Xalid), ks elsewhere (Alexandre); th is t, s (Othman =
Osman) or t then h (الطاهر = Eltahir); dh is d or z (Kadhim = Kazem,
Somali Fadhumo = Fadumo); kh is k or h (Khadija = Hadija); ch is sh
(Cheikh), k (Michael) or h (Rachel); an initial j is a y (Johannes =
Yohannes); "al"/"el" attached at the start of a word is an article
(Eltayeb = Tayeb).

Standalone articles (al, el, ad-, ud-...) are dropped, abbreviations
(Mohd, Md) expanded, and the Arabic article ال written "al" so that Latin
and Arabic spellings meet.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from rapidfuzz import fuzz
from unidecode import unidecode

# Arabic short vowels, shadda, sukun, tanween and the tatweel: they only
# make unidecode emit letters that Latin spellings never have.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
# The article ال at the start of an Arabic word, written as Latin does.
_ARABIC_ARTICLE = re.compile("(?<![\u0621-\u06ff])\u0627\u0644(?=[\u0621-\u06ff])")
# Pashto, Persian and Kurdish letters that unidecode reads as another sound.
_PERSO_ARABIC = str.maketrans(
    {"ځ": "z", "څ": "s", "ښ": "sh", "ک": "k", "ۆ": "o", "ە": "e", "ێ": "e", "ۍ": "y"}
)
_TOKEN = re.compile(r"[a-z0-9]+")
_WORD_MARKS = re.compile(r"['`@]")
_VOWELS = set("aeiouwyv")
MIN_PREFIX = 3
MAX_VARIANTS = 8

# Words that are an article, not a name ("Najm al-Din", "Nasr ud-Din").
ARTICLES = frozenset(
    ["al", "el", "ul", "il", "ad", "ed", "ud", "ar", "er", "ur", "as", "es", "us", "az", "ez"]
    + ["at", "et", "ash"]
)
# Abbreviations met in registers and on documents.
ABBREVIATIONS = {"mohd": "mohamed", "md": "mohamed", "muhd": "mohamed", "mhd": "mohamed"}

# Letter groups, longest first: each is one sound, and some have several
# readings (the first is the usual one).
_SOUNDS: list[tuple[str, tuple[str, ...]]] = [
    ("sch", ("s",)),
    ("kx", ("k",)),  # Ge'ez ኽ, which unidecode writes "kx": ተኽለ = Tekle
    ("ck", ("k",)),
    ("dj", ("k",)),
    ("ch", ("s", "k", "h")),
    ("sh", ("s",)),
    ("kh", ("k", "h")),
    ("gh", ("k",)),
    ("zh", ("k",)),
    ("ph", ("f",)),
    ("th", ("t", "s", "th")),
    ("dh", ("d", "s")),
    ("ts", ("s",)),
    ("tz", ("s",)),
    ("q", ("k",)),
    ("g", ("k",)),
    ("j", ("k",)),
    ("z", ("s",)),
    ("x", ("h", "k", "ks")),
]
_SOUND = re.compile("|".join(re.escape(letters) for letters, _readings in _SOUNDS))
_READINGS = dict(_SOUNDS)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case Latin transliteration without accents or punctuation."""
    text = unicodedata.normalize("NFC", text or "")
    text = _ARABIC_MARKS.sub("", text)
    text = _ARABIC_ARTICLE.sub("al", text.translate(_PERSO_ARABIC))
    # unidecode writes hamza and ayn as ' and `, and ta marbuta as @: marks
    # inside a word that Latin spellings of the same name do not have.
    text = _WORD_MARKS.sub("", unidecode(text))
    return " ".join(_TOKEN.findall(text.lower()))


def _compress(letters: str) -> str:
    """Consonants only, doubled ones once, with the compound and final rules."""
    if len(letters) > 1 and letters.endswith("h"):
        letters = letters[:-1]  # "Abdallah", "Fatimah", "Aminah": a silent final h
    kept: list[str] = []
    for char in letters:
        if char in _VOWELS:
            continue
        if kept and kept[-1] == char:
            continue
        kept.append(char)
    key = "".join(kept)
    if key.endswith("t"):
        key = key[:-1] + "d"  # "Ahmat" = "Ahmad", "Mahamat" = "Mohamed"
        if key.endswith("dd"):
            key = key[:-1]
    if len(key) > 3 and key.startswith("bdl"):
        key = "bd" + key[3:]  # "Abdelrahman" = "Abderrahmane" = "Abdirahman"
    if len(key) >= 5 and key.endswith("ldn"):
        key = key[:-3] + "dn"  # "Nasreldin" = "Nasreddine" = "Nasruddin"
    return key


def _readings(word: str) -> list[str]:
    """The Latin letters a word may stand for, one string per reading."""
    parts: list[tuple[str, ...]] = []
    position = 0
    # West African "Di" before a vowel ("Diallo" = "Jallo", "Diabaté" = "Jabate").
    if re.match(r"di[aeou]", word):
        parts.append(("k",))
        position = 2
    elif word.startswith("j") and len(word) > 2:
        parts.append(("k", ""))  # "Johannes" = "Yohannes", "Jonas" = "Yonas"
        position = 1
    while position < len(word):
        match = _SOUND.match(word, position)
        if match:
            parts.append(_READINGS[match.group()])
            position = match.end()
            continue
        char = word[position]
        if char == "c":
            soft = word[position + 1 : position + 2] in ("e", "i", "y")
            # French soft c ("Lacina" = "Lassina"), hard c ("Camara"), and the
            # Somali ʿayn ("Cabdi" = "Abdi", "Cismaan" = "Osman").
            parts.append(("s", "k", "") if soft else ("k", ""))
        else:
            parts.append((char,))
        position += 1
    readings = []
    for combination in product(*parts):
        readings.append("".join(combination))
        if len(readings) >= MAX_VARIANTS:
            break
    return readings


@lru_cache(maxsize=200_000)
def variants(word: str) -> tuple[str, ...]:
    """Every skeleton of one folded word, the usual reading first."""
    found: list[str] = []
    readings = _readings(word)
    if len(word) > 4 and word[:2] in ("al", "el") and word[2] not in _VOWELS:
        # An attached article: "Eltayeb", "Alnour" are also "Tayeb", "Nour".
        readings += _readings(word[2:])[:2]
    for letters in readings:
        # A word of vowels only ("Awo", "Cawo" read as "Awo") is its own key.
        key = _compress(letters) or letters or word
        if key not in found:
            found.append(key)
    return tuple(found[:MAX_VARIANTS])


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The usual skeleton of one folded word."""
    return variants(token)[0]


def tokens(text: str) -> list[str]:
    """The words of a name, folded, articles dropped, abbreviations expanded."""
    words = [ABBREVIATIONS.get(word, word) for word in fold(text).split()]
    return [word for word in words if word not in ARTICLES] or words


def name_keys(*names: str) -> set[str]:
    """Every key a person may be found by: each skeleton of each word, and of
    each pair of adjacent words joined, so that "Abd Allah" and "Abdallah",
    "Gebre Medhin" and "Ghebremedhin" meet."""
    keys: set[str] = set()
    for name in names:
        words = tokens(name)
        for word in words:
            keys.update(variants(word))
        for first, second in zip(words, words[1:], strict=False):
            keys.update(variants(first + second))
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
    """The usual skeleton of each query word."""
    return [skeleton(word) for word in tokens(query)]


def query_word_keys(query: str, limit: int = 6) -> list[tuple[str, ...]]:
    """For each query word (at most ``limit``), the keys that find it: its
    skeletons, and those of the word joined to its neighbours ("Najib Ullah"
    finds "Najibullah", "Abdel Rahman" finds "Abdelrahman")."""
    words = tokens(query)[:limit]
    found = []
    for index, word in enumerate(words):
        keys = list(variants(word))
        if index > 0:
            keys += variants(words[index - 1] + word)
        if index + 1 < len(words):
            keys += variants(word + words[index + 1])
        found.append(tuple(dict.fromkeys(key[:60] for key in keys if key)))
    return found


@lru_cache(maxsize=200_000)
def _word_forms(folded: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """(usual skeleton, every skeleton, letters) of each word of a folded name."""
    return tuple((variants(word)[0], frozenset(variants(word)), word) for word in folded.split())


def _word_similarity(one: tuple, other: tuple) -> float:
    """100 for the same word in any spelling; below for other words."""
    if one[1] & other[1]:
        return 100.0
    return fuzz.ratio(one[0], other[0]) * 0.9


def _aligned(query, name) -> float:
    """Each query word's best match among the name's words; words that only
    one side has count 0 (a one-word match of a two-word name is half)."""
    total = 0.0
    for typed in query:
        total += max(_word_similarity(typed, word) for word in name)
    return total / max(len(query), len(name))


@lru_cache(maxsize=200_000)
def _folded_name(name: str) -> str:
    return " ".join(tokens(name))


@lru_cache(maxsize=200_000)
def _name_forms(folded: str) -> tuple:
    """What a name is compared by: its words' forms, letters and skeleton without spaces."""
    compact = folded.replace(" ", "")
    return _word_forms(folded), compact, variants(compact)[0]


class Scorer:
    """Scores many names against one query (folding cached per distinct name).

    A name scores on how much of it, word for word, the query covers:
    the same full name in another spelling, order or split scores 90–100,
    a name sharing one word of two with the query at most 70.
    """

    def __init__(self, query: str):
        self.query = _folded_name(query)
        self.words, self.compact, self.query_skeleton = _name_forms(self.query)

    def score(self, *names: str) -> float:
        best = 0.0
        for name in names:
            folded = _folded_name(name or "")
            if not folded or not self.query:
                continue
            words, compact, skeleton_ = _name_forms(folded)
            score = max(
                fuzz.ratio(self.query, folded),
                # The same words in another order: just below the same order.
                fuzz.token_sort_ratio(self.query, folded) * 0.98,
                fuzz.ratio(self.compact, compact),
                # One word in common: never as high as the whole name.
                fuzz.token_set_ratio(self.query, folded) * 0.7,
            )
            if score < 95:
                # Another spelling: the same skeletons, word for word or joined.
                score = max(score, _aligned(self.words, words) * 0.95)
                if abs(len(self.query_skeleton) - len(skeleton_)) <= 1:
                    # The same name split otherwise ("Abdel Rahman" = "Abderrahmane").
                    score = max(score, fuzz.ratio(self.query_skeleton, skeleton_) * 0.9)
            best = max(best, score)
        return best


def similarity(query: str, *names: str) -> float:
    """0–100: how well the folded query matches the best of the names."""
    return Scorer(query).score(*names)


@dataclass(frozen=True)
class Match:
    """Why a person was found by a name query, for reception to judge.

    ``kind``: "same" (the same name, as typed), "order" (the same words in
    another order), "spelling" (the same name in another spelling, split or
    script), "partial" (some of the words only); ``words``: the person's
    name words the query found, as registered.
    """

    kind: str
    words: tuple[str, ...]


def _found(forms: set[str], query_forms: frozenset[str]) -> bool:
    """A word is found by a query word of the same skeleton, or its beginning."""
    return any(
        form == typed or (len(typed) >= MIN_PREFIX and form.startswith(typed))
        for form in forms
        for typed in query_forms
    )


def match_reason(query: str, *names: str) -> Match | None:
    """Which words of ``names`` (full name, original script...) the query found, and how."""
    # Digits are a person code, never a name.
    query_folded = " ".join(
        w for w in _folded_name(query).split() if not any(c.isdigit() for c in w)
    )
    if not query_folded:
        return None
    query_words = query_folded.split()
    query_forms = _word_forms(query_folded)
    best: Match | None = None
    for name in names:
        shown = [word for word in (name or "").split() if fold(word)]
        if not shown:
            continue
        folded = _folded_name(name)
        if folded == query_folded:
            return Match("same", tuple(shown))
        found = []
        for word in shown:
            forms = {form for each in tokens(word) for form in variants(each)}
            if any(_found(forms, query_form[1]) for query_form in query_forms) or any(
                forms & set(variants(first + second))
                for first, second in zip(query_words, query_words[1:], strict=False)
            ):
                found.append(word)
        if not found:
            continue
        if sorted(folded.split()) == sorted(query_words):
            kind = "order"
        elif len(found) == len(shown) or Scorer(query).score(name) >= 85:
            kind = "spelling"
        else:
            kind = "partial"
        match = Match(kind, tuple(found))
        rank = ("partial", "spelling", "order", "same")
        if best is None or rank.index(kind) > rank.index(best.kind):
            best = match
    return best
