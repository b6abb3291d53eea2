"""Sign-in lockout (page and API token), the password policy."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.accounts.models import SignInFailure
from tests.personas import PASSWORD


def _sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_account_even_with_the_right_password(client, world):
    for _ in range(5):
        assert _sign_in(client, "doctor", "wrong password").status_code == 200
    response = _sign_in(client, "doctor", PASSWORD)
    assert response.status_code == 200  # the form again, not a redirect
    assert response.context["form"].non_field_errors().as_data()[0].code == "locked"
    assert "Trop d’essais infructueux" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInFailure.objects.filter(username="doctor").count() == 6


def test_the_message_is_the_same_for_an_account_that_does_not_exist(client, world):
    for _ in range(5):
        _sign_in(client, "nobody-at-all", "x")
        _sign_in(client, "doctor", "x")
    unknown = _sign_in(client, "nobody-at-all", "x").context["form"].non_field_errors()
    known = _sign_in(client, "doctor", PASSWORD).context["form"].non_field_errors()
    assert list(unknown) == list(known)


def test_one_address_is_locked_across_account_names(client, world):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _sign_in(client, name, "x")
    response = _sign_in(client, "doctor", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors().as_data()[0].code == "locked"


def test_the_lock_ends_after_the_cooling_off_period(client, world, settings):
    for _ in range(5):
        _sign_in(client, "doctor", "wrong")
    SignInFailure.objects.update(at=SignInFailure.objects.first().at.replace(year=2020))
    assert _sign_in(client, "doctor", PASSWORD).status_code == 302


def test_a_successful_sign_in_starts_the_count_again(client, world):
    for _ in range(4):
        _sign_in(client, "doctor", "wrong")
    assert _sign_in(client, "doctor", PASSWORD).status_code == 302
    client.logout()
    # From another address (the first one has 4 failures of its own).
    for _ in range(4):
        _sign_in(client, "doctor", "wrong", address="10.0.0.7")
    assert _sign_in(client, "doctor", PASSWORD, address="10.0.0.7").status_code == 302


def test_the_token_endpoint_locks_too(client, world):
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/token",
            {"username": "doctor", "password": "wrong"},
            content_type="application/json",
        )
        assert response.status_code == 401
    response = client.post(
        "/api/v1/auth/token",
        {"username": "doctor", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert "detail" in response.json()


@pytest.mark.parametrize("password", ["12345678", "short-pass", "123456789012", "password1234"])
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.doctor)


def test_the_current_password_cannot_be_chosen_again(world):
    world.doctor.set_password("a long enough pass phrase")
    with pytest.raises(ValidationError) as refused:
        validate_password("a long enough pass phrase", world.doctor)
    assert [e.code for e in refused.value.error_list] == ["password_reused"]
    validate_password("another long pass phrase", world.doctor)
