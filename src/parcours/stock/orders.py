"""Medical orders of a site: drafted from the reorder suggestions, edited,
sent for validation, validated by the medical referent (no other role),
sent to the supplier, received in one or several deliveries (each a
receipt with its batches). Every change carries the version the user saw."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import order_validate_projects
from parcours.access.scope import may
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.stock import planning, services
from parcours.stock.models import Item, LedgerLine, Order, OrderLine, OrderStatus, SiteItem
from parcours.stock.validation import clean_quantity

S = OrderStatus
EDITABLE = (S.DRAFT, S.WAITING)
# status now -> statuses it may go to (validation has its own rule).
TRANSITIONS = {
    S.DRAFT: {S.WAITING, S.CANCELLED},
    S.WAITING: {S.DRAFT, S.VALIDATED, S.CANCELLED},
    S.VALIDATED: {S.SENT, S.CANCELLED},
    S.SENT: set(),
    S.PARTLY_RECEIVED: set(),
    S.RECEIVED: set(),
    S.CANCELLED: set(),
}


class StaleOrder(Exception):
    def __init__(self, order):
        super().__init__(f"order {order.pk} is at version {order.version}")
        self.order = order


def _check_edit(actor, site) -> None:
    if not may(actor, Action.EDIT, Category.STOCK, site.project_id):
        raise PermissionDenied(_("Your role may not prepare orders for this site."))


def may_validate(actor, order) -> bool:
    return order.site.project_id in order_validate_projects(actor)


def _clean_lines(site, lines) -> list[tuple[Item, int, str]]:
    stocked = {
        si.item_id: si.item
        for si in SiteItem.objects.filter(site=site, stocked=True).select_related("item")
    }
    cleaned, seen, errors = [], set(), []
    for entry in lines:
        item = entry.get("item")
        item_id = getattr(item, "pk", item)
        if item_id not in stocked:
            errors.append(_("An ordered item is not stocked at this site."))
            continue
        if item_id in seen:
            errors.append(_("%(code)s is on the order twice.") % {"code": stocked[item_id].code})
            continue
        seen.add(item_id)
        try:
            quantity = clean_quantity(entry.get("quantity"))
        except ValidationError:
            errors.append(
                _("%(code)s: give a quantity above zero.") % {"code": stocked[item_id].code}
            )
            continue
        cleaned.append((stocked[item_id], quantity, (entry.get("comment") or "").strip()[:255]))
    if errors:
        raise ValidationError({"lines": errors})
    return cleaned


def _audit(actor, order, event, **extra) -> None:
    audit.record(
        actor=actor,
        event=event,
        subject=order,
        project=order.site.project,
        extra={"site": order.site_id, "status": order.status, "version": order.version, **extra},
    )


@transaction.atomic
def order_create(*, actor, site, lines: list[dict] | None = None, comment: str = "") -> Order:
    """A draft order; without lines, one line per item the suggestions say to order."""
    _check_edit(actor, site)
    if lines is None:
        lines = [
            {"item": row.item.pk, "quantity": row.suggestion}
            for row in planning.site_status(site)
            if row.suggestion > 0
        ]
        if not lines:
            raise ValidationError(
                {"lines": [_("Nothing to order: no item of this site is below its maximum.")]}
            )
    cleaned = _clean_lines(site, lines)
    if not cleaned:
        raise ValidationError({"lines": [_("An order needs at least one line.")]})
    order = Order.objects.create(site=site, created_by=actor, comment=(comment or "")[:255])
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, item=i, quantity=q, comment=c) for i, q, c in cleaned]
    )
    _audit(actor, order, Event.ORDER_SAVE, lines=len(cleaned))
    return order


def _locked(order_id) -> Order:
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("site__project")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise ValidationError({"order": [_("No such order.")]})
    return order


@transaction.atomic
def order_update(*, actor, order_id, version, lines: list[dict], comment: str = "") -> Order:
    order = _locked(order_id)
    _check_edit(actor, order.site)
    if order.version != version:
        raise StaleOrder(order)
    if order.status not in EDITABLE:
        raise ValidationError({"status": [_("A validated order is no longer edited.")]})
    cleaned = _clean_lines(order.site, lines)
    if not cleaned:
        raise ValidationError({"lines": [_("An order needs at least one line.")]})
    order.lines.all().delete()
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, item=i, quantity=q, comment=c) for i, q, c in cleaned]
    )
    order.comment = (comment or "")[:255]
    # Changed after it was sent for validation: back to the drafter.
    order.status = S.DRAFT if order.status == S.WAITING else order.status
    order.version += 1
    order.save()
    _audit(actor, order, Event.ORDER_SAVE, lines=len(cleaned))
    return order


@transaction.atomic
def order_set_status(*, actor, order_id, version, status: str) -> Order:
    order = _locked(order_id)
    if status not in S.values or status in (S.PARTLY_RECEIVED, S.RECEIVED):
        raise ValidationError({"status": [_("Unknown status (deliveries are received).")]})
    if status == S.VALIDATED:
        if not may_validate(actor, order):
            raise PermissionDenied(_("Only the medical referent validates an order."))
        if order.validated_at is not None:
            raise ValidationError(
                {
                    "status": [
                        _("This order is already validated (by %(who)s).")
                        % {"who": order.validated_by}
                    ]
                }
            )
    else:
        _check_edit(actor, order.site)
    if order.version != version:
        raise StaleOrder(order)
    if status not in TRANSITIONS[order.status]:
        raise ValidationError(
            {
                "status": [
                    _("An order %(now)s cannot become %(then)s.")
                    % {"now": order.get_status_display(), "then": S(status).label}
                ]
            }
        )
    before = order.status
    order.status = status
    now = timezone.now()
    if status == S.VALIDATED:
        order.validated_by, order.validated_at = actor, now
    if status == S.SENT:
        order.sent_at = now
    order.version += 1
    order.save()
    _audit(actor, order, Event.ORDER_STATUS, before=before)
    return order


def received_by_item(order) -> dict[int, int]:
    rows = LedgerLine.objects.filter(order=order, kind="receipt").values_list("item_id", "quantity")
    got: dict[int, int] = {}
    for item_id, quantity in rows:
        got[item_id] = got.get(item_id, 0) + quantity
    return got


@transaction.atomic
def order_receive(*, actor, order_id, version, deliveries: list[dict], supplier: str = "") -> Order:
    """One delivery of a sent order: per item, its batches (number, expiry,
    quantity). The order is received once every line has come."""
    order = _locked(order_id)
    services.check_may(actor, order.site)
    if order.version != version:
        raise StaleOrder(order)
    if order.status not in (S.SENT, S.PARTLY_RECEIVED):
        raise ValidationError({"status": [_("Only a sent order is received.")]})
    lines = {line.item_id: line for line in order.lines.select_related("item")}
    by_item: dict[int, list[dict]] = {}
    for entry in deliveries:
        item_id = getattr(entry.get("item"), "pk", entry.get("item"))
        if item_id not in lines:
            raise ValidationError({"item": [_("This item is not on the order.")]})
        by_item.setdefault(item_id, []).append(entry)
    if not by_item:
        raise ValidationError({"batch": [_("A delivery needs at least one batch.")]})
    for item_id, batches in by_item.items():
        services.receipt_record(
            actor=actor,
            site=order.site,
            item=lines[item_id].item,
            batches=batches,
            supplier=supplier,
            order=order,
        )
    got = received_by_item(order)
    complete = all(got.get(i, 0) >= line.quantity for i, line in lines.items())
    order.status = S.RECEIVED if complete else S.PARTLY_RECEIVED
    order.version += 1
    order.save()
    _audit(actor, order, Event.ORDER_STATUS, delivery=True)
    return order
