"""The demo seeds feedback of every category and channel in Calais and
Dunkerque (some sensitive, some overdue) and testimonies of each use."""

import pytest
from django.test import override_settings
from django.utils import timezone

from parcours.demo.seed import seed_demo
from parcours.feedback import models as feedback_models
from parcours.feedback import services
from parcours.feedback.models import FeedbackCategory, FeedbackItem, Status
from parcours.feedback.testimonies import with_use


@pytest.mark.django_db
def test_demo_feedback_and_testimonies():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        seed_demo(persons=40, today=timezone.localdate())
    items = FeedbackItem.objects.all()
    assert {i.project.code for i in items} == {"CAL", "DUN"}
    assert set(items.values_list("category", flat=True)) - {""} == set(FeedbackCategory.values)
    assert set(items.values_list("channel", flat=True)) >= {"web", "in_person", "phone"}
    assert items.filter(sensitive=True).exists()
    assert set(items.values_list("status", flat=True)) >= {Status.RECEIVED, Status.CLOSED}
    assert items.filter(services.overdue_q()).exists()
    testimonies = with_use(feedback_models.Testimony.objects.all())
    uses = set(testimonies.values_list("use_in_force", flat=True))
    assert uses == {"internal", "anonymised_public", "identifiable_public"}
    # The feedback indicators of the demo plans count, and last month's
    # validated SITREP carries the feedback lines.
    from parcours.accounts.models import User
    from parcours.meal.engine import compute
    from parcours.meal.models import Indicator
    from parcours.meal.periods import Period
    from parcours.reporting.models import Report

    coordinator = User.objects.get(username="demo-coordo")
    last_months = Period.containing(timezone.localdate(), "month").previous(5)
    last_months = Period(last_months.start, timezone.localdate(), "range", "")
    codes = {"FB-ITEMS", "FB-COMPL", "FB-SENS", "FB-ACK", "FB-RESP"}
    calais = Indicator.objects.filter(project__code="CAL", code__in=codes)
    assert set(calais.values_list("code", flat=True)) == codes
    totals = {i.code: compute(i, last_months, user=coordinator).total for i in calais}
    assert totals["FB-ITEMS"] > 0 and totals["FB-SENS"] > 0
    assert 0 <= totals["FB-ACK"] <= 100
    report = Report.objects.get(project__code="CAL")
    assert report.is_validated
    assert report.validated.figures["projects"][0]["feedback"]["items"] >= 0
