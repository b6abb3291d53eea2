"""Creating and editing missions, projects, sites and activity types from the pages."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.org import services
from parcours.org.forms import sign_original
from parcours.org.models import ActivityType, Mission, Project, Site, Status


@pytest.fixture
def admin(world, login):
    return login(world.admin)


def _form_data(response) -> dict:
    """The values of the form on a page, as the browser would post them back."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            formatted = value if name == "original" else field.widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    return data


def _errors(response) -> dict:
    return response.context["form"].errors


# -- creations ---------------------------------------------------------------


def test_mission_create_records_an_audit_event(world, admin):
    response = admin.post(
        reverse("org:mission_create"), {"name": "Grèce", "country": "GR", "status": "open"}
    )
    assert response.status_code == 302
    mission = Mission.objects.get(name="Grèce")
    event = AuditEvent.objects.get(event="mission.create")
    assert event.actor == world.admin
    assert event.subject_id == str(mission.pk)
    assert event.changes["country"] == [None, "GR"]


def test_project_create_uppercases_code_and_records_audit(world, admin):
    response = admin.post(
        reverse("org:project_create"),
        {
            "mission": world.france.pk,
            "name": "Marseille",
            "code": "mrs",
            "status": "open",
            "opened_on": "2024-03-01",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="Marseille")
    assert project.code == "MRS"
    event = AuditEvent.objects.get(event="project.create")
    assert event.project == project
    assert event.changes["code"] == [None, "MRS"]
    assert event.changes["opened_on"] == [None, "2024-03-01"]


def test_site_create_with_activities_and_position(world, admin):
    clinic = ActivityType.objects.get(code="mobile_clinic")
    response = admin.post(
        reverse("org:site_create"),
        {
            "project": world.calais.pk,
            "name": "Clinique mobile Grande-Synthe",
            "activity_types": [clinic.pk],
            "latitude": "51,01234",  # French decimal comma
            "longitude": "2.30222",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    site = Site.objects.get(name="Clinique mobile Grande-Synthe")
    assert site.latitude == Decimal("51.01234")
    assert list(site.activity_types.all()) == [clinic]
    event = AuditEvent.objects.get(event="site.create")
    assert event.project == world.calais
    assert event.changes["activity_types"] == [None, [clinic.pk]]
    assert event.changes["latitude"] == [None, "51.01234"]


def test_activity_type_create(world, admin):
    response = admin.post(
        reverse("org:activity_type_create"),
        {"code": "Legal_Clinic", "name_fr": "Permanence juridique", "name_en": "Legal clinic"},
    )
    assert response.status_code == 302
    assert ActivityType.objects.get(code="legal_clinic").name_fr == "Permanence juridique"
    assert AuditEvent.objects.filter(event="activity_type.create").count() == 1


# -- edits -------------------------------------------------------------------


def test_suspending_a_project_keeps_its_sites_and_records_before_after(world, admin):
    url = reverse("org:project_edit", kwargs={"pk": world.calais.pk})
    page = admin.get(url)
    assert "keeps all its data" in page.content.decode()
    data = _form_data(page) | {"status": "suspended"}
    assert admin.post(url, data).status_code == 302
    world.calais.refresh_from_db()
    assert world.calais.status == Status.SUSPENDED
    assert world.calais.sites.count() == 1
    event = AuditEvent.objects.get(event="project.update")
    assert event.actor == world.admin
    assert event.changes == {"status": ["open", "suspended"]}


def test_closing_a_project_without_date_records_today(world, admin):
    url = reverse("org:project_edit", kwargs={"pk": world.dunkerque.pk})
    data = _form_data(admin.get(url)) | {"status": "closed"}
    assert admin.post(url, data).status_code == 302
    world.dunkerque.refresh_from_db()
    assert world.dunkerque.closed_on == date.today()


def test_mission_edit_records_before_after(world, admin):
    url = reverse("org:mission_edit", kwargs={"pk": world.libya.pk})
    data = _form_data(admin.get(url)) | {"status": "closed", "name": "Libye"}
    assert admin.post(url, data).status_code == 302
    event = AuditEvent.objects.get(event="mission.update")
    assert event.changes == {"name": ["Libya", "Libye"], "status": ["suspended", "closed"]}


def test_site_marked_not_in_use(world, admin):
    site = world.calais_day_centre
    url = reverse("org:site_edit", kwargs={"pk": site.pk})
    data = _form_data(admin.get(url))
    data.pop("is_active")
    assert admin.post(url, data).status_code == 302
    site.refresh_from_db()
    assert site.is_active is False
    event = AuditEvent.objects.get(event="site.update")
    assert event.changes == {"is_active": [True, False]}
    assert "not in use" in admin.get(reverse("org:site_list")).content.decode()


def test_activity_type_edit_records_before_after(world, admin):
    activity = ActivityType.objects.get(code="day_centre")
    url = reverse("org:activity_type_edit", kwargs={"pk": activity.pk})
    data = _form_data(admin.get(url)) | {"name_en": "Day center"}
    assert admin.post(url, data).status_code == 302
    event = AuditEvent.objects.get(event="activity_type.update")
    assert event.changes == {"name_en": ["Day centre", "Day center"]}


def test_saving_unchanged_form_writes_no_event(world, admin):
    url = reverse("org:site_edit", kwargs={"pk": world.calais_day_centre.pk})
    assert admin.post(url, _form_data(admin.get(url))).status_code == 302
    assert not AuditEvent.objects.exists()


# -- invalid input: field errors, nothing written -------------------------------


@pytest.mark.parametrize("code", ["C", "CALAISX", "C4L", "ÉCA", "CA L", ""])
def test_bad_project_code_is_a_field_error(world, admin, code):
    response = admin.post(
        reverse("org:project_create"),
        {"mission": world.france.pk, "name": "Marseille", "code": code, "status": "open"},
    )
    assert response.status_code == 200
    assert "code" in _errors(response)
    assert not Project.objects.filter(name="Marseille").exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_project_code_is_a_field_error(world, admin):
    response = admin.post(
        reverse("org:project_create"),
        {"mission": world.france.pk, "name": "Marseille", "code": "cal", "status": "open"},
    )
    assert response.status_code == 200
    assert "CAL" in _errors(response)["code"][0]
    assert Project.objects.count() == 4
    assert not AuditEvent.objects.exists()


def test_project_closing_before_opening_is_refused(world, admin):
    url = reverse("org:project_edit", kwargs={"pk": world.paris.pk})
    data = _form_data(admin.get(url)) | {"opened_on": "2024-05-01", "closed_on": "2024-04-01"}
    response = admin.post(url, data)
    assert "closed_on" in _errors(response)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("123", "2.3", "latitude"),
        ("-90.5", "2.3", "latitude"),
        ("50.9", "181", "longitude"),
        ("fifty", "2.3", "latitude"),
        ("NaN", "2.3", "latitude"),
        ("50.9", "", "longitude"),
    ],
)
def test_bad_coordinates_are_field_errors(world, admin, latitude, longitude, field):
    response = admin.post(
        reverse("org:site_create"),
        {"project": world.calais.pk, "name": "Plage", "latitude": latitude, "longitude": longitude},
    )
    assert response.status_code == 200
    assert field in _errors(response)
    assert not Site.objects.filter(name="Plage").exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_site_name_in_a_project_is_a_field_error(world, admin):
    response = admin.post(
        reverse("org:site_create"),
        {"project": world.calais.pk, "name": "accueil de jour calais", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "name" in _errors(response)
    assert Site.objects.filter(project=world.calais).count() == 1
    assert not AuditEvent.objects.exists()


def test_same_site_name_in_another_project_is_fine(world, admin):
    response = admin.post(
        reverse("org:site_create"), {"project": world.paris.pk, "name": "Accueil de jour Calais"}
    )
    assert response.status_code == 302


def test_bad_activity_code_and_missing_names_are_field_errors(world, admin):
    response = admin.post(
        reverse("org:activity_type_create"), {"code": "day centre!", "name_fr": "", "name_en": ""}
    )
    assert response.status_code == 200
    assert {"code", "name_fr", "name_en"} <= set(_errors(response))
    assert not AuditEvent.objects.exists()


def test_unknown_country_is_a_field_error(world, admin):
    response = admin.post(
        reverse("org:mission_create"), {"name": "Grèce", "country": "XX", "status": "open"}
    )
    assert response.status_code == 200
    assert "country" in _errors(response)
    assert Mission.objects.count() == 2


def test_duplicate_mission_name_is_a_field_error(world, admin):
    response = admin.post(
        reverse("org:mission_create"), {"name": "france", "country": "FR", "status": "open"}
    )
    assert response.status_code == 200
    assert "name" in _errors(response)
    assert Mission.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_edit_of_unknown_row_is_404(world, admin):
    assert admin.get(reverse("org:site_edit", kwargs={"pk": 99999})).status_code == 404


# -- concurrent edits ------------------------------------------------------------


def test_stale_edit_is_refused_listing_changes_and_keeping_entries(world, admin):
    url = reverse("org:project_edit", kwargs={"pk": world.calais.pk})
    mine = _form_data(admin.get(url)) | {"description": "Mine: my description"}
    # Someone else renames the project meanwhile.
    services.project_update(
        actor=world.coordinator, project=world.calais, data={"name": "Calais (Littoral)"}
    )
    response = admin.post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this" in page
    assert "Calais (Littoral)" in page  # what changed, shown
    assert "Mine: my description" in page  # what I typed, kept
    world.calais.refresh_from_db()
    assert world.calais.description == ""
    assert AuditEvent.objects.filter(event="project.update").count() == 1
    # Saving again (now aware) applies my entries over theirs, deliberately.
    again = dict(mine)
    again["original"] = re.search(r'name="original" value="([^"]+)"', page).group(1)
    assert admin.post(url, again).status_code == 302
    world.calais.refresh_from_db()
    assert world.calais.description == "Mine: my description"


def test_stale_site_edit_detects_activity_change(world, admin):
    site = world.calais_day_centre
    url = reverse("org:site_edit", kwargs={"pk": site.pk})
    mine = _form_data(admin.get(url)) | {"address": "Rue de Moscou"}
    services.site_update(
        actor=world.coordinator, site=site, data={"activity_types": ActivityType.objects.all()}
    )
    response = admin.post(url, mine)
    assert response.status_code == 200
    assert "Clinique mobile" in response.content.decode() or "Mobile clinic" in (
        response.content.decode()
    )
    site.refresh_from_db()
    assert site.address == ""


def test_forged_original_is_not_trusted(world, admin):
    url = reverse("org:mission_edit", kwargs={"pk": world.france.pk})
    data = _form_data(admin.get(url)) | {"original": "forged", "status": "closed"}
    response = admin.post(url, data)
    assert response.status_code == 200
    world.france.refresh_from_db()
    assert world.france.status == Status.OPEN


def test_service_refuses_stale_original(world):
    original = services.mission_values(world.france)
    Mission.objects.filter(pk=world.france.pk).update(name="France métropolitaine")
    with pytest.raises(services.StaleEdit) as raised:
        services.mission_update(
            actor=world.admin, mission=world.france, data={"status": "closed"}, original=original
        )
    assert raised.value.changes == {"name": ("France", "France métropolitaine")}


def test_original_of_another_row_is_not_trusted(world, admin):
    """A token signed for one mission does not pass as the original of another."""
    libya = services.mission_values(world.libya)
    token = sign_original(world.libya, libya | {"name": "France", "country": "FR"})
    url = reverse("org:mission_edit", kwargs={"pk": world.france.pk})
    data = _form_data(admin.get(url)) | {"original": token, "status": "closed"}
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "could not be checked" in response.content.decode()
    world.france.refresh_from_db()
    assert world.france.status == Status.OPEN


def test_project_list_says_suspending_or_closing_keeps_data(world, admin):
    page = admin.get(reverse("org:project_list")).content.decode()
    assert "Suspending or closing a project keeps all its data" in page


JUNK = ["99999999999999999999999", "-1", "\x00", "x" * 5000, "1e999", "<script>", ""]


@pytest.mark.parametrize(
    "name",
    [
        "org:mission_create",
        "org:project_create",
        "org:site_create",
        "org:activity_type_create",
        "org:user_create",
    ],
)
def test_junk_input_never_crashes_a_form(world, admin, name):
    url = reverse(name)
    fields = admin.get(url).context["form"].fields
    for junk in JUNK:
        response = admin.post(url, {field: [junk, junk] for field in fields})
        assert response.status_code in (200, 302), junk
