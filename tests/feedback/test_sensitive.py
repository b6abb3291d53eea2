"""A sensitive complaint exists only for the safeguarding focal points: the
coordinator, MEAL, the administrator and everyone else get 404 on its page,
never see it in a list or in the API, and count it only as a total."""

import pytest
from django.core.exceptions import PermissionDenied

from parcours.feedback import rules, services
from parcours.feedback.models import FeedbackItem

OTHERS = ["admin", "coordinator", "meal", "doctor", "reception", "lawyer", "advocacy", "referent"]


@pytest.fixture
def sea(world, staff_item):
    return staff_item(
        category="sea", message="The driver asked a woman for sex for a place in the van"
    )


@pytest.mark.parametrize("persona", OTHERS)
def test_sensitive_complaint_is_invisible_on_pages(world, client, sea, persona):
    client.force_login(world.users[persona])
    assert client.get(f"/feedback/{sea.pk}/").status_code == 404
    assert (
        client.post(
            f"/feedback/{sea.pk}/step/", {"status": "acknowledged", "version": 1}
        ).status_code
        == 404
    )
    listing = client.get("/feedback/")
    if listing.status_code == 200:
        assert sea.reference not in listing.content.decode()
    assert not rules.readable_items(world.users[persona]).filter(pk=sea.pk).exists()


@pytest.mark.parametrize("persona", OTHERS)
def test_sensitive_complaint_is_invisible_in_the_api(world, api_as, sea, persona):
    api = api_as(world.users[persona])
    listed = api.get("/api/v1/feedback", {"project": world.calais.pk}).json()
    assert sea.reference not in str(listed)
    patch = api.patch(
        "/api/v1/feedback", {"reference": sea.reference, "version": 1, "status": "acknowledged"}
    )
    assert patch.status_code == 404
    assert FeedbackItem.objects.get(pk=sea.pk).status == "received"


def test_safeguarding_reads_and_handles_it(world, client, api_as, sea):
    client.force_login(world.safeguarding)
    page = client.get(f"/feedback/{sea.pk}/")
    assert page.status_code == 200 and "asked a woman" in page.content.decode()
    listed = api_as(world.safeguarding).get("/api/v1/feedback").json()
    assert [r["reference"] for r in listed["results"]] == [sea.reference]
    assert listed["results"][0]["sensitive"] is True


def test_safeguarding_does_not_read_open_items(world, client, staff_item):
    item = staff_item(category="suggestion")
    client.force_login(world.safeguarding)
    assert client.get(f"/feedback/{item.pk}/").status_code == 404


def test_statistics_count_sensitive_items_only_as_a_total(world, client, sea, staff_item):
    staff_item(category="suggestion")
    staff_item(category="fraud", message="Someone sold places in the queue")
    client.force_login(world.meal)
    page = client.get("/feedback/statistics/").content.decode()
    assert "of which 2 sensitive items" in page
    assert "Sexual exploitation" not in page and "Fraud" not in page
    assert "Suggestion" in page
    client.force_login(world.safeguarding)
    page = client.get("/feedback/statistics/").content.decode()
    assert "Sexual exploitation and abuse (SEA)" in page and "Fraud or corruption" in page
    assert "Suggestion" not in page  # not theirs to count


def test_raising_sensitivity_hides_an_item_from_the_coordinator(world, client, staff_item):
    item = staff_item(category="service_complaint")
    client.force_login(world.coordinator)
    response = client.post(
        f"/feedback/{item.pk}/edit/",
        {"version": 1, "category": "service_complaint", "sensitivity_raised": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.sensitive and item.sensitivity_raised
    assert client.get(f"/feedback/{item.pk}/").status_code == 404
    # Reclassifying does not lower a raised sensitivity, and only
    # safeguarding may lower it.
    with pytest.raises(PermissionDenied):
        services.feedback_update(
            actor=world.coordinator,
            item=item,
            version=item.version,
            data={"sensitivity_raised": False},
        )
    services.feedback_update(
        actor=world.safeguarding,
        item=item,
        version=item.version,
        data={"sensitivity_raised": False},
    )
    item.refresh_from_db()
    assert not item.sensitive


def test_unclassified_public_message_goes_to_safeguarding_first(world, submit, client):
    item = submit(topic="")
    client.force_login(world.coordinator)
    assert client.get(f"/feedback/{item.pk}/").status_code == 404
    client.force_login(world.safeguarding)
    assert client.get(f"/feedback/{item.pk}/").status_code == 200
    services.feedback_update(
        actor=world.safeguarding, item=item, version=1, data={"category": "info_request"}
    )
    client.force_login(world.coordinator)
    assert client.get(f"/feedback/{item.pk}/").status_code == 200


def test_sensitive_handler_must_be_a_safeguarding_focal_point(world, sea):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.feedback_update(
            actor=world.safeguarding, item=sea, version=1, data={"handler": world.coordinator}
        )
    assert "handler" in error.value.message_dict
    services.feedback_update(
        actor=world.safeguarding, item=sea, version=1, data={"handler": world.safeguarding}
    )
