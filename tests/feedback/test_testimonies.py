"""Testimonies: encrypted at rest, the protection team records and reviews
them, advocacy sees only reviewed ones of public use, a withdrawal empties
every list and export from the next request, exports suppress small cells."""

import csv
import io
from datetime import date

import pytest
from django.db import connection

from parcours.access import services as access_services
from parcours.access.models import Consent
from parcours.feedback import models, testimonies
from parcours.feedback.highlight import find_marks

TEXT = "Le 12 mars 2026, à Loon-Plage, les CRS ont gazé nos tentes. Ahmed a été frappé."


def _record(world, person=None, use="anonymised_public", review=True, **data):
    testimony = testimonies.testimony_record(
        actor=world.lawyer,
        project=world.calais,
        person=person,
        data={
            "date": date(2026, 3, 12),
            "text": TEXT,
            "use": use,
            "place": "Loon-Plage",
            "place_type": "camp",
            "violence_types": ["police", "destruction"],
            "perpetrator_types": ["police"],
            "attribution": "Ahmed" if use == "identifiable_public" else "",
            **data,
        },
    )
    if review:
        testimonies.testimony_review(actor=world.lawyer, testimony=testimony, version=1)
    return testimony


def test_text_is_encrypted_at_rest(world):
    testimony = _record(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM feedback_testimony WHERE id = %s", [testimony.pk])
        stored = cursor.fetchone()[0]
    assert "CRS" not in stored and stored.startswith("enc2:")
    assert models.Testimony.objects.get(pk=testimony.pk).text == TEXT


def test_advocacy_sees_only_reviewed_public_use(world, client):
    ready = _record(world)
    pending = _record(world, review=False)
    internal = _record(world, use="internal")
    client.force_login(world.advocacy)
    page = client.get("/testimonies/").content.decode()
    assert ready.reference in page
    assert pending.reference not in page and internal.reference not in page
    assert client.get(f"/testimonies/{pending.pk}/").status_code == 404
    assert client.get(f"/testimonies/{internal.pk}/").status_code == 404
    detail = client.get(f"/testimonies/{ready.pk}/").content.decode()
    assert "open the record" not in detail.lower()
    client.force_login(world.lawyer)
    page = client.get("/testimonies/").content.decode()
    assert all(t.reference in page for t in (ready, pending, internal))


def test_review_helper_highlights_names_places_and_dates(world, client, make_person):
    person = make_person(given_name="Ahmed")
    testimony = _record(world, person=person, review=False)
    kinds = {TEXT[m.start : m.end]: m.kind for m in find_marks(TEXT, ["Ahmed"])}
    assert kinds["Ahmed"] == "name"
    assert kinds["Loon-Plage"] == "place"
    assert kinds["12 mars 2026"] == "date"
    client.force_login(world.lawyer)
    page = client.get(f"/testimonies/{testimony.pk}/").content.decode()
    assert '<mark class="hl-name">Ahmed</mark>' in page
    assert '<mark class="hl-date">12 mars 2026</mark>' in page
    assert "Anonymisation checked" in page


def test_linked_testimony_records_its_use_in_the_consent_registry(world, make_person):
    person = make_person()
    _record(world, person=person, use="identifiable_public")
    consent = Consent.objects.get(person=person, kind="testimony")
    assert consent.status == "given" and consent.use == "identifiable_public"


def test_withdrawal_empties_lists_and_exports_from_the_next_request(
    world, client, make_person, api_as
):
    person = make_person()
    linked = _record(world, person=person)
    anonymous = _record(world)
    client.force_login(world.advocacy)
    export = client.get("/testimonies/export.csv").content.decode("utf-8-sig")
    assert linked.reference in export and anonymous.reference in export
    # The person withdraws in the consent registry (dossier page or here).
    access_services.consent_record(
        actor=world.lawyer, person=person, kind="testimony", status="withdrawn", method="oral"
    )
    testimonies.testimony_withdraw(actor=world.lawyer, testimony=anonymous)
    export = client.get("/testimonies/export.csv").content.decode("utf-8-sig")
    assert linked.reference not in export and anonymous.reference not in export
    assert "They" not in export and "CRS" not in export
    docx = client.get("/testimonies/export.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert linked.reference.encode() not in docx.content
    for who in (world.advocacy, world.lawyer):
        client.force_login(who)
        page = client.get("/testimonies/").content.decode()
        assert linked.reference not in page and anonymous.reference not in page
        assert client.get(f"/testimonies/{linked.pk}/").status_code == 404
        assert api_as(who).get("/api/v1/testimonies").json()["count"] == 0


def test_export_is_anonymised_with_small_cells_suppressed(world, client, make_person):
    person = make_person(given_name="Ahmed", family_name="Haddad")
    for _ in range(5):
        _record(world, violence_types=["police"])
    _record(world, person=person, use="identifiable_public", violence_types=["sexual"])
    client.force_login(world.advocacy)
    content = client.get("/testimonies/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert "Haddad" not in content
    assert "2026-03" in content and "2026-03-12" not in content
    counts = {r[0]: r[1] for r in rows if len(r) == 2}
    assert counts["Police violence"] == "5"
    assert counts["Sexual violence"] == "<5"
    # Identifiable use: the name the person agreed to be quoted under only.
    names = {r[0]: r[9] for r in rows[1:] if len(r) > 9}
    assert sorted(set(names.values())) == ["", "Ahmed"]


def test_formula_injection_is_neutralised_in_the_csv(world, client):
    _record(world, text='=HYPERLINK("http://x")', place="+33 1")
    client.force_login(world.advocacy)
    content = client.get("/testimonies/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content and "'+33 1" in content


def test_editing_sends_a_testimony_back_to_review(world, client):
    testimony = _record(world)
    client.force_login(world.lawyer)
    response = client.post(
        f"/testimonies/{testimony.pk}/edit/",
        {
            "version": testimony.version + 1,
            "date": "2026-03-12",
            "text": "Edited text without names.",
            "use": "anonymised_public",
            "consent_method": "oral",
        },
    )
    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.status == "to_review" and testimony.text == "Edited text without names."
    stale = client.post(
        f"/testimonies/{testimony.pk}/edit/",
        {
            "version": 1,
            "date": "2026-03-12",
            "text": "Old",
            "use": "internal",
            "consent_method": "oral",
        },
        follow=True,
    )
    assert "Someone else changed this testimony" in stale.content.decode()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 100_001}, "text"),
        ({"text": "\x00\x07"}, "text"),
        ({"use": "public"}, "use"),
        ({"violence_types": ["aliens"]}, "violence_types"),
        ({"date": date(2999, 1, 1)}, "date"),
        ({"attribution": "Ahmed"}, "attribution"),
    ],
)
def test_bad_testimonies_save_nothing(world, data, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _record(world, review=False, **data)
    assert field in error.value.message_dict
    assert not models.Testimony.objects.exists()


def test_anonymous_testimony_cannot_be_identifiable(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _record(world, use="identifiable_public")
