"""``parcours createadmin``: the first administrator of a fresh installation."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from parcours.access.scope import is_configuration_admin
from parcours.accounts.models import Membership, User
from parcours.audit.models import AuditEvent
from parcours.org.models import Mission, Project

PASSWORD = "un mot de passe assez long"


def _run(**options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("createadmin", stdout=out, no_input=True, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_fresh_installation_gets_mission_project_and_admin():
    out = _run(
        username="root",
        password=PASSWORD,
        mission="France",
        country="fr",
        project_name="Calais / Littoral Nord",
        project_code="cal",
    )
    project = Project.objects.get()
    assert (project.code, project.mission.name, project.mission.country.code) == (
        "CAL",
        "France",
        "FR",
    )
    user = authenticate(username="root", password=PASSWORD)
    assert user is not None and is_configuration_admin(user)
    assert Membership.objects.get(user=user).project == project
    assert "Created mission France" in out and "CAL" in out and "root" in out
    assert {e.event for e in AuditEvent.objects.all()} == {
        "mission.create",
        "project.create",
        "user.create",
        "membership.grant",
    }


@pytest.mark.django_db
def test_existing_project_by_code():
    mission = Mission.objects.create(name="France", country="FR")
    Project.objects.create(mission=mission, name="Dunkerque", code="DUN")
    out = _run(username="root", password=PASSWORD, project="DUN")
    assert Membership.objects.get(user__username="root").project.code == "DUN"
    assert Mission.objects.count() == 1
    assert "DUN" in out


@pytest.mark.django_db
def test_missing_options_fail_without_prompting_and_write_nothing():
    with pytest.raises(CommandError, match="--mission"):
        _run(username="root", password=PASSWORD)
    with pytest.raises(CommandError, match="--password"):
        _run(username="root")
    assert not User.objects.exists() and not Project.objects.exists()


@pytest.mark.django_db
def test_bad_values_roll_everything_back():
    with pytest.raises(CommandError, match="code"):
        _run(
            username="root",
            password=PASSWORD,
            mission="France",
            country="FR",
            project_name="Calais",
            project_code="C4L",
        )
    with pytest.raises(CommandError, match="password"):
        _run(
            username="root",
            password="short",
            mission="France",
            country="FR",
            project_name="Calais",
            project_code="CAL",
        )
    assert not User.objects.exists()
    assert not Mission.objects.exists() and not Project.objects.exists()


def test_existing_username_or_unknown_project_is_refused(world):
    with pytest.raises(CommandError, match="already exists"):
        _run(username="Admin", password=PASSWORD, project="CAL")
    with pytest.raises(CommandError, match="ZZZ"):
        _run(username="root", password=PASSWORD, project="ZZZ")
    with pytest.raises(CommandError, match="CAL"):
        _run(username="root", password=PASSWORD)  # projects exist: which one?
