"""API of the directory and the referrals."""

from datetime import timedelta

from django.utils import timezone

from parcours.network.models import Referral
from tests.network.routes import ORGANISATION, give_referral_consent, make_service

PATH = "/api/v1/persons/{}/referrals"


def test_services_list_filters_and_geojson(world, api_as):
    make_service(name="PASS Calais", city="Calais")
    make_service(
        name="Restos du Coeur Marseille",
        type="food",
        city="Marseille",
        latitude=None,
        longitude=None,
    )
    api = api_as(world.nobody)
    body = api.get("/api/v1/services", {"type": "food"}).json()
    assert [s["name"] for s in body["results"]] == ["Restos du Coeur Marseille"]
    geo = api.get("/api/v1/services", {"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    located = [f for f in geo["features"] if f["geometry"]]
    assert located[0]["geometry"] == {"type": "Point", "coordinates": [1.87, 50.948]}
    assert api.get("/api/v1/services", {"type": "spaceport"}).status_code == 422


def test_external_referral_without_consent_is_refused_naming_it(world, person, service, api_as):
    api = api_as(world.doctor)
    response = api.post(
        PATH.format(person.pk),
        {"kind": "external", "service": service.pk, "reason": "Dental pain", "categories": []},
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "consent"]
    assert ORGANISATION in error["msg"] and "consent" in error["msg"]
    assert not Referral.objects.exists()


def test_external_referral_shares_only_the_chosen_categories(
    world, person, service, consent, medical_note, api_as
):
    api = api_as(world.doctor)
    response = api.post(
        PATH.format(person.pk),
        {"kind": "external", "service": service.pk, "reason": "Dental", "categories": ["contact"]},
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["shared_categories"] == ["contact"]
    assert [s["category"] for s in created["shared"]] == ["identity", "contact"]
    listed = api.get(PATH.format(person.pk)).content.decode()
    assert "+33 6 12 34 56 78" in listed
    assert "ZX-MEDICAL-SECRET" not in listed and "Scabies" not in listed


def test_after_a_withdrawal_the_api_shares_nothing_more(world, person, service, consent, api_as):
    api = api_as(world.doctor)
    sent = api.post(
        PATH.format(person.pk),
        {"kind": "external", "service": service.pk, "reason": "Dental", "categories": ["contact"]},
    ).json()
    assert sent["consent_in_force"] is True
    give_referral_consent(world, person, status="withdrawn")
    (listed,) = api.get(PATH.format(person.pk)).json()["results"]
    assert listed["id"] == sent["id"]
    assert listed["consent_in_force"] is False and listed["shared"] == []
    assert "+33 6 12 34 56 78" not in api.get(PATH.format(person.pk)).content.decode()


def test_closed_service_is_sent_with_the_warning(world, person, consent, api_as):
    service = make_service(opening_hours={"mon": [["09:00", "10:00"]]})
    sunday = timezone.localtime() + timedelta(days=(6 - timezone.localdate().weekday()) or 7)
    response = api_as(world.doctor).post(
        PATH.format(person.pk),
        {
            "kind": "external",
            "service": service.pk,
            "reason": "Care",
            "planned_for": sunday.isoformat(),
        },
    )
    assert response.status_code == 201
    assert "closed" in response.json()["warnings"][0]
    assert Referral.objects.get().warnings


def test_mine_and_status_with_version(world, person, service, consent, api_as):
    api = api_as(world.doctor)
    created = api.post(
        PATH.format(person.pk), {"kind": "external", "service": service.pk, "reason": "Care"}
    ).json()
    assert [r["id"] for r in api.get("/api/v1/referrals", {"mine": 1}).json()["results"]] == [
        created["id"]
    ]
    assert api_as(world.referent).get("/api/v1/referrals", {"mine": 1}).json()["count"] == 0
    url = f"/api/v1/referrals/{created['id']}"
    skipped = api.patch(url, {"version": 1, "status": "done"})
    assert skipped.status_code == 422
    assert skipped.json()["detail"][0]["loc"] == ["body", "note"]
    accepted = api.patch(url, {"version": 1, "status": "accepted"})
    assert accepted.status_code == 200 and accepted.json()["accepted_on"]
    stale = api.patch(url, {"version": 1, "status": "done"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Referral.objects.get().status == "accepted"


def test_a_referral_is_not_seen_outside_its_rules(world, person, service, consent, api_as):
    api_as(world.doctor).post(
        PATH.format(person.pk), {"kind": "external", "service": service.pk, "reason": "Care"}
    )
    assert api_as(world.referent).get(PATH.format(person.pk)).json()["count"] == 1
    for user in (world.social_worker, world.reception, world.coordinator):
        assert api_as(user).get(PATH.format(person.pk)).json()["count"] == 0
    assert api_as(world.dunkerque_doctor).get(PATH.format(person.pk)).status_code == 404


def test_reading_referrals_logs_the_person_read(world, person, service, consent, api_as):
    from parcours.audit.models import AccessLog

    api = api_as(world.doctor)
    api.post(PATH.format(person.pk), {"kind": "external", "service": service.pk, "reason": "Care"})
    before = AccessLog.objects.count()
    api.get(PATH.format(person.pk))
    api.get("/api/v1/referrals", {"mine": 1})
    rows = AccessLog.objects.order_by("id")[before:]
    assert [(r.what, r.channel, r.person_id) for r in rows] == [
        ("referral", "api", person.pk),
        ("referral", "api", person.pk),
    ]
