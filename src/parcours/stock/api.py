"""API of the pharmacy: items, stock per site, the ledger (paged by key),
dispensings, medical orders and their status changes (version: 409 if stale).

Same rules as the pages: stock is read where the caller's role may view it;
a site of the caller's projects where their role may not act answers 403,
any other 404. A dispensing's person is a pseudonymous reference, or their
code for who opens medical records in that project (access-logged).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from parcours.access.records import encounter_for
from parcours.access.scope import log_reads, may, projects_where, working_projects
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.lib.api_errors import AUTH_ERRORS, FIELD_ERRORS, ErrorOut
from parcours.lib.api_schemas import Id
from parcours.org.models import Site
from parcours.people.models import Person
from parcours.stock import ledger, orders, planning, services
from parcours.stock.models import Batch, Item, Kind, LedgerLine, Order
from parcours.stock.references import References
from parcours.stock.schemas import (
    DispensingIn,
    DispensingOut,
    ItemListOut,
    LedgerPageOut,
    LedgerQuery,
    OrderCreateIn,
    OrderListOut,
    OrderOut,
    OrderQuery,
    OrderStatusIn,
    StaleOut,
    StockListOut,
    StockQuery,
)

router = Router(tags=["stock"])

READ_ERRORS = {**AUTH_ERRORS, 404: ErrorOut, **FIELD_ERRORS}
WRITE_ERRORS = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, **FIELD_ERRORS}


def _sites(user, action=Action.VIEW):
    return Site.objects.filter(
        project_id__in=projects_where(user, action, Category.STOCK)
    ).select_related("project")


def _read_sites(user, site_id) -> list[Site]:
    """The site asked for (404 if the caller may not read its stock), or all
    the active sites whose stock the caller reads (none: an empty list)."""
    if site_id is None:
        return list(_sites(user).filter(is_active=True))
    site = _sites(user).filter(pk=site_id).first()
    if site is None:
        raise Http404
    return [site]


def _acting_site(user, site_id, action) -> Site:
    """The site to act at: 404 outside the caller's projects, 403 where their
    role may not take ``action`` on stock."""
    site = (
        Site.objects.select_related("project")
        .filter(pk=site_id, project_id__in=working_projects(user))
        .first()
    )
    if site is None:
        raise Http404
    if not may(user, action, Category.STOCK, site.project_id):
        raise PermissionDenied(_("Your role may not do this at this site."))
    return site


def _item(code: str, field: str = "item") -> Item:
    item = Item.objects.filter(code__iexact=(code or "").strip()).first()
    if item is None:
        raise ValidationError({field: [_("Unknown item code %(c)s.") % {"c": code}]})
    return item


@router.get("/stock/items", response={200: ItemListOut, **READ_ERRORS})
def item_list(request: HttpRequest):
    """The catalogue (every item, in use or not); empty for a role that reads
    no stock."""
    items = []
    if may(request.auth, Action.VIEW, Category.STOCK):
        items = list(Item.objects.order_by("code"))
    return {"count": len(items), "results": items}


@router.get("/stock", response={200: StockListOut, **READ_ERRORS})
def stock_list(request: HttpRequest, filters: Query[StockQuery]):
    """Stock of each item a site stocks (all your sites without ``site``): on
    hand, AMC, months of stock, state, quantities on order and in transit,
    reorder suggestion, batches in stock (first expiry first)."""
    results = []
    for site in _read_sites(request.auth, filters.site):
        for row in planning.site_status(site):
            results.append(
                {
                    "item": row.item.code,
                    "site": site.pk,
                    "on_hand": row.on_hand,
                    "amc": row.amc,
                    "months_of_stock": row.months_of_stock,
                    "min_months": float(row.site_item.min_months),
                    "max_months": float(row.site_item.max_months),
                    "state": row.state,
                    "on_order": row.on_order,
                    "in_transit": row.in_transit,
                    "suggestion": row.suggestion,
                    "stockout_days": round(row.stockout_days, 1),
                    "batches": [
                        {"number": b.number, "expires_on": b.expires_on, "on_hand": q}
                        for b, q in row.batches
                    ],
                }
            )
    return {"count": len(results), "results": results}


def _line_out(line, reference) -> dict:
    return {
        "id": line.pk,
        "site": line.site_id,
        "item": line.item.code,
        "batch": line.batch.number,
        "expires_on": line.batch.expires_on,
        "kind": line.kind,
        "quantity": line.quantity,
        "occurred_at": line.occurred_at,
        "author": line.author.get_full_name() or line.author.username,
        "supplier": line.supplier,
        "order": line.order_id,
        "people_count": line.people_count,
        "other_site": line.other_site_id,
        "transfer_of": line.transfer_of_id,
        "loss_reason": line.loss_reason,
        "counted": line.counted,
        "counter_name": line.counter_name,
        "note": line.note,
        "reverses": line.reverses_id,
        "reference": reference["reference"] if reference else None,
        "person_code": reference.get("person_code") if reference else None,
    }


def _lines_out(request, lines) -> list[dict]:
    references = References(request.auth).codes(lines)
    named = {r["person_id"] for r in references.values() if r.get("person_code")}
    if named:
        log_reads(request, Person.objects.filter(pk__in=named), Read.IDENTITY_SUMMARY)
    return [_line_out(line, references.get(line.pk)) for line in lines]


@router.get("/stock/ledger", response={200: LedgerPageOut, **READ_ERRORS})
def ledger_list(request: HttpRequest, filters: Query[LedgerQuery]):
    """Ledger lines, newest first, ``limit`` per page; the next page starts
    after ``next_after`` (keyset: a deep page costs what the first does)."""
    sites = _read_sites(request.auth, filters.site)
    lines = LedgerLine.objects.filter(site__in=sites)
    if filters.item:
        lines = lines.filter(item=_item(filters.item))
    if filters.kind:
        if filters.kind not in Kind.values:
            raise ValidationError({"kind": [_("Unknown movement.")]})
        lines = lines.filter(kind=filters.kind)
    if filters.after is not None:
        anchor = lines.filter(pk=filters.after).values_list("occurred_at", "id").first()
        if anchor is not None:
            at, pk = anchor
            lines = lines.filter(occurred_at__lte=at).exclude(occurred_at=at, id__gte=pk)
    page = list(
        lines.select_related("item", "batch", "author", "encounter").order_by(
            "-occurred_at", "-id"
        )[: filters.limit + 1]
    )
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {"results": _lines_out(request, page), "next_after": page[-1].pk if more else None}


@router.post("/stock/dispensings", response={201: DispensingOut, **WRITE_ERRORS})
def dispensing_create(request: HttpRequest, payload: DispensingIn):
    """Dispense from a site's pharmacy, first expiry first unless ``batch``
    names one; ``encounter``: the consultation it was for (one you may open).
    Not enough in stock: 422 naming the stock available, nothing written."""
    user = request.auth
    site = _acting_site(user, payload.site, Action.CREATE)
    item = _item(payload.item)
    encounter = None
    if payload.encounter is not None:
        try:
            encounter = encounter_for(user, payload.encounter)
        except Http404:
            raise ValidationError({"encounter": [_("Unknown consultation.")]}) from None
    batch = None
    if payload.batch:
        batch = Batch.objects.filter(item=item, number=payload.batch.strip().upper()).first()
        if batch is None:
            raise ValidationError({"batch": [_("Unknown batch of this item.")]})
    lines = services.dispense(
        actor=user,
        site=site,
        item=item,
        quantity=payload.quantity,
        batch=batch,
        encounter=encounter,
    )
    lines = list(
        LedgerLine.objects.filter(pk__in=[line.pk for line in lines]).select_related(
            "item", "batch", "author", "encounter"
        )
    )
    return Status(
        201,
        {"lines": _lines_out(request, lines), "on_hand": ledger.item_on_hand(site.pk, item.pk)},
    )


def _order_out(order) -> dict:
    got = orders.received_by_item(order)
    return {
        "id": order.pk,
        "reference": order.reference,
        "site": order.site_id,
        "status": order.status,
        "version": order.version,
        "comment": order.comment,
        "created_at": order.created_at,
        "validated_at": order.validated_at,
        "sent_at": order.sent_at,
        "lines": [
            {
                "item": line.item.code,
                "designation": line.item.name,
                "unit": line.item.unit,
                "quantity": line.quantity,
                "received": got.get(line.item_id, 0),
                "comment": line.comment,
            }
            for line in order.lines.select_related("item")
        ],
    }


def _order_for(user, order_id) -> Order:
    order = (
        Order.objects.select_related("site__project")
        .filter(
            pk=order_id,
            site__project_id__in=projects_where(user, Action.VIEW, Category.STOCK),
        )
        .first()
    )
    if order is None:
        raise Http404
    return order


@router.get("/stock/orders", response={200: OrderListOut, **READ_ERRORS})
def order_list(request: HttpRequest, filters: Query[OrderQuery]):
    """Orders of your sites (the latest 200), or of one site."""
    sites = _read_sites(request.auth, filters.site)
    rows = Order.objects.filter(site__in=sites)
    if filters.status:
        rows = rows.filter(status=filters.status)
    rows = list(rows[:200])
    return {"count": len(rows), "results": [_order_out(o) for o in rows]}


@router.get("/stock/orders/{id}", response={200: OrderOut, **READ_ERRORS})
def order_read(request: HttpRequest, id: Path[Id]):
    return _order_out(_order_for(request.auth, id))


@router.post("/stock/orders", response={201: OrderOut, **WRITE_ERRORS})
def order_create(request: HttpRequest, payload: OrderCreateIn):
    """A draft order for a site: the lines given, or the site's suggestions."""
    user = request.auth
    site = _acting_site(user, payload.site, Action.EDIT)
    lines = None
    if payload.lines is not None:
        lines = [
            {"item": _item(line.item).pk, "quantity": line.quantity, "comment": line.comment}
            for line in payload.lines
        ]
    order = orders.order_create(actor=user, site=site, lines=lines, comment=payload.comment)
    return Status(201, _order_out(order))


@router.post(
    "/stock/orders/{id}/status",
    response={200: OrderOut, 409: StaleOut, **WRITE_ERRORS},
)
def order_status(request: HttpRequest, id: Path[Id], payload: OrderStatusIn):
    """Move an order on: ``waiting`` (sent for validation), ``draft``,
    ``validated`` (the medical referent only: 403 for anyone else), ``sent``,
    ``cancelled``. Send the ``version`` you read: 409 if it changed since,
    nothing written. Validating an order already validated: 422."""
    user = request.auth
    order = _order_for(user, id)
    try:
        order = orders.order_set_status(
            actor=user, order_id=order.pk, version=payload.version, status=payload.status
        )
    except orders.StaleOrder as stale:
        return Status(
            409,
            {
                "detail": _("Someone else changed this order since you read it."),
                "current_version": stale.order.version,
            },
        )
    return _order_out(order)
