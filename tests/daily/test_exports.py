"""The day's agenda and the user's follow-ups as XLSX: identity export right
only, slot columns only, audited, access-logged, no formula."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from parcours.accounts.models import Membership
from parcours.audit.models import AccessLog, AuditEvent
from tests.daily.conftest import local
from tests.personas import make_user


def _rows(response) -> list[list]:
    book = load_workbook(BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def agenda_url(world, site=None):
    return reverse("daily:agenda_export", args=[(site or world.calais_day_centre).pk])


def test_coordinator_exports_the_days_agenda_without_reasons(world, the_day, day, login):
    amanuel = the_day["amanuel"]
    amanuel.family_name = "=HYPERLINK(1)"
    amanuel.save()
    response = login(world.coordinator).get(agenda_url(world), {"day": day.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(response)
    assert rows[1][:5] == ["Start", "End", "Codes", "Given name", "Family name"]
    body = rows[2:]
    assert [(r[0], r[3], r[4], r[5], r[8]) for r in body] == [
        ("09:00", "Amanuel", "'=HYPERLINK(1)", "Medical", "Seen"),
        ("10:00", "Amanuel", "'=HYPERLINK(1)", "Medical", "Missed"),
        ("11:00", "Amanuel", "'=HYPERLINK(1)", "Medical", "Cancelled"),
    ]
    assert "Wound dressing" not in str(rows)
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.what, log.channel) == (
        world.coordinator,
        amanuel,
        "list-export",
        "export",
    )
    event = AuditEvent.objects.get(event="agenda.export")
    assert event.extra == {"day": day.isoformat(), "rows": 3}


def test_only_the_export_right_exports(world, the_day, day, login):
    for persona in ("doctor", "reception", "outreach", "meal", "referent", "admin"):
        client = login(world.users[persona])
        assert client.get(agenda_url(world), {"day": day.isoformat()}).status_code == 404
        assert client.get(reverse("daily:follow_ups_export")).status_code == 404
        report = client.get(reverse("daily:report", args=[world.calais.pk]))
        if report.status_code == 200:
            assert agenda_url(world) not in report.content.decode()
    coordinator_page = login(world.coordinator).get(
        reverse("daily:report", args=[world.calais.pk]), {"day": day.isoformat()}
    )
    assert agenda_url(world) in coordinator_page.content.decode()
    # Another project's site: 404, nothing logged.
    assert login(world.coordinator).get(agenda_url(world, world.dunkerque_camp)).status_code == 404
    assert not AccessLog.objects.exists()


def test_follow_ups_export_holds_the_users_own_follow_ups_without_content(
    world, make_person, record, day, login
):
    # A coordinator who also consults: the only kind of user with both a
    # follow-up list and the export right.
    coordoc = make_user("coordoc")
    for role in ("coordinator", "medical"):
        Membership.objects.create(user=coordoc, project=world.calais, role=role)
    person = make_person(given_name="Senait", family_name="Woldu")
    record(
        coordoc,
        "medical",
        local(day, 10),
        person,
        follow_up_on=day,
        team_note="Dressing to renew",
    )
    record(world.doctor, "medical", local(day, 11), person, follow_up_on=day)  # not theirs
    response = login(coordoc).get(reverse("daily:follow_ups_export"))
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0] == ["Due", "When", "Codes", "Given name", "Family name", "Discipline", "Site"]
    assert [(r[1], r[3], r[5]) for r in rows[1:]] == [("overdue", "Senait", "Medical")]
    assert "Dressing" not in str(rows)
    assert AuditEvent.objects.get(event="follow_ups.export").extra == {"rows": 1}
    assert AccessLog.objects.get().channel == "export"
    # A coordinator alone records no follow-up: an empty list.
    assert len(_rows(login(world.coordinator).get(reverse("daily:follow_ups_export")))) == 1
