"""Exporting the people list: who may, what the file holds, what is recorded."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from parcours.audit.models import AccessLog, AuditEvent


def _rows(response) -> list[list]:
    book = load_workbook(BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_coordinator_exports_the_filtered_list_and_each_person_is_logged(world, make_person, login):
    senait = make_person(given_name="Senait", sex="female")
    make_person(given_name="Yonas", sex="male")
    response = login(world.coordinator).get(reverse("people:export"), {"sex": "female"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(response)
    assert rows[0][:3] == ["Codes", "Given name", "Family name"]
    assert [r[1] for r in rows[1:]] == ["Senait"]
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.what, log.channel) == (
        world.coordinator,
        senait,
        "list-export",
        "export",
    )
    event = AuditEvent.objects.get(event="persons.export")
    assert event.extra["rows"] == 1 and event.extra["filters"] == ["sex=female"]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(world, make_person, login):
    make_person(given_name="Amanuel", family_name="=HYPERLINK(1)")
    rows = _rows(login(world.coordinator).get(reverse("people:export")))
    assert rows[1][2] == "'=HYPERLINK(1)"


def test_roles_without_the_export_right_get_404_and_see_no_link(world, make_person, login):
    make_person()
    for user in (world.reception, world.doctor, world.outreach, world.meal, world.admin):
        client = login(user)
        assert client.get(reverse("people:export")).status_code == 404, user
    page = login(world.reception).get(reverse("people:list")).content.decode()
    assert reverse("people:export") not in page
    coordinator_page = login(world.coordinator).get(reverse("people:list")).content.decode()
    assert reverse("people:export") in coordinator_page


def test_a_project_outside_the_users_exports_no_one(world, make_person, login):
    make_person(project=world.dunkerque, actor=world.referent)
    response = login(world.coordinator).get(
        reverse("people:export"), {"project": world.dunkerque.pk}
    )
    assert response.status_code == 302  # not one of the coordinator's projects: refused
    assert not AccessLog.objects.exists()
