"""Writing and validating the team notes: who may, versions, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.daily import services
from parcours.daily.models import DailyReport


def save(actor, world, day, version=0, site=None, **notes):
    return services.daily_report_save(
        actor=actor, project=world.calais, site=site, day=day, data=notes, version=version
    )


def test_the_team_writes_and_the_coordinator_validates(world, day):
    report = save(world.reception, world, day, incidents="  Fight at the distribution  ")
    assert (report.incidents, report.version, report.written_by) == (
        "Fight at the distribution",
        1,
        world.reception,
    )
    event = AuditEvent.objects.get(event="daily_report.save")
    assert event.extra["fields"] == ["incidents"] and event.project == world.calais
    assert "Fight" not in str(event.extra)  # the trail names the fields, not the text
    validated = services.daily_report_validate(
        actor=world.coordinator, project=world.calais, site=None, day=day, version=1
    )
    assert validated.validated_by == world.coordinator and validated.version == 2
    assert AuditEvent.objects.filter(event="daily_report.validate").count() == 1
    # Written again: the validation is withdrawn.
    again = save(world.outreach, world, day, version=2, incidents="Fight", remarks="Cold night")
    assert again.validated_at is None and again.version == 3
    last = AuditEvent.objects.filter(event="daily_report.save").latest("id")
    assert last.extra["validation_withdrawn"] is True
    assert sorted(last.extra["fields"]) == ["incidents", "remarks"]


def test_a_site_has_its_own_report(world, day):
    save(world.reception, world, day, remarks="Project")
    save(world.reception, world, day, site=world.calais_day_centre, remarks="Day centre")
    assert DailyReport.objects.filter(project=world.calais, date=day).count() == 2
    with pytest.raises(ValidationError):
        save(world.reception, world, day, site=world.dunkerque_camp, remarks="Elsewhere")


def test_who_may_not_write_or_validate(world, day):
    for persona in ("doctor", "psychologist", "meal", "dunkerque_doctor", "admin"):
        with pytest.raises(PermissionDenied):
            save(world.users[persona], world, day, remarks="x")
    save(world.reception, world, day, remarks="x")
    for persona in ("reception", "doctor", "referent", "meal"):
        with pytest.raises(PermissionDenied):
            services.daily_report_validate(
                actor=world.users[persona], project=world.calais, site=None, day=day, version=1
            )


def test_a_stale_version_and_a_day_to_come_are_refused(world, day):
    save(world.reception, world, day, remarks="first")
    with pytest.raises(services.StaleReport):
        save(world.outreach, world, day, version=0, remarks="second")
    with pytest.raises(ValidationError):
        save(world.reception, world, timezone.localdate() + timedelta(days=1), remarks="x")


def test_nothing_written_makes_no_report(world, day):
    assert save(world.reception, world, day) is None
    assert not DailyReport.objects.exists()


def test_the_page_saves_and_validates(world, day, login):
    url = reverse("daily:save", args=[world.calais.pk])
    client = login(world.reception)
    page = client.get(reverse("daily:report", args=[world.calais.pk]), {"day": day.isoformat()})
    assert "no diagnosis, treatment or clinical detail" in page.content.decode()
    response = client.post(url, {"day": day.isoformat(), "version": "0", "remarks": "Calm day"})
    assert response.status_code == 302
    report = DailyReport.objects.get()
    assert report.remarks == "Calm day"
    # Someone else saved meanwhile: the writer's text is kept on the page.
    stale = client.post(url, {"day": day.isoformat(), "version": "0", "remarks": "Mine"})
    assert stale.status_code == 200 and "Mine" in stale.content.decode()
    assert DailyReport.objects.get().remarks == "Calm day"
    # Clinicians read the notes but do not write them.
    assert login(world.doctor).post(url, {"day": day.isoformat()}).status_code == 404
    validate = reverse("daily:validate", args=[world.calais.pk])
    assert login(world.reception).post(validate, {"day": day.isoformat()}).status_code == 404
    response = login(world.coordinator).post(validate, {"day": day.isoformat(), "version": "1"})
    assert response.status_code == 302
    assert DailyReport.objects.get().validated_by == world.coordinator
    listing = login(world.meal).get(reverse("daily:list", args=[world.calais.pk]))
    assert "coordinator" in listing.content.decode()
