"""No all-powerful administrator: a role that reads clinical content is given
only with the approval of a second person (coordinator or medical referent of
the project), never the grantee, never the requester; nobody gives a role to
themself."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.access.scope import grant_needs_approval
from parcours.access.terms import Role
from parcours.accounts import grants, services
from parcours.accounts.models import GrantStatus, Membership, RoleGrant
from parcours.audit.models import AuditEvent
from tests.personas import make_user


@pytest.fixture
def newcomer(world):
    return make_user("newcomer")


def test_the_policy_says_which_roles_need_approval():
    needing = {role.value for role in Role if grant_needs_approval(role)}
    assert needing == {
        "coordinator",
        "medical",
        "medical_referent",
        "mental_health",
        "social_worker",
        "legal_protection",
    }


def test_clinical_role_waits_for_approval_and_is_approved_by_the_coordinator(
    world, newcomer, client
):
    client.force_login(world.admin)
    response = client.post(
        reverse("org:membership_grant", args=[newcomer.pk]),
        {"project": world.calais.pk, "role": "mental_health"},
        follow=True,
    )
    assert "must approve it" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    grant = RoleGrant.objects.get(user=newcomer)
    assert (grant.status, grant.requested_by) == (GrantStatus.PENDING, world.admin)
    assert AuditEvent.objects.filter(event="membership.request").count() == 1
    detail = client.get(reverse("org:user_detail", args=[newcomer.pk])).content.decode()
    assert "Waiting for the approval" in detail

    # The coordinator and the referent are told on their home page.
    for approver in (world.coordinator, world.referent):
        client.force_login(approver)
        home = client.get("/").content.decode()
        assert "1 waiting for approval" in home, approver
    client.force_login(world.coordinator)
    response = client.post(
        reverse("accounts:grant_decide", args=[grant.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, project=world.calais)
    assert membership.role == "mental_health"
    event = AuditEvent.objects.get(event="membership.grant")
    assert event.actor == world.coordinator
    assert event.extra["requested_by"] == world.admin.pk
    assert "decided this week" in client.get("/").content.decode()


def test_refused_grant_gives_no_role(world, newcomer):
    grant = services.membership_grant(
        actor=world.admin, user=newcomer, project=world.calais, role="medical"
    )
    grants.grant_decide(actor=world.referent, grant=grant, approve=False)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REFUSED and grant.decided_by == world.referent
    assert not Membership.objects.filter(user=newcomer).exists()
    assert AuditEvent.objects.filter(event="membership.refuse").count() == 1
    with pytest.raises(ValidationError):
        grants.grant_decide(actor=world.coordinator, grant=grant, approve=True)


def test_nobody_gives_a_role_to_themself(world, client):
    client.force_login(world.admin)
    for role in ("medical", "meal", "admin"):
        response = client.post(
            reverse("org:membership_grant", args=[world.admin.pk]),
            {"project": world.dunkerque.pk, "role": role},
        )
        assert response.status_code == 200
        assert "themself" in str(response.context["form"].errors["role"])
    assert not Membership.objects.filter(user=world.admin, project=world.dunkerque).exists()
    assert not RoleGrant.objects.exists()


def test_the_grantee_and_the_requester_never_approve(world, newcomer):
    # A coordinator who also administers asks for a clinical role for someone:
    # another approver decides.
    Membership.objects.create(user=world.coordinator, project=world.calais, role="admin")
    grant = services.membership_grant(
        actor=world.coordinator, user=newcomer, project=world.calais, role="medical"
    )
    with pytest.raises(ValidationError, match="not the one who asked"):
        grants.grant_decide(actor=world.coordinator, grant=grant, approve=True)
    # A referent asks (as an administrator) for a role of their own in another project.
    Membership.objects.create(user=world.referent, project=world.calais, role="admin")
    own = services.membership_grant(
        actor=world.admin, user=world.referent, project=world.calais, role="coordinator"
    )
    with pytest.raises(ValidationError, match="themself"):
        grants.grant_decide(actor=world.referent, grant=own, approve=True)
    assert not Membership.objects.filter(user=newcomer).exists()
    grants.grant_decide(actor=world.referent, grant=grant, approve=True)
    assert Membership.objects.filter(user=newcomer, role="medical").exists()


def test_only_approvers_of_the_project_see_and_decide(world, newcomer, client):
    grant = services.membership_grant(
        actor=world.admin, user=newcomer, project=world.calais, role="medical"
    )
    for persona in ("admin", "doctor", "meal", "dunkerque_doctor", "nobody"):
        client.force_login(world.users[persona])
        assert client.get(reverse("accounts:grants")).status_code == 404, persona
        url = reverse("accounts:grant_decide", args=[grant.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 404, persona
    assert not Membership.objects.filter(user=newcomer).exists()
    # A coordinator of another project only.
    other = make_user("dunkerque_coordinator")
    Membership.objects.create(user=other, project=world.dunkerque, role="coordinator")
    with pytest.raises(ValidationError):
        grants.grant_decide(actor=other, grant=grant, approve=True)


def test_a_second_request_for_the_same_role_is_a_field_error(world, newcomer, client):
    services.membership_grant(
        actor=world.admin, user=newcomer, project=world.calais, role="medical"
    )
    client.force_login(world.admin)
    response = client.post(
        reverse("org:membership_grant", args=[newcomer.pk]),
        {"project": world.calais.pk, "role": "medical"},
    )
    assert "waiting for approval" in str(response.context["form"].errors["role"])
    assert RoleGrant.objects.count() == 1


def test_a_role_without_clinical_content_is_given_at_once(world, newcomer):
    membership = services.membership_grant(
        actor=world.admin, user=newcomer, project=world.calais, role="reception"
    )
    assert isinstance(membership, Membership)
    assert not RoleGrant.objects.exists()
