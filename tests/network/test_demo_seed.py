"""The demo directory: 40+ services in the four cities, all valid, and the
demo doctor's referrals (one overdue)."""

from collections import Counter

from django.utils import timezone

from parcours.demo.seed import seed_demo
from parcours.network.models import Referral, Service
from parcours.network.referrals import overdue_for


def test_demo_directory_and_referrals(db):
    seed_demo(persons=30, care=False)
    assert Service.objects.count() >= 40
    cities = Counter(Service.objects.values_list("city", flat=True))
    for city in ("Calais", "Dunkerque", "Paris", "Marseille"):
        assert cities[city] >= 5, city
    assert Service.objects.filter(latitude__isnull=False).count() == Service.objects.count()
    assert any(s.needs_verification() for s in Service.objects.all())
    assert Referral.objects.count() == 3
    assert not any(r.warnings for r in Referral.objects.all())  # planned when open
    doctor = Referral.objects.first().owner
    assert len(overdue_for(doctor, today=timezone.localdate())) == 1
    seed_demo(persons=0, care=False)  # a second run adds nothing
    assert Referral.objects.count() == 3
