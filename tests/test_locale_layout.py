"""Dates, numbers, fonts and the access log as a French or an English user reads them.

French: dd/mm/yyyy, 24-hour clock, decimal comma (38,6). English: British
conventions (dd/mm/yyyy, 24-hour clock, decimal point). Formats come from
parcours/formats/<language>/formats.py (FORMAT_MODULE_PATH).
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

import parcours
from parcours.audit.models import AccessLog
from parcours.care import services as care_services
from parcours.org.forms import ProjectForm

STATIC = Path(parcours.__file__).resolve().parent / "static" / "parcours"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(text).render(Context(context)).strip()


# --- formats -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dates_are_day_month_year_with_a_24_hour_clock(language):
    day = date(2026, 11, 9)
    moment = datetime(2026, 11, 9, 14, 5)
    assert render("{{ d }}", language, d=day) == "09/11/2026"
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', language, d=day) == "09/11/2026"
    assert render('{{ m|date:"SHORT_DATETIME_FORMAT" }}', language, m=moment) == "09/11/2026 14:05"
    assert render('{{ m|date:"DATETIME_FORMAT" }}', language, m=moment) == "09/11/2026 14:05"
    assert render('{{ m|time:"TIME_FORMAT" }}', language, m=moment) == "14:05"


def test_decimals_have_a_comma_in_french_and_a_point_in_english():
    with translation.override("fr"):
        assert number_format(Decimal("38.6")) == "38,6"
    with translation.override("en"):
        assert number_format(Decimal("38.6")) == "38.6"
    assert render("{{ t }} °C", "fr", t=Decimal("38.6")) == "38,6 °C"
    assert render("{{ t }} °C", "en", t=Decimal("38.6")) == "38.6 °C"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_typed_dates_are_read_day_first_and_date_pickers_get_iso(language):
    with translation.override(language):
        form = ProjectForm(initial={"opened_on": date(2026, 3, 4)})
        # <input type="date"> shows nothing unless its value is yyyy-mm-dd.
        assert 'value="2026-03-04"' in str(form["opened_on"])
        field = form.fields["opened_on"]
        assert field.clean("04/03/2026") == date(2026, 3, 4)  # 4 March, not 3 April
        assert field.clean("2026-03-04") == date(2026, 3, 4)
        assert date_format(date(2026, 3, 4)) == "04/03/2026"


# --- pages -------------------------------------------------------------------


def french(user):
    user.language = "fr"
    user.save()
    return user


def test_person_page_in_french_shows_dates_dd_mm_yyyy_and_decimals_with_a_comma(
    world, make_person, login
):
    person = make_person(birth_date=date(1999, 1, 31), birth_date_precision="declared")
    care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": timezone.make_aware(datetime(2026, 2, 3, 9, 30)),
            "follow_up_on": date(2026, 2, 17),
        },
        details={"temperature_c": Decimal("38.6"), "weight_kg": Decimal("61.5")},
    )
    page = login(french(world.doctor)).get(f"/people/{person.pk}/").content.decode()
    assert "31/01/1999" in page
    assert "03/02/2026 09:30" in page
    assert "17/02/2026" in page
    assert "38,6" in page and "61,5" in page
    assert "38.6" not in page
    text = re.sub(r"<[^>]+>", " ", page)  # the datetime="" attributes are for machines
    assert not ISO_DATE.search(text), ISO_DATE.search(text)


def test_person_page_in_english_is_british(world, make_person, login):
    person = make_person(birth_date=date(1999, 1, 31), birth_date_precision="declared")
    care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.make_aware(datetime(2026, 2, 3, 15, 30))},
        details={"temperature_c": Decimal("38.6")},
    )
    page = login(world.doctor).get(f"/people/{person.pk}/").content.decode()
    assert "31/01/1999" in page and "03/02/2026 15:30" in page and "38.6" in page
    assert "p.m." not in page and "01/31/1999" not in page


def test_dates_in_encounter_details_are_not_iso(world, make_person, login):
    person = make_person()
    care_services.encounter_record(
        actor=world.lawyer,
        discipline="legal_protection",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now() - timedelta(hours=1)},
        details={"decision_date": date(2026, 3, 5)},
    )
    page = login(french(world.lawyer)).get(f"/people/{person.pk}/").content.decode()
    assert "05/03/2026" in page and "2026-03-05" not in page


# --- the access log ----------------------------------------------------------


def log(person, user, what, count=1):
    AccessLog.objects.bulk_create(
        [AccessLog(person=person, user=user, what=what, channel="web") for _ in range(count)]
    )


def test_access_log_is_paged_by_fifty_newest_first_by_key(world, make_person, login):
    person = make_person()
    log(person, world.reception, "identity-summary", 70)
    client = login(world.coordinator)
    first = client.get(f"/people/{person.pk}/access-log/")
    rows = first.context["rows"]
    assert len(rows) == 50
    page = first.context["page"]
    assert f"?after={page.next_after}" in first.content.decode() and not page.has_previous
    second = client.get(f"/people/{person.pk}/access-log/?after={page.next_after}")
    # 70 rows + the coordinator's first reading of the access log; the second
    # reading is newer than the page asked for.
    assert len(second.context["rows"]) == 21
    older = [r["entry"].pk for r in rows] + [r["entry"].pk for r in second.context["rows"]]
    assert older == sorted(older, reverse=True) and len(set(older)) == 71
    back = client.get(
        f"/people/{person.pk}/access-log/?before={second.context['page'].previous_before}"
    )
    assert [r["entry"].pk for r in back.context["rows"]] == older[:50]


def test_access_log_says_what_was_done_in_words(world, make_person, login):
    person = make_person()
    for what in ["record", "identity-summary", "consents", "encounter", "history", "care_team"]:
        log(person, world.doctor, what)
    page = login(world.coordinator).get(f"/people/{person.pk}/access-log/").content.decode()
    cells = re.findall(r"<td>([^<]*)</td>", page)
    for action in [
        "opened the record",
        "saw the person in a list or a search",
        "read the consents",
        "opened an encounter",
        "read the record history",
        "read the care team",
        "read who accessed the record",
    ]:
        assert action in cells, action
    for internal in ["identity-summary", "care_team", "access_log"]:
        assert internal not in page


def test_access_log_in_french(world, make_person, login):
    person = make_person()
    log(person, world.doctor, "record")
    log(person, world.reception, "identity-summary")
    page = login(french(world.coordinator)).get(f"/people/{person.pk}/access-log/")
    content = page.content.decode()
    assert "a ouvert le dossier" in content
    assert "a vu la personne dans une liste ou une recherche" in content
    assert "a consulté la liste des accès au dossier" in content
    when = timezone.localtime(AccessLog.objects.filter(person=person).first().at)
    assert when.strftime("%d/%m/%Y %H:%M") in content


# --- fonts for Ge'ez and Arabic script ---------------------------------------


def test_noto_fonts_for_geez_and_arabic_are_served_with_their_licence():
    fonts = STATIC / "fonts"
    files = sorted(p.name for p in fonts.glob("*.woff2"))
    assert files == [
        "noto-sans-arabic-arabic-400-normal.woff2",
        "noto-sans-arabic-arabic-700-normal.woff2",
        "noto-sans-ethiopic-ethiopic-400-normal.woff2",
        "noto-sans-ethiopic-ethiopic-700-normal.woff2",
    ]
    assert sum((fonts / name).stat().st_size for name in files) < 300_000
    for licence in fonts.glob("OFL-*.txt"):
        assert "SIL Open Font License" in licence.read_text()
    assert len(list(fonts.glob("OFL-*.txt"))) == 2

    css = (STATIC / "parcours.css").read_text()
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    assert len(faces) == 4
    for face in faces:
        url = re.search(r'url\("(fonts/[^"]+)"\)', face).group(1)
        assert (STATIC / url).is_file()
        assert "unicode-range:" in face  # downloaded only for pages showing that script
    ethiopic = next(f for f in faces if "Ethiopic" in f)
    assert "U+1200-1399" in ethiopic
    arabic = next(f for f in faces if "Arabic" in f)
    assert "U+0600-06FF" in arabic


def test_font_files_are_reachable_through_static(client):
    response = client.get("/static/parcours/fonts/noto-sans-ethiopic-ethiopic-400-normal.woff2")
    assert response.status_code == 200
    assert response["Content-Type"] == "font/woff2"


# --- history and care record: no ISO dates, languages by name ----------------


def test_history_shows_changed_dates_as_the_language_writes_them(world, make_person, login):
    person = make_person(birth_date=date(1999, 1, 31), birth_date_precision="declared")
    page = login(french(world.coordinator)).get(f"/people/{person.pk}/history/").content.decode()
    assert "31/01/1999" in page
    text = re.sub(r"<[^>]+>", " ", page)
    assert not ISO_DATE.search(text), ISO_DATE.search(text)


def test_care_record_names_languages_instead_of_codes(world, make_person, login):
    person = make_person()
    care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": timezone.now() - timedelta(hours=1),
            "interpreter_mode": "phone",
            "interpreter_language": "ti",
        },
    )
    page = login(world.doctor).get(f"/people/{person.pk}/").content.decode()
    assert "Tigrinya" in page
    assert not re.search(r"\bti\b", re.sub(r"<[^>]+>", " ", page))
