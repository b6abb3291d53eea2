"""API tokens: named, expiring, read-only if asked, last use recorded at most
once a minute, listed and revoked by their owner, revoked by an administrator;
a token that no longer works gets 401 with the reason."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.models import ApiToken
from parcours.audit.models import AuditEvent
from tests.conftest import ApiClient
from tests.personas import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are compared in English (requests default to French)."""
    settings.LANGUAGE_CODE = "en"


def api(raw) -> ApiClient:
    return ApiClient(Client(), raw)


def test_expired_token_gets_401_with_the_reason(world):
    token, raw = ApiToken.issue(world.reception)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api(raw).get("/api/v1/persons")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_revoked_token_gets_401_with_the_reason(world, client):
    token, raw = ApiToken.issue(world.reception, name="KoBo")
    client.force_login(world.reception)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    response = api(raw).post("/api/v1/persons", {"given_name": "x"})
    assert response.status_code == 401
    assert response.json() == {"detail": "This token was revoked."}
    assert AuditEvent.objects.filter(event="api.token_revoke").count() == 1


def test_unknown_token_gets_the_plain_401(world):
    response = api("x" * 43).get("/api/v1/persons")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_read_only_token_reads_and_is_refused_writes_with_a_reason(world):
    _token, raw = ApiToken.issue(world.reception, read_only=True)
    assert api(raw).get("/api/v1/persons").status_code == 200
    response = api(raw).post("/api/v1/persons", {"project": world.calais.pk, "given_name": "Selam"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    from parcours.people.models import Person

    assert not Person.objects.exists()


def test_read_only_token_from_the_endpoint(world):
    response = api(None).post(
        "/api/v1/auth/token",
        {"username": "reception", "password": PASSWORD, "name": "dashboard", "read_only": True},
    )
    assert response.status_code == 200 and response.json()["read_only"] is True
    token = ApiToken.objects.get()
    assert (token.name, token.read_only) == ("dashboard", True)
    too_long = api(None).post(
        "/api/v1/auth/token", {"username": "reception", "password": PASSWORD, "days": 365}
    )
    assert too_long.status_code == 422


def test_last_use_is_written_at_most_once_a_minute(world):
    token, raw = ApiToken.issue(world.reception)
    client = api(raw)
    client.get("/api/v1/projects")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/projects")
    token.refresh_from_db()
    assert token.last_used_at == first, "not rewritten within the minute"
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/projects")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


def test_deactivated_user_token_stops_at_the_next_request(world):
    _token, raw = ApiToken.issue(world.reception)
    assert api(raw).get("/api/v1/persons").status_code == 200
    # Even bypassing the service (which also revokes the tokens).
    type(world.reception).objects.filter(pk=world.reception.pk).update(is_active=False)
    response = api(raw).get("/api/v1/persons")
    assert response.status_code == 401 and "deactivated" in response.json()["detail"]


def test_owner_creates_a_token_shown_once_and_lists_it(world, client):
    client.force_login(world.social_worker)
    response = client.post(
        reverse("accounts:tokens"), {"name": "Import KoBo", "days": 30, "read_only": "on"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["created"]["raw"]
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=world.social_worker)
    assert token.name == "Import KoBo" and token.read_only
    assert timezone.now() + timedelta(days=29) < token.expires_at < timezone.now() + timedelta(31)
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "Import KoBo" in listing and raw not in listing
    assert api(raw).get("/api/v1/projects").status_code == 200


def test_token_form_bad_input_is_a_field_error(world, client):
    client.force_login(world.social_worker)
    for data in ({"name": "", "days": 30}, {"name": "x", "days": 0}, {"name": "x", "days": 91}):
        response = client.post(reverse("accounts:tokens"), data)
        assert response.status_code == 200 and response.context["form"].errors, data
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token_from_their_page(world, client):
    token, raw = ApiToken.issue(world.doctor)
    client.force_login(world.lawyer)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert api(raw).get("/api/v1/projects").status_code == 200


def test_administrator_revokes_anyones_token(world, client):
    token, raw = ApiToken.issue(world.doctor, name="scanner")
    client.force_login(world.admin)
    page = client.get(reverse("org:user_detail", args=[world.doctor.pk])).content.decode()
    assert "scanner" in page
    url = reverse("org:user_token_revoke", args=[world.doctor.pk, token.pk])
    assert client.post(url).status_code == 302
    assert api(raw).get("/api/v1/projects").status_code == 401
    event = AuditEvent.objects.get(event="api.token_revoke")
    assert event.actor == world.admin


def test_openapi_says_how_to_get_a_token(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["BearerToken"]
    assert scheme["scheme"] == "bearer"
    assert "/api/v1/auth/token" in scheme["description"]
    assert "otp" in scheme["description"]
