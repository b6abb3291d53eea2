"""User management by configuration administrators."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from parcours.accounts import services
from parcours.accounts.models import Membership, User
from parcours.audit.models import AuditEvent


@pytest.fixture
def admin(world, login):
    return login(world.admin)


def _new_user(**extra) -> dict:
    return {
        "username": "amina",
        "first_name": "Amina",
        "last_name": "Diallo",
        "email": "amina@example.org",
        "language": "en",
    } | extra


def test_user_list_shows_users_with_their_roles(world, admin):
    page = admin.get(reverse("org:user_list")).content.decode()
    assert "dunkerque_doctor" in page
    assert "Médical (médecin, infirmier, sage-femme)" in page or "Medical (doctor" in page
    assert "DUN" in page


def test_user_list_search_and_inactive_filter(world, admin):
    services.user_deactivate(actor=world.admin, user=world.lawyer)
    active = admin.post(reverse("org:user_list"), {"q": "law"}, follow=True).content.decode()
    assert "lawyer" not in active
    inactive = admin.get(reverse("org:user_list"), {"status": "inactive"}).content.decode()
    assert "lawyer" in inactive and "psychologist" not in inactive


def test_create_user_gives_a_one_time_link_not_a_password(world, admin, client):
    response = admin.post(reverse("org:user_create"), _new_user())
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")
    link = response.context["link"]
    assert link in response.content.decode()
    user = User.objects.get(username="amina")
    assert user.language == "en" and user.is_active
    assert not user.has_usable_password(), "the administrator never sets it"
    event = AuditEvent.objects.get(event="user.create")
    assert event.actor == world.admin
    assert event.changes["username"] == [None, "amina"]
    assert event.extra == {"password": "link"}
    assert link.split("/")[-2] not in str(event.changes) + str(event.extra)
    # The user follows the link and chooses a password only they know.
    chosen = "un mot de passe assez long"
    response = client.post(link, {"new_password1": chosen, "new_password2": chosen})
    assert response.status_code == 302
    assert authenticate(username="amina", password=chosen) == user
    # Not shown again anywhere.
    assert link not in admin.get(reverse("org:user_detail", args=[user.pk])).content.decode()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"username": "DOCTOR"}, "username"),  # taken, whatever the case
        ({"username": "a b"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"language": "xx"}, "language"),
    ],
)
def test_create_user_bad_input_is_a_field_error(world, admin, extra, field):
    response = admin.post(reverse("org:user_create"), _new_user(**extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(username__in=["amina", "a b"]).exists()
    assert not AuditEvent.objects.exists()


def test_edit_user_details(world, admin):
    url = reverse("org:user_detail", args=[world.doctor.pk])
    response = admin.post(
        url,
        {
            "username": "doctor",
            "first_name": "Sara",
            "last_name": "",
            "email": "",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event="user.update")
    assert event.changes == {"first_name": ["", "Sara"], "language": ["en", "fr"]}


def test_deactivate_and_reactivate_never_delete(world, admin):
    doctor = world.doctor
    url = reverse("org:user_deactivate", args=[doctor.pk])
    assert "signed out" in admin.get(url).content.decode()  # confirmation page first
    assert admin.post(url).status_code == 302
    doctor.refresh_from_db()
    assert doctor.is_active is False
    assert authenticate(username="doctor", password="correct horse battery staple") is None
    assert admin.post(reverse("org:user_reactivate", args=[doctor.pk])).status_code == 302
    doctor.refresh_from_db()
    assert doctor.is_active is True
    assert [e.event for e in AuditEvent.objects.order_by("id")] == [
        "user.deactivate",
        "user.reactivate",
    ]


def test_admin_cannot_deactivate_themself(world, admin):
    response = admin.post(reverse("org:user_deactivate", args=[world.admin.pk]), follow=True)
    assert "your own account" in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_reset_password_gives_a_one_time_link(world, admin):
    url = reverse("org:user_password", args=[world.doctor.pk])
    response = admin.post(url)
    assert response.status_code == 200
    assert "/accounts/password/choose/" in response.context["link"]
    assert authenticate(username="doctor", password="correct horse battery staple") is None
    event = AuditEvent.objects.get(event="user.password_reset")
    assert event.subject_id == str(world.doctor.pk)


def test_grant_and_revoke_membership(world, admin):
    # MEAL reads no clinical content: given at once (clinical roles: test_grants.py).
    doctor = world.doctor
    response = admin.post(
        reverse("org:membership_grant", args=[doctor.pk]),
        {"project": world.dunkerque.pk, "role": "meal"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=doctor, project=world.dunkerque)
    grant = AuditEvent.objects.get(event="membership.grant")
    assert grant.project == world.dunkerque
    assert grant.extra == {"user": doctor.pk, "role": "meal"}
    page = admin.get(reverse("org:user_detail", args=[doctor.pk])).content.decode()
    assert "Role granted" in page and "membership.grant" not in page

    url = reverse("org:membership_revoke", args=[doctor.pk, membership.pk])
    assert admin.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(event="membership.revoke").count() == 1


def test_grant_bad_role_or_duplicate_is_a_field_error(world, admin):
    url = reverse("org:membership_grant", args=[world.doctor.pk])
    response = admin.post(url, {"project": world.calais.pk, "role": "superuser"})
    assert "role" in response.context["form"].errors
    response = admin.post(url, {"project": world.calais.pk, "role": "medical"})
    assert "role" in response.context["form"].errors
    response = admin.post(url, {"project": "nope", "role": "medical"})
    assert "project" in response.context["form"].errors
    assert not AuditEvent.objects.exists()


def test_revoke_membership_of_another_user_is_404(world, admin):
    other = Membership.objects.get(user=world.coordinator)
    url = reverse("org:membership_revoke", args=[world.doctor.pk, other.pk])
    assert admin.post(url).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_last_admin_role_cannot_be_removed(world, admin):
    membership = Membership.objects.get(user=world.admin, role="admin")
    url = reverse("org:membership_revoke", args=[world.admin.pk, membership.pk])
    response = admin.post(url, follow=True)
    assert "last active administrator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.exists()


def test_admin_role_can_be_removed_once_someone_else_holds_it(world, admin):
    services.membership_grant(
        actor=world.admin, user=world.coordinator, project=world.calais, role="admin"
    )
    membership = Membership.objects.get(user=world.admin, role="admin")
    url = reverse("org:membership_revoke", args=[world.admin.pk, membership.pk])
    assert admin.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_inactive_admins_do_not_count_as_remaining_admins(world):
    second = User.objects.create_user("second_admin", password="x")
    Membership.objects.create(user=second, project=world.paris, role="admin")
    services.user_deactivate(actor=world.admin, user=second)
    with pytest.raises(services.LastAdminError):
        services.membership_revoke(
            actor=world.admin, membership=Membership.objects.get(user=world.admin)
        )
    with pytest.raises(services.LastAdminError):
        services.user_deactivate(actor=None, user=world.admin)


def test_user_pages_show_no_person_data(world, admin, make_person):
    make_person(given_name="Amanuel", family_name="Tesfay")
    for url in (
        reverse("org:user_list"),
        reverse("org:user_detail", args=[world.coordinator.pk]),
        reverse("org:index"),
    ):
        assert "Tesfay" not in admin.get(url).content.decode()


def test_a_searched_name_never_travels_in_the_address(world, admin):
    url = reverse("org:user_list")
    response = admin.post(url, {"q": "psycholog", "status": "active"})
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(f"{url}?s=") and "psycholog" not in location
    page = admin.get(location)
    html = page.content.decode()
    assert "psychologist" in html and "lawyer" not in html
    assert page.context["form"]["q"].value() == "psycholog"
    assert 'method="post"' in html and "q=psycholog" not in html
    # The token is this session's: another administrator's gets the full list.
    from django.test import Client

    other = Client()
    other.force_login(world.admin)
    assert "lawyer" in other.get(location).content.decode()
