"""The demo pharmacy: a real catalogue, a year of history at the Calais and
Dunkerque mobile clinics that the ledger check accepts, an order waiting for
the referent, some dispensings from the demo's consultations."""

from django.utils import timezone

from parcours.demo.seed import seed_demo
from parcours.stock import ledger
from parcours.stock.models import Item, Kind, LedgerLine, Order, SiteItem


def test_demo_stock(db):
    seed_demo(persons=60, today=timezone.localdate())
    assert Item.objects.count() >= 80
    assert Item.objects.filter(code="DORAPARA5T").exists()
    sites = set(SiteItem.objects.values_list("site__project__code", flat=True).distinct())
    assert sites == {"CAL", "DUN"}
    assert LedgerLine.objects.count() > 5000
    first = LedgerLine.objects.order_by("occurred_at").first().occurred_at
    assert (timezone.now() - first).days >= 330
    assert set(LedgerLine.objects.values_list("kind", flat=True).distinct()) >= {
        Kind.RECEIPT,
        Kind.DISPENSING,
        Kind.DISTRIBUTION,
        Kind.LOSS,
    }
    assert LedgerLine.objects.filter(encounter__isnull=False).exists()
    assert ledger.check_derived() == []
    assert Order.objects.filter(status="waiting").exists()
    # Seeding again writes nothing more.
    count = LedgerLine.objects.count()
    seed_demo(persons=0, today=timezone.localdate())
    assert LedgerLine.objects.count() == count
