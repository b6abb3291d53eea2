from parcours.audit.models import AuditEvent


def test_a_user_changes_their_own_password(world, client, password):
    client.force_login(world.doctor)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
    )
    assert response.status_code == 302
    world.doctor.refresh_from_db()
    assert world.doctor.check_password("a much longer passphrase 42")
    assert AuditEvent.objects.filter(
        event="user.password_change", subject_id=str(world.doctor.pk)
    ).exists()


def test_wrong_old_password_is_a_form_error(world, client):
    client.force_login(world.doctor)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "nope",
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
    )
    assert response.status_code == 200
    assert not world.doctor.check_password("a much longer passphrase 42")
