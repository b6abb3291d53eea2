"""Protocols (Markdown made safe, checked uploads, checked downloads) and
the lessons-learned log with its exports."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from parcours.cases import library
from parcours.cases.alerts import home_alerts
from parcours.cases.models import Protocol


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def today():
    return timezone.localdate()


def make_protocol(world, **kw):
    kw.setdefault("body", "# PEP\n\nWithin **72 h**.")
    return library.protocol_create(
        actor=world.referent,
        code=kw.pop("code", "pep-protocol"),
        title=kw.pop("title", "PEP protocol"),
        owner=kw.pop("owner", world.referent),
        valid_from=today() - timedelta(days=30),
        review_on=kw.pop("review_on", today() + timedelta(days=300)),
        **kw,
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Safe abortion SOP")
    document.save(buffer)
    return buffer.getvalue()


def test_markdown_is_rendered_without_html():
    html = library.render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold** <b onclick=x>b</b>"
    )
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script>" not in html and "<b onclick" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text


def test_only_editors_write_protocols(world):
    for user in (world.doctor, world.social_worker, world.reception):
        with pytest.raises(PermissionDenied):
            library.protocol_create(
                actor=user, code="x-y", title="X", owner=world.referent,
                valid_from=today(), review_on=today() + timedelta(days=1), body="x",
            )  # fmt: skip


def test_uploads_are_checked_by_content_and_size(world):
    fake = SimpleUploadedFile("sop.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        make_protocol(world, body="", upload=fake)
    renamed = SimpleUploadedFile("sop.docx", b"%PDF-1.4 a real pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        make_protocol(world, body="", upload=renamed)
    huge = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        make_protocol(world, body="", upload=huge)
    assert "10 MB" in str(error.value)
    assert not Protocol.objects.exists()
    ok = make_protocol(world, body="", upload=SimpleUploadedFile("SOP IVG.docx", docx_bytes()))
    assert ok.current.format == "docx" and ok.current.file.startswith("protocols/")


def test_download_only_through_the_checked_view(world, login, client):
    protocol = make_protocol(
        world, body="", upload=SimpleUploadedFile("pep.pdf", b"%PDF-1.4\n%test\n")
    )
    version = protocol.current
    url = reverse("cases:protocol_download", args=[version.pk])
    response = login(world.doctor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert login(world.nobody).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # Not served as a static or media file.
    assert client.get(f"/media/{version.file}").status_code == 404


def test_new_versions_keep_the_old_ones_and_reviews_are_flagged(world, login):
    protocol = make_protocol(world, review_on=today() + timedelta(days=1))
    library.protocol_new_version(
        actor=world.coordinator, protocol=protocol, version=protocol.version,
        valid_from=today(), review_on=today() + timedelta(days=2), body="# PEP v2",
        change_note="New regimen",
    )  # fmt: skip
    assert protocol.versions.count() == 2
    with pytest.raises(ValidationError):  # stale header
        library.protocol_new_version(
            actor=world.coordinator, protocol=protocol, version=protocol.version,
            valid_from=today(), review_on=today() + timedelta(days=2), body="v3", change_note="x",
        )  # fmt: skip
    Protocol.objects.filter(pk=protocol.pk).update(review_on=today() - timedelta(days=1))
    assert [p.pk for p in home_alerts(world.referent)["reviews"]] == [protocol.pk]
    assert home_alerts(world.coordinator)["reviews"] == []
    page = login(world.doctor).get(reverse("cases:protocol", args=[protocol.pk]) + "?v=1")
    assert b"Within <strong>72 h</strong>" in page.content


def test_pathway_steps_link_to_their_protocol(world, make_person, login):
    from parcours.cases import pathways

    protocol = make_protocol(world)
    woman = make_person(given_name="Aster", sex="female")
    pathway = pathways.pathway_start(
        actor=world.referent, person=woman, kind="sv_survivor", project=world.calais,
        event_at=timezone.now() - timedelta(hours=2),
    )  # fmt: skip
    page = login(world.referent).get(reverse("cases:pathway", args=[pathway.pk]))
    assert reverse("cases:protocol", args=[protocol.pk]).encode() in page.content


def test_lessons_learned_and_exports(world, login):
    client = login(world.social_worker)
    response = client.post(
        reverse("cases:lesson_new", args=[world.calais.pk]),
        {"date": today().isoformat(), "context": "Winter plan opened late",
         "lesson": "=HYPERLINK(\"x\") Shelter places run out in a day",
         "recommendation": "Negotiate places in October", "tags": "shelter, winter"},
    )  # fmt: skip
    assert response.status_code == 302
    bad = client.post(
        reverse("cases:lesson_new", args=[world.calais.pk]),
        {"date": (today() + timedelta(days=3)).isoformat(), "context": "x", "lesson": "y"},
    )
    assert b"cannot be in the future" in bad.content
    xlsx = client.get(reverse("cases:lessons_xlsx", args=[world.calais.pk]) + "?tag=winter")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(2, 3).value.startswith("'=HYPERLINK")  # never a formula
    assert sheet.cell(2, 5).value == "shelter, winter"
    docx = client.get(reverse("cases:lessons_docx", args=[world.calais.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Negotiate places in October" in text
    for user in (world.dunkerque_doctor, world.admin, world.nobody):
        assert login(user).get(reverse("cases:lessons", args=[world.calais.pk])).status_code == 404


def test_the_encounter_form_links_the_protocols_of_its_discipline(world, login, make_person):
    protocol = make_protocol(world)
    person = make_person()
    page = login(world.doctor).get(f"/care/new/medical/?person={person.pk}").content.decode()
    assert reverse("cases:protocol", args=[protocol.pk]) in page
    assert "PEP protocol" in page
    # A discipline with no pathway step naming it gets no protocol links.
    social = login(world.social_worker).get(f"/care/new/social/?person={person.pk}")
    assert reverse("cases:protocol", args=[protocol.pk]) not in social.content.decode()
