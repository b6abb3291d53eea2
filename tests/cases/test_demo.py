"""The demo holds pathways (the Dunkerque survivors), cases with tasks and a
conference, protocols and lessons learned, each visible as the policy says."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from parcours.access.records import TEAM_NOTE, record_scope
from parcours.accounts.models import User
from parcours.cases.alerts import home_alerts
from parcours.cases.models import Case, Conference, Lesson, Pathway, Protocol
from parcours.cases.pathways import step_rows
from parcours.cases.scopes import sees_pathway
from parcours.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        report = seed_demo(persons=60, today=timezone.localdate())
        yield report
        transaction.set_rollback(True)


def user(username):
    return User.objects.get(username=username)


def test_the_demo_has_pathways_cases_protocols_and_lessons(demo):
    sv = Pathway.objects.filter(kind="sv_survivor", project__code="DUN")
    assert sv.count() >= 2
    assert Pathway.objects.filter(kind="safe_abortion").exists()
    assert Case.objects.filter(project__code="CAL", status="open").count() >= 3
    assert Conference.objects.exists()
    assert set(Protocol.objects.values_list("code", flat=True)) >= {
        "pep-protocol",
        "safe-abortion-sop",
    }
    assert Lesson.objects.count() >= 4


def test_the_fresh_survivor_shows_a_running_pep_clock(demo):
    doctor = user("demo-medecin-dunkerque")
    fresh = Pathway.objects.filter(kind="sv_survivor", started_by=doctor).get()
    pep = {r["key"]: r for r in step_rows(fresh)}["pep"]
    assert not pep["done"] and "h left" in pep["left"]
    assert sees_pathway(doctor, fresh) and sees_pathway(user("demo-psy"), fresh)
    for name in ("demo-coordo", "demo-social", "demo-medecin", "demo-juriste"):
        assert not sees_pathway(user(name), fresh), name


def test_demo_accounts_see_their_alerts_and_pages(demo, client):
    social = user("demo-social")
    assert home_alerts(social)["tasks"]
    assert home_alerts(user("demo-referent-medical"))["reviews"] == []
    assert home_alerts(user("demo-coordo"))["reviews"]  # the SOP whose review is overdue
    client.force_login(user("demo-coordo"))
    calais = Case.objects.filter(project__code="CAL").first().project
    assert client.get(reverse("cases:caseload", args=[calais.pk])).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    case = Case.objects.filter(conferences__isnull=False).first()
    client.force_login(social)
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    # The doctor's contribution (medical) reaches the social worker only as a
    # team note, when the person consented to team sharing of medical care.
    level = record_scope(social, case.person).level("medical", case.project_id)
    shown = "Grossesse de 24 SA" in page.content.decode()
    assert shown == (level == TEAM_NOTE)
