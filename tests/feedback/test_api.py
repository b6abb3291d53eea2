"""The public POST /api/v1/feedback (no token) with the page's checks, the
staff list within rights, updates with version."""

import pytest

from parcours.feedback import services
from parcours.feedback.models import FeedbackItem

ARABIC = "الطبيب كان لطيفا جدا، شكرا"


def test_public_post_returns_only_a_reference(world, api_as):
    response = api_as(None).post(
        "/api/v1/feedback",
        {"project": "CAL", "language": "ar", "message": ARABIC, "topic": "positive"},
    )
    assert response.status_code == 201
    assert set(response.json()) == {"reference"}
    item = FeedbackItem.objects.get()
    assert item.reference == response.json()["reference"]
    assert item.message == ARABIC and item.language == "ar" and item.channel == "web"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"project": "XXX", "message": "Hi"}, "project"),
        ({"project": "CAL'; DROP TABLE", "message": "Hi"}, "project"),
        ({"project": "CAL", "message": ""}, "message"),
        ({"project": "CAL", "message": "x" * 100_000}, "message"),
        ({"project": "CAL", "message": "\x01\x02\x03"}, "message"),
        ({"project": "CAL", "message": "Hi", "topic": "gossip"}, "topic"),
        ({"project": "CAL", "message": "Hi", "site": 10**30}, "site"),
        ({"project": "CAL", "message": "Hi", "site": 999999}, "site"),
        ({"project": "CAL", "message": "Hi", "language": "xx"}, "language"),
        ({"project": "CAL", "message": "Hi", "language": "<b>"}, "language"),
    ],
    ids=[
        "forged",
        "injection",
        "empty",
        "100k",
        "binary",
        "topic",
        "huge-site",
        "unknown-site",
        "unknown-language",
        "markup-language",
    ],
)
def test_public_post_bad_input_is_422_and_saves_nothing(world, api_as, body, field):
    response = api_as(None).post("/api/v1/feedback", body)
    assert response.status_code == 422, response.content
    assert ["body", field] in [e["loc"] for e in response.json()["detail"]]
    assert not FeedbackItem.objects.exists()


@pytest.mark.parametrize("body", [b"\xff\xfe\x00junk", "{not json", "[]", ""])
def test_public_post_unreadable_body_is_a_client_error(world, client, body):
    response = client.post("/api/v1/feedback", body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert not FeedbackItem.objects.exists()


def test_errors_come_in_the_language_sent(world, api_as):
    response = api_as(None).post(
        "/api/v1/feedback", {"project": "CAL", "language": "ar", "message": ""}
    )
    assert response.json()["detail"][0]["msg"] == "يرجى كتابة رسالتكم."


def test_public_post_rate_limit_holds(world, api_as):
    api = api_as(None)
    for i in range(services.RATE_LIMIT):
        assert (
            api.post("/api/v1/feedback", {"project": "CAL", "message": f"m{i}"}).status_code == 201
        )
    response = api.post("/api/v1/feedback", {"project": "CAL", "message": "one more"})
    assert response.status_code == 429
    assert FeedbackItem.objects.count() == services.RATE_LIMIT


def test_honeypot_in_the_api(world, api_as):
    response = api_as(None).post(
        "/api/v1/feedback", {"project": "CAL", "message": "Hi", "website": "x"}
    )
    assert response.status_code == 422
    assert not FeedbackItem.objects.exists()


def test_staff_list_within_rights_and_project_filter(world, api_as, staff_item):
    calais = staff_item(category="suggestion")
    staff_item(category="suggestion", actor=world.dunkerque_doctor, project=world.dunkerque)
    rows = api_as(world.coordinator).get("/api/v1/feedback", {"project": world.calais.pk}).json()
    assert [r["reference"] for r in rows["results"]] == [calais.reference]
    assert rows["results"][0]["message"] == "The queue is too long"
    assert (
        api_as(world.coordinator)
        .get("/api/v1/feedback", {"project": world.dunkerque.pk})
        .json()["count"]
        == 0
    )
    assert api_as(world.reception).get("/api/v1/feedback").json()["count"] == 0


def test_api_edit_and_refused_step_save_nothing(world, api_as, staff_item):
    """A classification sent with a step that is refused is not saved either."""
    item = staff_item(category="suggestion")
    api = api_as(world.meal)
    both = {"reference": item.reference, "version": 1, "category": "positive"}
    refused = api.patch("/api/v1/feedback", {**both, "status": "closed"})  # skips, no note
    assert refused.status_code == 422
    item.refresh_from_db()
    assert (item.category, item.status, item.version) == ("suggestion", "received", 1)
    assert not item.steps.exists()
    ok = api.patch("/api/v1/feedback", {**both, "status": "acknowledged"})
    assert ok.status_code == 200 and ok.json()["category"] == "positive"


def test_api_update_with_version_and_skip_note(world, api_as, staff_item):
    item = staff_item()
    api = api_as(world.meal)
    skipped = api.patch(
        "/api/v1/feedback", {"reference": item.reference, "version": 1, "status": "responded"}
    )
    assert skipped.status_code == 422
    ok = api.patch(
        "/api/v1/feedback",
        {
            "reference": item.reference.lower().replace("-", ""),
            "version": 1,
            "status": "responded",
            "note": "Answered on the spot by phone",
            "response": "Second queue opened",
            "response_method": "phone",
        },
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["status"] == "responded" and ok.json()["version"] == 2
