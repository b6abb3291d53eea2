"""The three downloads parse and carry the report; who reads which report."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from parcours.accounts.models import Membership
from parcours.audit.models import AuditEvent
from parcours.reporting import services
from parcours.reporting.models import Report
from parcours.reporting.services import Subject
from tests.personas import make_user


@pytest.fixture
def written(world, period, indicators):
    """The Calais SITREP with its narratives, not validated."""
    return services.report_save(
        actor=world.coordinator,
        subject=Subject(kind="sitrep", project=world.calais),
        period=period,
        data={
            "highlights": '=HYPERLINK("http://x") Scabies outbreak in the camps.',
            "challenges": "Access to the coast restricted.",
        },
        version=0,
    )


def download(client, world, period, fmt):
    url = reverse(f"reporting:sitrep_{fmt}", args=[world.calais.pk])
    return client.get(url, {"period": period.code})


def test_pdf_download(client, world, period, written):
    client.force_login(world.coordinator)
    response = download(client, world, period, "pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(event="report.download", extra__format="pdf").exists()


def test_xlsx_download_opens_and_never_runs_a_formula(client, world, period, written):
    client.force_login(world.meal)
    response = download(client, world, period, "xlsx")
    book = load_workbook(BytesIO(response.content))
    figures = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    assert any(row[1] == "MED-CONS" and row[4] == "3" for row in figures)
    texts = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True)}
    highlight = next(v for k, v in texts.items() if k in ("Highlights", "Faits marquants"))
    assert highlight.startswith("'=HYPERLINK")
    assert any("Evictions every 48 hours" in (v or "") for v in texts.values())


def test_docx_download_contains_the_narrative(client, world, period, written):
    client.force_login(world.referent)
    response = download(client, world, period, "docx")
    word = WordDocument(BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Access to the coast restricted." in text
    assert "Evictions every 48 hours" in text
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "MED-CONS" in cells and "3" in cells


def test_no_name_in_any_report(client, world, period, written, indicators):
    client.force_login(world.coordinator)
    services.report_validate(
        actor=world.coordinator,
        subject=Subject(kind="sitrep", project=world.calais),
        period=period,
        version=Report.objects.get(project=world.calais).version,
    )
    for fmt in ("pdf", "xlsx", "docx"):
        body = download(client, world, period, fmt).content
        assert b"Tesfay" not in body and b"TESFAY" not in body
    page = client.get(reverse("reporting:sitrep", args=[world.calais.pk]), {"period": period.code})
    assert "Tesfay" not in page.content.decode() and "TESFAY" not in page.content.decode()


def test_advocacy_reads_with_small_cells_suppressed(client, world, period, written):
    client.force_login(world.advocacy)
    page = client.get(reverse("reporting:sitrep", args=[world.calais.pk]), {"period": period.code})
    body = page.content.decode()
    row = body.split('data-indicator="MED-CONS"')[1].split("</tr>")[0]
    assert "&lt;5" in row
    assert "Small cells suppressed" in body
    assert "report-quality" not in body
    # Advocacy neither writes nor validates.
    save = reverse("reporting:sitrep_save", args=[world.calais.pk])
    assert client.post(save, {"period": period.code, "highlights": "x"}).status_code == 404
    # Validated figures are frozen suppressed for advocacy too.
    services.report_validate(
        actor=world.coordinator,
        subject=Subject(kind="sitrep", project=world.calais),
        period=period,
        version=Report.objects.get(project=world.calais).version,
    )
    frozen = client.get(
        reverse("reporting:sitrep", args=[world.calais.pk]), {"period": period.code}
    )
    assert (
        "&lt;5" in frozen.content.decode().split('data-indicator="MED-CONS"')[1].split("</tr>")[0]
    )
    xlsx = load_workbook(BytesIO(download(client, world, period, "xlsx").content))
    assert any(
        row[1] == "MED-CONS" and row[4] == "<5"
        for row in xlsx.worksheets[0].iter_rows(values_only=True)
    )


@pytest.mark.parametrize(
    "persona",
    ["doctor", "psychologist", "reception", "outreach", "dunkerque_doctor", "nobody", "admin"],
)
def test_others_get_nothing(client, world, period, written, persona):
    client.force_login(world.users[persona])
    for name in ("sitrep", "sitrep_pdf", "sitrep_xlsx", "sitrep_docx", "sitrep_changes"):
        url = reverse(f"reporting:{name}", args=[world.calais.pk])
        assert client.get(url, {"period": period.code}).status_code == 404, name
    assert client.get(reverse("reporting:index")).status_code == 404


def test_clinician_of_another_project_gets_nothing_even_as_coordinator_there(
    client, world, period, written
):
    dunkerque_coordinator = make_user("dunkerque_coordinator")
    Membership.objects.create(
        user=dunkerque_coordinator, project=world.dunkerque, role="coordinator"
    )
    client.force_login(dunkerque_coordinator)
    for name in ("sitrep", "sitrep_pdf", "sitrep_save", "sitrep_validate"):
        url = reverse(f"reporting:{name}", args=[world.calais.pk])
        response = (
            client.post(url, {"period": period.code})
            if "_s" in name or "_v" in name
            else client.get(url)
        )
        assert response.status_code == 404, name
    assert not Report.objects.filter(project=world.calais, validated__isnull=False).exists()


def test_meal_officer_writes_but_does_not_validate(client, world, period, written):
    client.force_login(world.meal)
    url = reverse("reporting:sitrep_validate", args=[world.calais.pk])
    assert client.post(url, {"period": period.code, "version": written.version}).status_code == 404
    written.refresh_from_db()
    assert not written.is_validated


def test_mission_report_covers_the_projects_the_reader_reads(client, world, period, indicators):
    from parcours.meal.periods import Period

    quarter = Period.containing(period.start, "quarter")
    client.force_login(world.referent)  # referent of Calais, Dunkerque and Paris
    page = client.get(
        reverse("reporting:mission"), {"mission": world.france.pk, "period": quarter.code}
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Calais / Littoral Nord" in body and "Dunkerque" in body
    monthly = client.get(
        reverse("reporting:mission"), {"mission": world.france.pk, "period": period.code}
    )
    assert "A mission report covers a quarter" in monthly.content.decode()
    # Only a coordinator of every project of the mission validates it.
    client.force_login(world.coordinator)  # Calais only
    refused = client.post(
        reverse("reporting:mission_validate"),
        {"mission": world.france.pk, "period": quarter.code, "version": 0},
        follow=True,
    )
    assert "Only a coordinator" in refused.content.decode()
    client.force_login(world.meal)
    other = client.get(reverse("reporting:mission"), {"mission": world.libya.pk})
    assert other.status_code == 404
