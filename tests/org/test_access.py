"""Every configuration URL: 404 for non-admins, sign-in for anonymous, 200 for admins."""

from django.urls import get_resolver, reverse

from parcours.accounts.models import ApiToken, Membership
from parcours.audit.models import AuditEvent
from tests.org.routes import CONFIGURATION_ROUTES
from tests.personas import CALAIS_ROLES


def _kwargs(world) -> dict[str, dict]:
    doctor = world.doctor
    return {
        "org:mission_edit": {"pk": world.france.pk},
        "org:project_edit": {"pk": world.calais.pk},
        "org:site_edit": {"pk": world.calais_day_centre.pk},
        "org:activity_type_edit": {"pk": world.calais_day_centre.activity_types.get().pk},
        "org:user_detail": {"pk": doctor.pk},
        "org:user_deactivate": {"pk": doctor.pk},
        "org:user_reactivate": {"pk": doctor.pk},
        "org:user_password": {"pk": doctor.pk},
        "org:membership_grant": {"pk": doctor.pk},
        "org:membership_revoke": {
            "pk": doctor.pk,
            "membership_id": Membership.objects.get(user=doctor).pk,
        },
        "org:user_token_revoke": {"pk": doctor.pk, "token_id": _doctor_token(doctor)},
    }


def _doctor_token(doctor) -> int:
    token = ApiToken.objects.filter(user=doctor).first() or ApiToken.issue(doctor)[0]
    return token.pk


def _url(world, name: str) -> str:
    return reverse(name, kwargs=_kwargs(world).get(name, {}))


def test_every_org_url_name_is_listed_for_the_authorisation_matrix():
    names = {
        f"org:{p.name}"
        for p in get_resolver().url_patterns
        if getattr(p, "namespace", None) == "org"
        for p in p.url_patterns
    }
    assert names == set(CONFIGURATION_ROUTES)


NON_ADMINS = [p for p in CALAIS_ROLES if p != "admin"] + ["dunkerque_doctor", "referent", "nobody"]


def test_configuration_urls_are_404_for_every_non_admin_persona(world, client):
    urls = {name: _url(world, name) for name in CONFIGURATION_ROUTES}
    for persona in NON_ADMINS:
        client.force_login(getattr(world, persona))
        for name, url in urls.items():
            assert client.get(url).status_code == 404, (persona, name)
            assert client.post(url, {"name": "x"}).status_code == 404, (persona, name)
    assert not AuditEvent.objects.exists()


def test_configuration_urls_send_anonymous_visitors_to_sign_in(world, client):
    for name in CONFIGURATION_ROUTES:
        url = _url(world, name)
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
        assert client.post(url).status_code == 302, name


def test_configuration_urls_open_for_admins(world, login):
    client = login(world.admin)
    for name in CONFIGURATION_ROUTES:
        response = client.get(_url(world, name))
        assert response.status_code == 200, name
    # Opening a page (a confirmation page included) changes nothing.
    assert not AuditEvent.objects.exists()
    world.doctor.refresh_from_db()
    assert world.doctor.is_active


def test_deactivated_admin_is_refused(world, client):
    world.admin.is_active = False
    world.admin.save()
    client.force_login(world.admin)
    response = client.get(reverse("org:index"))
    assert response.status_code == 302  # an inactive user is no longer signed in


def test_index_shows_missions_projects_sites_and_links(world, login):
    page = login(world.admin).get(reverse("org:index")).content.decode()
    assert "Calais / Littoral Nord" in page
    assert "Accueil de jour Calais" in page
    assert reverse("org:project_edit", kwargs={"pk": world.tripoli.pk}) in page
    assert reverse("org:site_edit", kwargs={"pk": world.calais_day_centre.pk}) in page
    assert reverse("org:activity_type_list") in page
    assert reverse("org:user_list") in page


def test_configuration_menu_only_for_admins(world, login, client):
    assert reverse("org:index") in login(world.admin).get("/").content.decode()
    client.force_login(world.coordinator)
    assert reverse("org:index") not in client.get("/").content.decode()
