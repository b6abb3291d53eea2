"""Handling an item: received → acknowledged → in progress → responded →
closed; deadlines, the response and how it was given, a handler, every step
audited; bad moves refused with a clear message and nothing half-written."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.audit.events import Event
from parcours.audit.models import AuditEvent
from parcours.feedback import services
from parcours.feedback.models import FeedbackItem, FeedbackStep


def _step(client, item, **data):
    return client.post(f"/feedback/{item.pk}/step/", {"version": item.version, **data})


def test_the_whole_lifecycle_on_the_page(world, client, staff_item):
    item = staff_item()
    client.force_login(world.coordinator)
    assert _step(client, item, status="acknowledged").status_code == 302
    item.refresh_from_db()
    assert (
        item.status == "acknowledged" and item.acknowledged_at and item.handler == world.coordinator
    )
    assert _step(client, item, status="in_progress").status_code == 302
    item.refresh_from_db()
    response = _step(
        client,
        item,
        status="responded",
        response="We added a second queue.",
        response_method="in_person",
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "responded" and item.response == "We added a second queue."
    assert _step(client, item, status="closed").status_code == 302
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_at
    events = AuditEvent.objects.filter(subject_id=str(item.pk), event=Event.FEEDBACK_STATUS)
    assert events.count() == 4
    assert FeedbackStep.objects.filter(item=item).count() == 4
    page = client.get(f"/feedback/{item.pk}/").content.decode()
    assert "This item is closed" in page


def test_a_skipped_step_needs_a_note(world, client, staff_item):
    item = staff_item()
    client.force_login(world.coordinator)
    response = _step(client, item, status="in_progress")
    assert response.status_code == 200
    assert "Skipping a step needs a note" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "received" and item.version == 1
    assert not FeedbackStep.objects.exists()
    ok = _step(client, item, status="in_progress", note="Acknowledged by phone right away")
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress" and item.acknowledged_at is not None


def test_responded_needs_the_response_and_how(world, staff_item):
    item = staff_item()
    services.feedback_move(actor=world.meal, item=item, version=1, to_status="acknowledged")
    item.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.feedback_move(
            actor=world.meal, item=item, version=2, to_status="responded", note="Answered at once"
        )
    assert {"response", "response_method"} <= set(error.value.message_dict)


def test_no_step_backwards(world, staff_item):
    item = staff_item()
    services.feedback_move(actor=world.meal, item=item, version=1, to_status="acknowledged")
    with pytest.raises(ValidationError):
        services.feedback_move(actor=world.meal, item=item, version=2, to_status="received")


def test_a_closed_item_is_not_edited_again(world, client, api_as, staff_item):
    item = staff_item()
    services.feedback_move(
        actor=world.coordinator,
        item=item,
        version=1,
        to_status="closed",
        note="Duplicate of another message",
    )
    item.refresh_from_db()
    client.force_login(world.coordinator)
    response = client.post(
        f"/feedback/{item.pk}/edit/", {"version": item.version, "category": "suggestion"}
    )
    assert "This item is closed" in response.content.decode()
    item.refresh_from_db()
    assert item.category == "service_complaint"
    api = api_as(world.coordinator)
    response = api.patch(
        "/api/v1/feedback",
        {"reference": item.reference, "version": item.version, "category": "positive"},
    )
    assert response.status_code == 422
    assert "closed" in str(response.json())


def test_stale_edit_gives_a_clear_message_and_409_in_the_api(world, client, api_as, staff_item):
    item = staff_item()
    services.feedback_move(actor=world.meal, item=item, version=1, to_status="acknowledged")
    client.force_login(world.coordinator)
    response = client.post(
        f"/feedback/{item.pk}/step/", {"version": 1, "status": "in_progress"}, follow=True
    )
    assert "Someone else changed this item" in response.content.decode()
    response = api_as(world.coordinator).patch(
        "/api/v1/feedback", {"reference": item.reference, "version": 1, "status": "in_progress"}
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    item.refresh_from_db()
    assert item.status == "acknowledged"


def test_deadlines_per_project_and_overdue_flagged_to_the_handler(world, client, staff_item):
    services.settings_save(
        actor=world.coordinator,
        project=world.calais,
        acknowledge_days=2,
        respond_days=10,
        version=0,
    )
    item = staff_item(received_at=timezone.now() - timedelta(days=5))
    assert item.acknowledge_due == timezone.localdate() - timedelta(days=3)
    services.feedback_update(
        actor=world.coordinator, item=item, version=1, data={"handler": world.meal}
    )
    assert services.overdue_for_handler(world.meal).count() == 1
    assert services.overdue_for_handler(world.coordinator).count() == 0
    client.force_login(world.meal)
    home = client.get("/").content.decode()
    assert item.reference in home
    listing = client.get("/feedback/?overdue=1&mine=1").content.decode()
    assert item.reference in listing and "overdue" in listing


def test_deadline_settings_are_checked_and_versioned(world, client):
    client.force_login(world.coordinator)
    bad = client.post(
        f"/feedback/project/{world.calais.pk}/settings/",
        {"version": 0, "acknowledge_days": 40, "respond_days": 30},
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/feedback/project/{world.calais.pk}/settings/",
        {"version": 0, "acknowledge_days": 3, "respond_days": 20},
    )
    assert ok.status_code == 302
    stale = client.post(
        f"/feedback/project/{world.calais.pk}/settings/",
        {"version": 0, "acknowledge_days": 4, "respond_days": 20},
        follow=True,
    )
    assert "changed these deadlines meanwhile" in stale.content.decode()
    assert services.deadlines(world.calais).acknowledge_days == 3


def test_staff_record_from_another_channel(world, client):
    client.force_login(world.reception)
    response = client.post(
        "/feedback/new/",
        {
            "project": world.calais.pk,
            "site": world.calais_day_centre.pk,
            "channel": "suggestion_box",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "language": "ti",
            "category": "staff_conduct",
            "message": "ሰራሕተኛ ጸሪፉና",
        },
    )
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert item.recorded_by == world.reception and item.channel == "suggestion_box"
    assert item.sensitive and item.message == "ሰራሕተኛ ጸሪፉና"
    # Reception records it but does not read it afterwards.
    assert client.get(f"/feedback/{item.pk}/").status_code == 404
    assert AuditEvent.objects.filter(event=Event.FEEDBACK_RECORD, subject_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"message": ""}, "message"),
        ({"message": "x" * 100_000}, "message"),
        ({"message": "\x00\x01junk"}, "message"),
        ({"channel": "web"}, "channel"),
        ({"category": "gossip"}, "category"),
    ],
    ids=["empty", "100k", "binary", "web-channel", "category"],
)
def test_bad_staff_records_save_nothing(world, client, data, field):
    client.force_login(world.reception)
    body = {
        "project": world.calais.pk,
        "channel": "phone",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "message": "Hello",
        **data,
    }
    response = client.post("/feedback/new/", body)
    assert response.status_code == 400
    assert not FeedbackItem.objects.exists()


def test_recording_in_another_project_is_refused(world, client):
    client.force_login(world.reception)
    response = client.post(
        "/feedback/new/",
        {
            "project": world.dunkerque.pk,
            "channel": "phone",
            "received_at": "2026-11-20T10:00",
            "message": "Hi",
        },
    )
    assert response.status_code == 400
    assert not FeedbackItem.objects.exists()
