"""Headers on every response, the app's own error pages, /healthz, the
session limits, and the production server's log format."""

import pytest
from django.test import override_settings
from django.urls import reverse

from parcours.ops.management.commands.serve import ACCESS_LOG_FORMAT, default_workers
from parcours.ops.middleware import SIGNED_IN_AT


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/people/", "/api/v1/openapi.json"])
def test_every_answer_says_no_store_and_the_security_headers(client, world, path):
    client.force_login(world.coordinator)
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_a_person_page_is_not_cached(client, world, make_person):
    person = make_person()
    client.force_login(world.coordinator)
    response = client.get(reverse("dossier:person", args=[person.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_not_found_is_the_apps_own_page_in_french_and_english(client, world):
    world.coordinator.language = "fr"
    world.coordinator.save(update_fields=["language"])
    client.force_login(world.coordinator)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page introuvable" in body
    assert "Traceback" not in body and "urlpatterns" not in body.lower()
    world.coordinator.language = "en"
    world.coordinator.save(update_fields=["language"])
    assert "Page not found" in client.get("/no/such/page/").content.decode()


@override_settings(ROOT_URLCONF="tests.ops.boom_urls")
@pytest.mark.parametrize("language", ["fr", "en"])
def test_server_error_page_reveals_nothing(client, world, language):
    client.raise_request_exception = False
    world.coordinator.language = language
    world.coordinator.save(update_fields=["language"])
    client.force_login(world.coordinator)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "hunter2" not in body and "Traceback" not in body and "DATABASE_URL" not in body
    assert ("Un problème" in body) if language == "fr" else ("Something went wrong" in body)


def test_healthz_checks_database_migrations_and_key(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "encryption_key": "ok"},
    }
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_healthz_fails_when_the_key_does_not_match(client, db, settings):
    from parcours.lib import crypto
    from parcours.vault import canary

    canary.record()
    settings.PARCOURS_ENCRYPTION_KEYS = [
        crypto.generate_key(crypto.current_key_id()),  # same id, other key material
    ]
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["encryption_key"] == "failing"


def test_sessions_end_12_hours_after_sign_in_however_active(client, world, settings):
    client.force_login(world.coordinator)
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] -= settings.PARCOURS_SESSION_MAX_SECONDS + 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 302  # signed out, not just redirected once


def _clocks_ahead(monkeypatch, seconds):
    """Both clocks the session limits read (the middleware's and the session
    store's) moved ``seconds`` ahead."""
    import time as time_module
    from datetime import timedelta

    from django.utils import timezone

    real_time, real_now = time_module.time, timezone.now
    monkeypatch.setattr(time_module, "time", lambda: real_time() + seconds)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=seconds))


def test_sessions_expire_after_30_minutes_idle(client, world, settings, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(world.coordinator)
    assert client.get("/").status_code == 200
    with monkeypatch.context() as later:
        _clocks_ahead(later, 29 * 60)
        assert client.get("/").status_code == 200  # active again: the idle clock restarts
    with monkeypatch.context() as later:
        _clocks_ahead(later, 29 * 60 + 29 * 60)
        assert client.get("/").status_code == 200
    with monkeypatch.context() as later:
        _clocks_ahead(later, 29 * 60 + 29 * 60 + 31 * 60)
        response = client.get("/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_idle_clock_is_renewed_at_most_once_a_minute(client, world, settings, monkeypatch):
    """A page view within a minute of the last renewal writes no session."""
    client.force_login(world.coordinator)
    first = client.get("/")
    assert settings.SESSION_COOKIE_NAME in first.cookies  # renewed: saved and sent again
    again = client.get("/")
    assert settings.SESSION_COOKIE_NAME not in again.cookies
    with monkeypatch.context() as later:
        _clocks_ahead(later, settings.PARCOURS_SESSION_RENEW_SECONDS + 1)
        assert settings.SESSION_COOKIE_NAME in client.get("/").cookies


def test_server_logs_paths_without_query_strings():
    assert "%(U)s" in ACCESS_LOG_FORMAT and "%(r)s" not in ACCESS_LOG_FORMAT
    assert "%(q)s" not in ACCESS_LOG_FORMAT
    assert default_workers() >= 3
