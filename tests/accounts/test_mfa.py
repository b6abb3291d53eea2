"""Two-factor sign-in: enrolment at first sign-in, the code step, recovery
codes, the lockout, who must have it, and the API token endpoint."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken

from parcours.accounts import mfa
from parcours.accounts.models import ApiToken, SignInFailure
from parcours.accounts.models import AuthenticatorDevice as TOTPDevice
from parcours.audit.models import AuditEvent
from tests.personas import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are compared in English (requests default to French)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.PARCOURS_MFA = "required-for-clinical"
    # Without django-otp's growing delay after a wrong code, so that a test can
    # give a right code just after a wrong one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device, steps_ahead=0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods later: django-otp
    refuses a code of a period already used)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, username, password=PASSWORD, next_url=None):
    # Before sign-in the interface speaks the language chosen on the sign-in page.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def enrol(client, username) -> tuple[TOTPDevice, list[str]]:
    """First sign-in of an account that must have a second factor."""
    response = sign_in(client, username)
    assert response["Location"] == reverse("accounts:mfa_enrol")
    page = client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(confirmed=False, user__username=username)
    response = client.post(reverse("accounts:mfa_enrol"), {"code": code_for(device)})
    assert response.status_code == 200, page.content.decode()[:500]
    return TOTPDevice.objects.get(pk=device.pk), response.context["codes"]


def signed_in_as(client) -> str | None:
    response = client.get(reverse("accounts:preferences"))
    return response.context["user"].username if response.status_code == 200 else None


def test_clinician_enrols_at_first_sign_in_with_a_qr_code(world, client):
    response = sign_in(client, "doctor")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_enrol")
    assert signed_in_as(client) is None, "not signed in before the second factor"
    page = client.get(reverse("accounts:mfa_enrol"))
    html = page.content.decode()
    assert "<svg" in html and "<path" in html, "the QR code is an inline SVG"
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    ), "no third-party origin"
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=world.doctor, confirmed=False)
    assert "Parcours" in device.config_url

    response = client.post(reverse("accounts:mfa_enrol"), {"code": code_for(device)})
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(c in response.content.decode() for c in codes), "shown once, here"
    assert signed_in_as(client) == "doctor"
    device.refresh_from_db()
    assert device.confirmed
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not stored & set(codes), "recovery codes are kept as hashes only"
    assert AuditEvent.objects.filter(event="mfa.enrol", subject_id=str(world.doctor.pk)).exists()


def test_enrolled_clinician_signs_in_with_a_code(world, client):
    device, _codes = enrol(client, "doctor")
    client.post(reverse("accounts:logout"))
    other = Client()
    response = sign_in(other, "doctor", next_url="/people/")
    assert response["Location"] == reverse("accounts:mfa_verify")
    assert signed_in_as(other) is None
    response = other.post(reverse("accounts:mfa_verify"), {"code": code_for(device, 1)})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert signed_in_as(other) == "doctor"


def test_wrong_code_is_refused_and_counts_towards_the_lockout(world, client, settings):
    device, _codes = enrol(client, "doctor")
    client.post(reverse("accounts:logout"))
    browser = Client()
    sign_in(browser, "doctor")
    right = code_for(device, 1)
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(settings.PARCOURS_LOCKOUT_ATTEMPTS - 1):
        response = browser.post(reverse("accounts:mfa_verify"), {"code": wrong})
        assert response.status_code == 200
        assert "Wrong code" in response.content.decode()
    assert SignInFailure.objects.filter(username="doctor").count() == 4
    response = browser.post(reverse("accounts:mfa_verify"), {"code": wrong}, follow=True)
    assert "Too many failed attempts" in response.content.decode()
    assert signed_in_as(browser) is None
    # Locked: even the right password and the right code are refused now.
    response = sign_in(browser, "doctor")
    assert response.status_code == 200 and "Too many failed attempts" in response.content.decode()
    assert browser.post(reverse("accounts:mfa_verify"), {"code": right}).status_code == 302
    assert signed_in_as(browser) is None


def test_recovery_code_works_once(world, client):
    _device, codes = enrol(client, "doctor")
    client.post(reverse("accounts:logout"))
    first = Client()
    sign_in(first, "doctor")
    response = first.post(reverse("accounts:mfa_verify"), {"code": codes[0].upper()}, follow=True)
    assert signed_in_as(first) == "doctor"
    assert "9 left" in response.content.decode()
    assert AuditEvent.objects.filter(event="mfa.recovery_use").count() == 1
    second = Client()
    sign_in(second, "doctor")
    response = second.post(reverse("accounts:mfa_verify"), {"code": codes[0]})
    assert response.status_code == 200 and "Wrong code" in response.content.decode()
    assert signed_in_as(second) is None
    assert SignInFailure.objects.filter(username="doctor").count() == 1
    assert mfa.recovery_codes_left(world.doctor) == 9


def test_new_recovery_codes_replace_the_old_ones(world, client):
    _device, codes = enrol(client, "doctor")
    response = client.post(reverse("accounts:mfa_recovery_codes"))
    fresh = response.context["codes"]
    assert not set(fresh) & set(codes)
    assert mfa.verify(world.doctor, codes[1]) is None
    assert mfa.verify(world.doctor, fresh[1]) is not None


def test_roles_that_open_no_record_sign_in_with_a_password_only(world, client):
    for username in ("meal", "advocacy", "logistics", "admin", "safeguarding"):
        browser = Client()
        response = sign_in(browser, username)
        assert response["Location"] == "/", username
        assert signed_in_as(browser) == username


def test_every_role_that_opens_a_person_needs_the_second_factor(world):
    needing = {
        name for name, user in world.users.items() if name != "nobody" and mfa.required(user)
    }
    assert needing == {
        "coordinator",
        "doctor",
        "psychologist",
        "social_worker",
        "lawyer",
        "outreach",
        "reception",
        "referent",
        "dunkerque_doctor",
    }


def test_all_and_off_settings(world, settings, client):
    settings.PARCOURS_MFA = "all"
    assert sign_in(Client(), "meal")["Location"] == reverse("accounts:mfa_enrol")
    settings.PARCOURS_MFA = "off"
    assert sign_in(Client(), "doctor")["Location"] == "/"


def test_optional_enrolment_then_every_sign_in_asks_for_a_code(world, client):
    client.post(LOGIN, {"username": "meal", "password": PASSWORD})
    assert "Off" in client.get(reverse("accounts:mfa")).content.decode()
    client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(user=world.meal)
    response = client.post(reverse("accounts:mfa_enrol"), {"code": code_for(device)})
    assert len(response.context["codes"]) == 10
    assert signed_in_as(client) == "meal", "the session goes on, verified"
    assert sign_in(Client(), "meal")["Location"] == reverse("accounts:mfa_verify")


def test_a_session_without_second_factor_is_ended_when_one_is_needed(world, client):
    client.force_login(world.doctor)  # e.g. opened while two-factor was off
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert signed_in_as(client) is None


def test_a_role_that_opens_records_given_during_a_session_asks_for_the_code(world, client):
    from parcours.accounts.models import Membership

    sign_in(client, "meal")
    assert signed_in_as(client) == "meal"
    Membership.objects.create(user=world.meal, project=world.calais, role="reception")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_api_token_needs_the_code_of_an_enrolled_account(world, client):
    device, _codes = enrol(client, "doctor")
    api = Client()
    url = "/api/v1/auth/token"

    def ask(**extra):
        body = {"username": "doctor", "password": PASSWORD, **extra}
        return api.post(url, body, content_type="application/json")

    response = ask()
    assert response.status_code == 401 and "otp" in response.json()["detail"]
    response = ask(otp="000000" if code_for(device, 1) != "000000" else "111111")
    assert response.status_code == 401
    assert SignInFailure.objects.filter(username="doctor", channel="api").count() == 1
    response = ask(otp=code_for(device, 1))
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=world.doctor).count() == 1


def test_api_token_refused_to_a_clinician_not_yet_enrolled(world, client):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "doctor", "password": PASSWORD, "otp": "123456"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert "sign in on the web" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_pending_sign_in_without_password_step_goes_back_to_sign_in(world, client):
    assert client.get(reverse("accounts:mfa_verify"))["Location"] == LOGIN
    assert client.post(reverse("accounts:mfa_verify"), {"code": "123456"})["Location"] == LOGIN
    assert client.get(reverse("accounts:mfa_enrol"))["Location"] == LOGIN


@pytest.mark.parametrize("junk", ["", " ", "x" * 40, "12345\x00", "١٢٣٤٥٦", "' OR 1=1 --"])
def test_junk_codes_are_refused_without_error(world, client, junk):
    enrol(client, "doctor")
    client.post(reverse("accounts:logout"))
    browser = Client()
    sign_in(browser, "doctor")
    response = browser.post(reverse("accounts:mfa_verify"), {"code": junk})
    assert response.status_code == 200
    assert signed_in_as(browser) is None


def test_the_demo_runs_without_two_factor_unless_asked():
    from parcours.cli import demo_environment

    plain, asked, chosen = {}, {}, {"PARCOURS_MFA": "all"}
    demo_environment(["parcours", "demo"], plain)
    demo_environment(["parcours", "demo", "--mfa"], asked)
    demo_environment(["parcours", "demo"], chosen)
    assert plain["PARCOURS_MFA"] == "off"
    assert asked["PARCOURS_MFA"] == "required-for-clinical"
    assert chosen["PARCOURS_MFA"] == "all"


def test_totp_secret_is_encrypted_at_rest_and_sign_in_still_works(world, client):
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice as ClearTOTPDevice

    from parcours.lib import crypto

    device, _codes = enrol(client, "doctor")
    table = connection.ops.quote_name(TOTPDevice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {table} WHERE id = %s", [device.pk])  # noqa: S608
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc2:") and device.key not in raw
    assert not ClearTOTPDevice.objects.exists(), "no secret in django-otp's clear table"

    other = Client()
    sign_in(other, "doctor")
    response = other.post(reverse("accounts:mfa_verify"), {"code": code_for(device, 1)})
    assert response.status_code == 302 and signed_in_as(other) == "doctor"

    # A secret copied onto another user's device row does not decrypt.
    victim, _ = enrol(Client(), "psychologist")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET key = %s WHERE id = %s", [raw, victim.pk])  # noqa: S608
    with pytest.raises(crypto.DecryptionError):
        _ = TOTPDevice.objects.get(pk=victim.pk).key


def test_migration_moves_clear_totp_secrets_into_encrypted_devices(world):
    import importlib

    from django.apps import apps
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice as ClearTOTPDevice

    clear = ClearTOTPDevice.objects.create(user=world.doctor, name="authenticator", last_t=42)
    migration = importlib.import_module("parcours.accounts.migrations.0005_totp_key_encrypted")

    class Editor:
        pass

    Editor.connection = connection
    migration.move_keys(apps, Editor)

    assert not ClearTOTPDevice.objects.exists()
    moved = TOTPDevice.objects.get(user=world.doctor)
    assert (moved.key, moved.last_t, moved.confirmed) == (clear.key, 42, True)
    assert code_for(moved) == code_for(clear)
