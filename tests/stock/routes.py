"""Every URL name of the stock pages and its rule, for the authorisation matrix.

"stock.<action>": the policy decides in the site's (or order's) project.
Validating an order needs more than stock.edit (the medical referent only):
tests/stock/test_access.py checks it; the status route itself answers who
may edit or validate, 404 to anyone else.
"""

from datetime import timedelta

from django.utils import timezone

STOCK_ROUTES = {
    "stock:index": "stock.view",
    "stock:status": "stock.view",
    "stock:ledger": "stock.view",
    "stock:movement": "stock.create",
    "stock:transfer_receive": "stock.create",
    "stock:reverse": "stock.create",
    "stock:items": "stock.view",
    "stock:item_new": "stock.edit",
    "stock:item_edit": "stock.edit",
    "stock:site_item": "stock.view",
    "stock:orders": "stock.view",
    "stock:order_new": "stock.edit",
    "stock:order": "stock.view",
    "stock:order_status": "stock.edit",
    "stock:order_receive": "stock.create",
    "stock:order_xlsx": "stock.export",
    "stock:order_pdf": "stock.export",
}

# The line a transfer_receive URL names is a transfer to the Calais site.
# "item_id" is the feedback item's key in the shared targets: stock items have their own.
STOCK_ROUTE_TARGETS = {
    "stock:transfer_receive": {"line_id": "transfer_line_id"},
    "stock:item_edit": {"item_id": "stock_item_id"},
    "stock:site_item": {"item_id": "stock_item_id"},
}


def stock_targets(world) -> dict:
    """A stocked item at Calais and Dunkerque, a receipt at Calais, a transfer
    from Dunkerque to Calais in transit, a draft order at Calais."""
    from parcours.stock import orders, services
    from parcours.stock.models import Item, SiteItem

    item = Item.objects.create(
        code="DORAPARA5T",
        name_fr="Paracétamol",
        name_en="Paracetamol",
        form="tablet",
        unit="tablet",
    )
    for site in (world.calais_day_centre, world.dunkerque_camp):
        SiteItem.objects.create(site=site, item=item)
    expires = timezone.localdate() + timedelta(days=365)
    receipt = services.receipt_record(
        actor=world.referent,
        site=world.calais_day_centre,
        item=item,
        supplier="MSF Supply",
        batches=[{"number": "CAL1", "expires_on": expires, "quantity": 50}],
    )[0]
    services.receipt_record(
        actor=world.referent,
        site=world.dunkerque_camp,
        item=item,
        supplier="MSF Supply",
        batches=[{"number": "DUN1", "expires_on": expires, "quantity": 50}],
    )
    transfer = services.transfer_send(
        actor=world.referent,
        site=world.dunkerque_camp,
        to_site=world.calais_day_centre,
        item=item,
        quantity=5,
    )[0]
    order = orders.order_create(
        actor=world.referent,
        site=world.calais_day_centre,
        lines=[{"item": item.pk, "quantity": 10}],
    )
    return {
        "stock_item_id": item.pk,
        "line_id": receipt.pk,
        "transfer_line_id": transfer.pk,
        "order_id": order.pk,
        "kind": "receipt",
    }
