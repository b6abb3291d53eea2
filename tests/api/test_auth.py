from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from parcours.accounts.models import ApiToken
from parcours.audit.models import AuditEvent
from tests.conftest import ApiClient

TOKEN_URL = "/api/v1/auth/token"


def test_token_issued_for_right_credentials_and_usable(world, password, api_as):
    response = api_as(None).post(TOKEN_URL, {"username": "reception", "password": password})
    assert response.status_code == 200
    body = response.json()
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert timezone.now() + timedelta(days=89) < expires_at < timezone.now() + timedelta(days=91), (
        "90 days by default (PARCOURS_API_TOKEN_DAYS)"
    )
    assert body["read_only"] is False
    token = ApiToken.objects.get(user=world.reception)
    assert token.key_hash != body["token"], "only the hash is stored"
    event = AuditEvent.objects.get(event="api.token_issue")
    assert (event.actor, event.subject_id) == (world.reception, str(world.reception.pk))
    listed = ApiClient(api_as(None).client, body["token"]).get("/api/v1/projects")
    assert listed.status_code == 200
    assert [p["code"] for p in listed.json()] == ["CAL"]


def test_wrong_password_gets_401_and_no_token(world, api_as):
    response = api_as(None).post(TOKEN_URL, {"username": "reception", "password": "guess"})
    assert response.status_code == 401
    assert "detail" in response.json()
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(event="api.token_issue").exists()


def test_inactive_user_gets_no_token(world, password, api_as):
    world.reception.is_active = False
    world.reception.save()
    response = api_as(None).post(TOKEN_URL, {"username": "reception", "password": password})
    assert response.status_code == 401


def test_token_request_without_fields_lists_them(world, api_as):
    response = api_as(None).post(TOKEN_URL, {"username": "reception"})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "password"]]
    assert api_as(None).post(TOKEN_URL, "{not json").status_code == 400


def test_missing_bad_and_expired_tokens_get_401(world, api_as, client):
    assert api_as(None).get("/api/v1/persons").status_code == 401
    response = ApiClient(client, "not-a-token").get("/api/v1/persons")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Basic abc").status_code == 401
    token, raw = ApiToken.issue(world.reception)
    assert ApiClient(client, raw).get("/api/v1/persons").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = ApiClient(client, raw).get("/api/v1/persons")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_token_of_deactivated_user_stops_working(world, api_as):
    api = api_as(world.reception)
    world.reception.is_active = False
    world.reception.save()
    assert api.get("/api/v1/persons").status_code == 401


def test_web_session_does_not_authenticate_the_api(world, make_person):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.coordinator)
    response = browser.post(
        "/api/v1/persons",
        {"project": world.calais.pk, "given_name": "Forged"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert browser.get("/api/v1/persons").status_code == 401


def test_bearer_token_needs_no_csrf_token(world):
    _token, raw = ApiToken.issue(world.reception)
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/api/v1/persons",
        {"project": world.calais.pk, "given_name": "Selam"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201
