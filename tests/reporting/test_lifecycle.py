"""A SITREP from draft to validated, reopened and validated again: both
versions kept, the changes shown, frozen figures unchanged by later records."""

from datetime import timedelta

from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.org.models import Project
from parcours.reporting.models import Report


def url(name, world, period, **params):
    base = reverse(f"reporting:{name}", args=[world.calais.pk])
    query = "&".join(f"{k}={v}" for k, v in {"period": period.code, **params}.items())
    return f"{base}?{query}"


def save(client, world, period, version, **texts):
    data = {"period": period.code, "version": version, **texts}
    return client.post(reverse("reporting:sitrep_save", args=[world.calais.pk]), data, follow=True)


def validate(client, world, period, version):
    return client.post(
        reverse("reporting:sitrep_validate", args=[world.calais.pk]),
        {"period": period.code, "version": version},
        follow=True,
    )


def reopen(client, world, period, version, reason="Late records of the mobile clinic"):
    return client.post(
        reverse("reporting:sitrep_reopen", args=[world.calais.pk]),
        {"period": period.code, "version": version, "reason": reason},
        follow=True,
    )


def med_value(response) -> str:
    body = response.content.decode()
    row = body.split('data-indicator="MED-CONS"')[1].split("</tr>")[0]
    return row.split('class="report-value">')[1].split("</td>")[0].strip()


def test_draft_validated_reopened_and_validated_again(
    client, world, period, indicators, make_person, consult
):
    client.force_login(world.coordinator)
    page = client.get(url("sitrep", world, period))
    assert page.status_code == 200
    assert med_value(page) == "3"
    assert "Evictions every 48 hours" in page.content.decode()

    save(client, world, period, 0, highlights="Scabies outbreak in the camps.")
    report = Report.objects.get(project=world.calais, period=period.code)
    validated = validate(client, world, period, report.version)
    assert "its figures are frozen" in validated.content.decode()
    report.refresh_from_db()
    assert report.is_validated and report.versions.count() == 1
    first = report.validated
    assert first.narratives["highlights"] == "Scabies outbreak in the camps."
    med = first.figures["projects"][0]["indicators"][0]
    assert med["indicator"]["code"] == "MED-CONS" and med["total"] == 3 and med["target"] == 10

    # A consultation entered late for that month: the validated report does not move.
    consult(indicators["senait"], 25)
    assert med_value(client.get(url("sitrep", world, period))) == "3"
    # Editing a validated report is refused until it is reopened.
    refused = save(client, world, period, report.version, highlights="Changed")
    assert "reopen it before changing it" in refused.content.decode()

    reopened = reopen(client, world, period, report.version)
    assert "validated version is kept" in reopened.content.decode()
    assert med_value(reopened) == "4"  # a draft again: counted now
    report.refresh_from_db()
    save(client, world, period, report.version, highlights="Scabies outbreak, now receding.")
    report.refresh_from_db()
    validate(client, world, period, report.version)
    report.refresh_from_db()
    assert [v.number for v in report.versions.all()] == [1, 2]
    first.refresh_from_db()
    assert first.figures["projects"][0]["indicators"][0]["total"] == 3
    assert first.reopen_reason == "Late records of the mobile clinic"
    assert report.validated.figures["projects"][0]["indicators"][0]["total"] == 4

    diff = client.get(url("sitrep_changes", world, period)).content.decode()
    assert "Version 1" in diff and "Version 2" in diff
    assert "Scabies outbreak in the camps." in diff and "Scabies outbreak, now receding." in diff
    med_rows = diff.split('data-indicator="MED-CONS"')
    assert any('class="changed"' in chunk[-40:] for chunk in med_rows[:-1])
    assert "<strong>4</strong>" in diff

    events = list(
        AuditEvent.objects.filter(subject_type="reporting.report").values_list("event", flat=True)
    )
    assert events.count("report.validate") == 2
    assert "report.reopen" in events and "report.save" in events


def test_validating_twice_is_refused(client, world, period, indicators):
    client.force_login(world.coordinator)
    validate(client, world, period, 0)
    report = Report.objects.get(project=world.calais, period=period.code)
    again = validate(client, world, period, report.version)
    assert "already validated" in again.content.decode()
    assert report.versions.count() == 1


def test_stale_edit_gets_a_clear_message_and_saves_nothing(client, world, period, indicators):
    client.force_login(world.coordinator)
    save(client, world, period, 0, highlights="First words")
    report = Report.objects.get(project=world.calais, period=period.code)
    read = report.version
    client.force_login(world.meal)
    save(client, world, period, read, highlights="First words", context="The MEAL officer's words")
    client.force_login(world.coordinator)
    stale = save(client, world, period, read, highlights="Overwriting")
    assert "Someone changed this report while you were editing it" in stale.content.decode()
    report.refresh_from_db()
    assert report.highlights == "First words"
    assert report.context == "The MEAL officer's words"


def test_bad_periods_get_a_message(client, world, period, indicators):
    client.force_login(world.coordinator)
    page = client.get(url("sitrep", world, period).replace(period.code, "2026-13"))
    assert page.status_code == 200 and "period" in page.content.decode().lower()
    quarter = client.get(reverse("reporting:sitrep", args=[world.calais.pk]), {"period": "2026-Q1"})
    assert "A SITREP covers one month" in quarter.content.decode()
    future = client.get(reverse("reporting:sitrep", args=[world.calais.pk]), {"period": "2199-01"})
    assert "has not started yet" in future.content.decode()


def test_period_outside_the_project_is_refused(client, world, period, indicators):
    Project.objects.filter(pk=world.calais.pk).update(opened_on=period.end + timedelta(days=1))
    client.force_login(world.coordinator)
    page = client.get(url("sitrep", world, period))
    assert "outside the project" in page.content.decode()
    refused = validate(client, world, period, 0)
    assert "outside the project" in refused.content.decode()
    assert not Report.objects.filter(project=world.calais, period=period.code).exists()
