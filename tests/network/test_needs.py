"""Needs versus services: counts of persons by need over three months,
beside the services that answer them; gaps shown; never a name."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from parcours.care import services as care_services
from parcours.network.needs import needs_versus_services
from tests.network.routes import make_service


def social(world, person, needs, days_ago=1):
    return care_services.encounter_record(
        actor=world.social_worker,
        discipline="social",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now() - timedelta(days=days_ago)},
        details={"needs": needs},
    )


def test_needs_are_counted_per_person_beside_the_services(world, make_person, client):
    first, second = make_person(given_name="Awet"), make_person(given_name="Filmon")
    social(world, first, ["housing", "food"])
    social(world, first, ["housing"], days_ago=3)
    social(world, second, ["housing"])
    social(world, second, ["documents"], days_ago=120)  # older than three months
    make_service(name="Restos du Coeur Calais", type="food")
    rows = {r["code"]: r for r in needs_versus_services(world.calais)["rows"]}
    assert rows["housing"]["persons"] == 2 and rows["housing"]["gap"]
    assert rows["food"]["persons"] == 1 and not rows["food"]["gap"]
    assert rows["documents"]["persons"] == 0
    client.force_login(world.meal)
    page = client.get(reverse("network:needs", args=[world.calais.pk])).content.decode()
    assert "Restos du Coeur Calais" in page and "gap: no service" in page
    assert "Awet" not in page and "Filmon" not in page


def test_needs_of_another_project_are_not_shown(world, client):
    client.force_login(world.social_worker)
    assert client.get(reverse("network:needs", args=[world.dunkerque.pk])).status_code == 404
    client.force_login(world.doctor)
    assert client.get(reverse("network:needs", args=[world.calais.pk])).status_code == 404
