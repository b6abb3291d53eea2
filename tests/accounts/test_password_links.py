"""An administrator's password reset: a one-time, expiring link that the user
follows to choose a password; every session and token of the user ends.
Sign-out and a password change end the user's other sessions."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse

from parcours.accounts import services
from parcours.accounts.models import ApiToken
from parcours.audit.models import AuditEvent
from tests.conftest import ApiClient
from tests.personas import PASSWORD

NEW = "un autre mot de passe assez long"


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are compared in English (requests default to French)."""
    settings.LANGUAGE_CODE = "en"


def signed_in(client) -> bool:
    return client.get(reverse("accounts:preferences")).status_code == 200


def test_reset_ends_sessions_and_tokens_and_the_link_works_once(world, client):
    tablet = Client()
    tablet.force_login(world.doctor)
    _token, raw = ApiToken.issue(world.doctor)
    assert ApiClient(Client(), raw).get("/api/v1/projects").status_code == 200

    path = services.user_reset_password(actor=world.admin, user=world.doctor)

    assert not signed_in(tablet), "every session ended"
    response = ApiClient(Client(), raw).get("/api/v1/projects")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    assert authenticate(username="doctor", password=PASSWORD) is None
    page = client.get(path)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    response = client.post(path, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert authenticate(username="doctor", password=NEW) == world.doctor
    assert AuditEvent.objects.filter(event="user.password_chosen", actor=world.doctor).exists()
    # Used: the link no longer works, not even to set the same password again.
    again = client.post(path, {"new_password1": "third password, long", "new_password2": "x"})
    assert again.status_code == 404
    assert authenticate(username="doctor", password=NEW) == world.doctor


def test_link_expires(world, client, settings):
    path = services.user_reset_password(actor=world.admin, user=world.doctor)
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(default_token_generator, "_now", return_value=later):
        response = client.get(path)
    assert response.status_code == 404
    assert "already used, it has expired" in response.content.decode()


def test_link_follows_the_password_rules(world, client):
    path = services.user_reset_password(actor=world.admin, user=world.doctor)
    response = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert not authenticate(username="doctor", password="12345678")


@pytest.mark.parametrize(
    ("uid", "token"),
    [("Mw", "nope"), ("!!", "x-y"), ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "a-b"), ("", "")],
)
def test_forged_links_are_404_not_500(world, client, uid, token):
    url = f"/accounts/password/choose/{uid}/{token}/"
    response = client.get(url)
    assert response.status_code == 404


def test_a_deactivated_account_cannot_use_its_link(world, client):
    path = services.user_reset_password(actor=world.admin, user=world.doctor)
    services.user_deactivate(actor=world.admin, user=world.doctor)
    assert client.get(path).status_code == 404


def test_sign_out_ends_every_session_of_the_user(world):
    laptop, tablet, other = Client(), Client(), Client()
    for browser in (laptop, tablet):
        browser.post("/accounts/login/", {"username": "doctor", "password": PASSWORD})
    other.post("/accounts/login/", {"username": "lawyer", "password": PASSWORD})
    assert signed_in(laptop) and signed_in(tablet)
    tablet.post(reverse("accounts:logout"))
    assert not signed_in(tablet) and not signed_in(laptop)
    assert signed_in(other), "other users keep their sessions"


def test_password_change_ends_the_other_sessions_only(world):
    laptop, tablet = Client(), Client()
    for browser in (laptop, tablet):
        browser.post("/accounts/login/", {"username": "doctor", "password": PASSWORD})
    response = laptop.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert signed_in(laptop), "the session that changed it goes on"
    assert not signed_in(tablet)


def test_deactivation_revokes_tokens_for_good(world):
    _token, raw = ApiToken.issue(world.doctor)
    services.user_deactivate(actor=world.admin, user=world.doctor)
    response = ApiClient(Client(), raw).get("/api/v1/projects")
    assert response.status_code == 401
    services.user_reactivate(actor=world.admin, user=world.doctor)
    response = ApiClient(Client(), raw).get("/api/v1/projects")
    assert response.status_code == 401, "a reactivation gives no token back"
    assert "revoked" in response.json()["detail"]
