"""The French catalog: complete, compiled, and what users actually see.

The interface is written in English in the code and templates; French is
the default language. These tests fail as soon as a string reaches the
interface without a French translation, or when django.mo lags behind
django.po.
"""

import ast
import gettext
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import parcours

PACKAGE_DIR = Path(parcours.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
PO_PATH = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.mo"

# What `makemessages` scans: src/parcours, like the command in HOW_TO_FIX.
MAKEMESSAGES_IGNORE = [".venv", "var", "tests", "bench"]

HOW_TO_FIX = """
To fix it, from src/parcours:

  uv run parcours makemessages -l fr --ignore=.venv --ignore=var --ignore=tests --ignore=bench

then, in src/parcours/locale/fr/LC_MESSAGES/django.po, give each entry listed
above its French msgstr (msgstr[0] and msgstr[1] for plurals; keep every
%(name)s placeholder) and delete its "#, fuzzy" line; then

  uv run parcours compilemessages

and commit both django.po and django.mo."""


# --- a small .po reader (no polib) ------------------------------------------


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a
    dict index → text; index 0 for singular entries), flags and references.
    Obsolete entries (#~) are left out; the header is the entry with msgid ""."""
    entries: list[dict] = []
    entry: dict = {}
    field = None

    def flush():
        nonlocal entry, field
        if "msgid" in entry:
            entries.append(entry)
        entry, field = {}, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if "msgid" in entry:
                flush()
            if line.startswith("#,"):
                entry.setdefault("flags", set()).update(
                    flag.strip() for flag in line[2:].split(",") if flag.strip()
                )
            elif line.startswith("#:"):
                entry.setdefault("refs", []).extend(line[2:].split())
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
            continue
        value = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and "msgid" in entry:
            flush()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.setdefault("msgstr", {})[index] = value
            field = ("msgstr", index)
        else:
            entry[keyword] = value
            field = keyword
    flush()
    for e in entries:
        e.setdefault("flags", set())
        e.setdefault("refs", [])
        e.setdefault("msgstr", {0: ""})
    return entries


def untranslated(entries: list[dict]) -> list[str]:
    """One line per entry that has no French yet (empty msgstr or fuzzy)."""
    problems = []
    for e in entries:
        if e["msgid"] == "":
            continue
        empty = not all(e["msgstr"].values())
        fuzzy = "fuzzy" in e["flags"]
        if empty or fuzzy:
            why = "fuzzy" if fuzzy else "untranslated"
            where = " ".join(e["refs"][:3])
            problems.append(f"  - [{why}] {e['msgid']!r}  ({where})")
    return problems


def read_catalog() -> list[dict]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


# --- (a) every message has a French translation -----------------------------


def test_french_catalog_has_no_untranslated_or_fuzzy_entry():
    problems = untranslated(read_catalog())
    assert not problems, (
        f"{len(problems)} message(s) in src/parcours/locale/fr/LC_MESSAGES/django.po "
        "have no French translation:\n" + "\n".join(problems) + "\n" + HOW_TO_FIX
    )


def test_french_catalog_header_is_not_fuzzy_and_has_the_french_plural_rule():
    # A fuzzy header is dropped by msgfmt: plurals would then follow the
    # English rule (0 → plural) instead of the French one (0 and 1 → singular).
    header = next(e for e in read_catalog() if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header["msgstr"][0]
    with translation.override("fr"):
        assert translation.ngettext("%(n)s year old", "%(n)s years old", 0) == "%(n)s an"
        assert translation.ngettext("%(n)s year old", "%(n)s years old", 2) == "%(n)s ans"


def test_every_string_of_the_source_is_in_the_french_catalog(tmp_path, monkeypatch):
    """Re-extracts the strings of src/parcours into a copy of the catalog:
    a string added to the code or a template after the last makemessages
    shows up here as untranslated."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path / "parcours"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns(*MAKEMESSAGES_IGNORE, "__pycache__", "static", "*.mo"),
    )
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["fr"],
        ignore_patterns=MAKEMESSAGES_IGNORE,
        verbosity=0,
    )
    merged = copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    problems = untranslated(parse_po(merged.read_text(encoding="utf-8")))
    assert not problems, (
        f"{len(problems)} string(s) of the code or templates are not translated into "
        "French yet (new since the last makemessages, or changed):\n"
        + "\n".join(problems)
        + "\n"
        + HOW_TO_FIX
    )


# --- (c) django.mo is compiled from the current django.po --------------------


def test_compiled_mo_matches_the_po():
    expected = {}
    for e in read_catalog():
        if e["msgid"] == "" or "fuzzy" in e["flags"] or not all(e["msgstr"].values()):
            continue  # msgfmt leaves these out of the .mo
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for index, text in e["msgstr"].items():
                expected[(msgid, index)] = text
        else:
            expected[msgid] = e["msgstr"][0]
    with MO_PATH.open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)
    compiled.pop("", None)  # the header
    stale = sorted(
        repr(key)
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not stale, (
        f"django.mo is not compiled from the current django.po ({len(stale)} message(s) "
        "differ, e.g. " + ", ".join(stale[:5]) + ").\n"
        "Run `uv run parcours compilemessages` from src/parcours and commit django.mo."
    )


# --- (b) what a French or an English user sees ------------------------------


def html_lang(response) -> str:
    content = response.content.decode()
    start = content.index('<html lang="') + len('<html lang="')
    return content[start : content.index('"', start)]


@pytest.mark.django_db
def test_login_page_is_french_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    content = response.content.decode()
    assert "Se connecter" in content
    assert "Mot de passe" in content
    assert "Sign in" not in content


@pytest.mark.django_db
def test_login_page_in_english_when_chosen(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert html_lang(response) == "en"
    content = response.content.decode()
    assert "Sign in" in content
    assert "Se connecter" not in content


def test_french_user_sees_the_people_list_in_french(world, login):
    world.reception.language = "fr"
    world.reception.save()
    response = login(world.reception).get("/people/")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    content = response.content.decode()
    assert "<title>Personnes · Parcours</title>" in content
    assert "Se déconnecter" in content
    assert "Sign out" not in content


def test_english_user_sees_the_people_list_in_english(world, login):
    response = login(world.reception).get("/people/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    content = response.content.decode()
    assert "<title>People · Parcours</title>" in content
    assert "Sign out" in content
    assert "Se déconnecter" not in content
