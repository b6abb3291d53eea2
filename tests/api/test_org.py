import pytest


def test_projects_are_the_callers_own(world, api_as):
    response = api_as(world.referent).get("/api/v1/projects")
    assert response.status_code == 200
    assert sorted(p["code"] for p in response.json()) == ["CAL", "DUN", "IDF"]
    calais = next(p for p in response.json() if p["code"] == "CAL")
    assert calais == {
        "id": world.calais.pk,
        "name": "Calais / Littoral Nord",
        "code": "CAL",
        "status": "open",
        "mission": {"id": world.france.pk, "name": "France", "country": "FR"},
    }


@pytest.mark.parametrize(
    ("persona", "codes"),
    [("admin", ["CAL"]), ("meal", ["CAL"]), ("dunkerque_doctor", ["DUN"]), ("nobody", [])],
)
def test_every_member_sees_only_their_projects(world, api_as, persona, codes):
    response = api_as(world.users[persona]).get("/api/v1/projects")
    assert [p["code"] for p in response.json()] == codes


def test_sites_of_the_callers_projects(world, api_as):
    world.calais_day_centre.latitude = "50.95123"
    world.calais_day_centre.save()
    response = api_as(world.doctor).get("/api/v1/sites")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": world.calais_day_centre.pk,
            "name": "Accueil de jour Calais",
            "project": world.calais.pk,
            "activity_types": ["day_centre"],
            "address": "",
            "latitude": 50.95123,
            "longitude": None,
            "is_active": True,
        }
    ]


def test_sites_filtered_by_project_never_widen(world, api_as):
    api = api_as(world.referent)
    by_project = api.get("/api/v1/sites", {"project": world.dunkerque.pk}).json()
    assert [s["name"] for s in by_project] == ["Camp de Loon-Plage"]
    doctor = api_as(world.doctor)
    assert doctor.get("/api/v1/sites", {"project": world.dunkerque.pk}).json() == []
    assert doctor.get("/api/v1/sites", {"project": "x"}).status_code == 422
    assert doctor.get("/api/v1/sites", {"project": 10**30}).status_code == 422


def test_projects_and_sites_need_a_token(world, api_as):
    assert api_as(None).get("/api/v1/projects").status_code == 401
    assert api_as(None).get("/api/v1/sites").status_code == 401
