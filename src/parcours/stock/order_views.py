"""Medical order pages: list per site, draft from the suggestions, edit,
status changes (validation: the medical referent only), deliveries, XLSX
and PDF exports."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.scope import may, parse_id, projects_where
from parcours.access.terms import Action, Category
from parcours.lib.forms import flash_errors
from parcours.stock import orders
from parcours.stock.exports import order_pdf, order_xlsx
from parcours.stock.models import Order, OrderStatus, SiteItem
from parcours.stock.views import site_for


def order_for(user, order_id, action: str = Action.VIEW) -> Order:
    order = (
        Order.objects.select_related("site__project", "created_by", "validated_by")
        .filter(
            pk=parse_id(order_id),
            site__project_id__in=projects_where(user, action, Category.STOCK),
        )
        .first()
    )
    if order is None:
        raise Http404
    return order


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0  # no version: treated as stale


@login_required
def order_list(request: HttpRequest, site_id: int) -> HttpResponse:
    site = site_for(request.user, site_id)
    return render(
        request,
        "stock/orders.html",
        {
            "site": site,
            "orders": Order.objects.filter(site=site).prefetch_related("lines")[:100],
            "may_order": may(request.user, Action.EDIT, Category.STOCK, site.project_id),
        },
    )


@login_required
@require_POST
def order_new(request: HttpRequest, site_id: int) -> HttpResponse:
    site = site_for(request.user, site_id, Action.EDIT)
    try:
        order = orders.order_create(actor=request.user, site=site)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return redirect("stock:orders", site_id=site.pk)
    messages.success(request, _("Order drafted from the suggestions: check and complete it."))
    return redirect("stock:order", order_id=order.pk)


def _posted_lines(request) -> list[dict]:
    lines = []
    for key in request.POST:
        if not key.startswith("qty-"):
            continue
        item_id = key[4:]
        raw = request.POST.get(key, "").strip()
        if not item_id.isdigit() or raw in ("", "0"):
            continue
        lines.append(
            {
                "item": int(item_id),
                "quantity": raw,
                "comment": request.POST.get(f"comment-{item_id}", ""),
            }
        )
    return lines


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = order_for(request.user, order_id)
    may_edit = may(request.user, Action.EDIT, Category.STOCK, order.site.project_id)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        try:
            orders.order_update(
                actor=request.user,
                order_id=order.pk,
                version=_version(request),
                lines=_posted_lines(request),
                comment=request.POST.get("comment", ""),
            )
        except orders.StaleOrder:
            messages.error(
                request,
                _("Someone else changed this order since you opened it: here it is as it is now."),
            )
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Order saved."))
        return redirect("stock:order", order_id=order.pk)
    lines = list(order.lines.select_related("item"))
    got = orders.received_by_item(order)
    ordered_ids = {line.item_id for line in lines}
    addable = (
        SiteItem.objects.filter(site=order.site, stocked=True)
        .exclude(item_id__in=ordered_ids)
        .select_related("item")
        .order_by("item__code")
    )
    return render(
        request,
        "stock/order.html",
        {
            "order": order,
            "lines": [{"line": line, "received": got.get(line.item_id, 0)} for line in lines],
            "addable": addable,
            "may_edit": may_edit and order.status in orders.EDITABLE,
            "may_manage": may_edit,
            "may_validate": orders.may_validate(request.user, order)
            and order.status == OrderStatus.WAITING,
            "may_receive": may(request.user, Action.CREATE, Category.STOCK, order.site.project_id)
            and order.status in (OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED),
            "may_export": may(request.user, Action.EXPORT, Category.STOCK, order.site.project_id),
            "next_statuses": sorted(orders.TRANSITIONS[order.status] - {OrderStatus.VALIDATED}),
            "S": OrderStatus,
        },
    )


@login_required
@require_POST
def order_status(request: HttpRequest, order_id: int) -> HttpResponse:
    order = order_for(request.user, order_id)
    if not (
        may(request.user, Action.EDIT, Category.STOCK, order.site.project_id)
        or orders.may_validate(request.user, order)
    ):
        raise Http404
    try:
        orders.order_set_status(
            actor=request.user,
            order_id=order.pk,
            version=_version(request),
            status=request.POST.get("status", ""),
        )
    except orders.StaleOrder:
        messages.error(
            request,
            _("Someone else changed this order since you opened it: nothing was changed."),
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Order status changed."))
    return redirect("stock:order", order_id=order.pk)


@login_required
def order_receive(request: HttpRequest, order_id: int) -> HttpResponse:
    order = order_for(request.user, order_id, Action.CREATE)
    lines = list(order.lines.select_related("item"))
    got = orders.received_by_item(order)
    rows = [
        {
            "line": line,
            "received": got.get(line.item_id, 0),
            "number": request.POST.get(f"number-{line.item_id}", ""),
            "expires_on": request.POST.get(f"expires-{line.item_id}", ""),
            "quantity": request.POST.get(f"qty-{line.item_id}", ""),
        }
        for line in lines
    ]
    errors: list[str] = []
    if request.method == "POST":
        deliveries = []
        for row in rows:
            if not (row["number"] or row["expires_on"] or row["quantity"]):
                continue
            try:
                expires = date.fromisoformat(row["expires_on"]) if row["expires_on"] else None
            except ValueError:
                errors.append(
                    _("%(code)s: give the expiry as a date.") % {"code": row["line"].item.code}
                )
                continue
            deliveries.append(
                {
                    "item": row["line"].item_id,
                    "number": row["number"],
                    "expires_on": expires,
                    "quantity": row["quantity"],
                }
            )
        if not errors:
            try:
                orders.order_receive(
                    actor=request.user,
                    order_id=order.pk,
                    version=_version(request),
                    deliveries=deliveries,
                    supplier=request.POST.get("supplier", ""),
                )
            except orders.StaleOrder:
                errors.append(_("Someone else changed this order since you opened it."))
            except (ValidationError, PermissionDenied) as error:
                errors.extend(getattr(error, "messages", [str(error)]))
            else:
                messages.success(request, _("Delivery received into stock."))
                return redirect("stock:order", order_id=order.pk)
    return render(
        request,
        "stock/order_receive.html",
        {
            "order": order,
            "rows": rows,
            "errors": errors,
            "supplier": request.POST.get("supplier", ""),
        },
    )


@login_required
def order_export_xlsx(request: HttpRequest, order_id: int) -> HttpResponse:
    order = order_for(request.user, order_id, Action.EXPORT)
    return order_xlsx(request.user, order)


@login_required
def order_export_pdf(request: HttpRequest, order_id: int) -> HttpResponse:
    order = order_for(request.user, order_id, Action.EXPORT)
    return order_pdf(request.user, order)
