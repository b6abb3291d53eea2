"""Every text of the public page is translated in each of its eight
languages, placeholders kept; the catalogs are compiled from
public_translations.py; the poster and QR codes render."""

import re

import pytest
from django.utils import translation

from parcours.feedback import public_texts
from parcours.feedback.management.commands.feedback_catalogs import sources
from parcours.feedback.public_translations import T

PLACEHOLDER = re.compile(r"%\(\w+\)s")


@pytest.mark.parametrize("language", list(public_texts.PUBLIC_LANGUAGES))
def test_every_public_text_is_translated(language):
    missing = []
    for key, msgid in sources():
        with translation.override(language):
            text = str(
                dict(public_texts.TEXTS).get(key)
                or dict((code or "other", label) for code, label in public_texts.TOPICS)[key]
            )
        if language != "en" and text == msgid:
            missing.append(key)
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), (
            language,
            key,
        )
    assert missing == [], f"{language}: untranslated {missing}"


def test_catalogs_are_compiled_from_the_translations():
    for language in public_texts.CATALOG_LANGUAGES:
        with translation.override(language):
            for key, text in public_texts.TEXTS.items():
                assert str(text) == T[key][language], (language, key)


def test_rtl_languages():
    assert {c for c, (_n, d) in public_texts.PUBLIC_LANGUAGES.items() if d == "rtl"} == {
        "ar",
        "ps",
        "prs",
    }


def test_the_rest_of_the_interface_stays_in_french_and_english(settings):
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en"]


def test_poster_and_qr_code(world, client):
    client.force_login(world.coordinator)
    svg = client.get(f"/feedback/project/{world.calais.pk}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(f"/feedback/project/{world.calais.pk}/qr.svg?format=png")
    assert png.content[:4] == b"\x89PNG"
    pdf = client.get(
        f"/feedback/project/{world.calais.pk}/poster.pdf?site={world.calais_day_centre.pk}"
    )
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert b"NotoSansEthiopic" in pdf.content  # Tigrinya and Amharic lines
    other = client.get(
        f"/feedback/project/{world.calais.pk}/poster.pdf?site={world.dunkerque_camp.pk}"
    )
    assert other.status_code == 404
