from datetime import date, timedelta

import pytest
from django.utils import timezone

from parcours.stock import services
from parcours.stock.models import Item, SiteItem


def make_item(code="DORAPARA5T", **fields) -> Item:
    fields.setdefault("name_fr", "Paracétamol")
    fields.setdefault("name_en", "Paracetamol")
    fields.setdefault("form", "tablet")
    fields.setdefault("strength", "500 mg")
    fields.setdefault("unit", "tablet")
    return Item.objects.create(code=code, **fields)


def stock_at(site, item, **fields) -> SiteItem:
    return SiteItem.objects.create(site=site, item=item, **fields)


def expiry(days=365) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def paracetamol(world):
    item = make_item()
    stock_at(world.calais_day_centre, item)
    stock_at(world.dunkerque_camp, item)
    return item


@pytest.fixture
def receive(world):
    """receive(item, quantity, number=..., days=..., site=...) → the receipt lines."""

    def _receive(item, quantity, number="LOT1", days=365, site=None, actor=None, **kw):
        return services.receipt_record(
            actor=actor or world.referent,
            site=site or world.calais_day_centre,
            item=item,
            batches=[{"number": number, "expires_on": expiry(days), "quantity": quantity}],
            supplier="MSF Supply",
            **kw,
        )

    return _receive
