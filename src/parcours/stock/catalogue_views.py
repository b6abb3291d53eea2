"""The catalogue pages: items (shared by every site) and what one site stocks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from parcours.access.scope import may, parse_id
from parcours.access.terms import Action, Category
from parcours.lib.forms import apply_validation_error
from parcours.stock import catalogue, ledger
from parcours.stock.catalogue import ITEM_FIELDS
from parcours.stock.forms import ItemForm, SiteItemForm
from parcours.stock.models import Balance, Item, SiteItem
from parcours.stock.views import site_for


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    if not may(request.user, Action.VIEW, Category.STOCK):
        raise Http404
    query = request.GET.get("q", "").strip()[:60]
    items = Item.objects.all()
    if query:
        items = (
            items.filter(code__icontains=query)
            | items.filter(name_fr__icontains=query)
            | items.filter(name_en__icontains=query)
        )
    return render(
        request,
        "stock/items.html",
        {
            "items": items.order_by("code")[:300],
            "query": query,
            "may_edit": may(request.user, Action.EDIT, Category.STOCK),
        },
    )


def _item_page(request, item: Item | None) -> HttpResponse:
    if not may(request.user, Action.EDIT, Category.STOCK):
        raise Http404
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                if item is None:
                    item = catalogue.item_create(actor=request.user, data=form.cleaned_data)
                else:
                    catalogue.item_update(
                        actor=request.user,
                        item_id=item.pk,
                        version=int(request.POST.get("version") or 0),
                        data=form.cleaned_data,
                    )
            except catalogue.StaleItem:
                form.add_error(
                    None,
                    _("Someone else changed this item since you opened it: check and save again."),
                )
                item.refresh_from_db()
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Item saved."))
                return redirect("stock:items")
    else:
        initial = {f: getattr(item, f) for f in ITEM_FIELDS} if item is not None else None
        form = ItemForm(initial=initial)
    return render(request, "stock/item_form.html", {"form": form, "item": item})


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    return _item_page(request, None)


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = Item.objects.filter(pk=parse_id(item_id)).first()
    if item is None:
        raise Http404
    return _item_page(request, item)


@login_required
def site_item(request: HttpRequest, site_id: int, item_id: int) -> HttpResponse:
    """One item at one site: its batches in stock and the site's settings."""
    site = site_for(request.user, site_id)
    item = Item.objects.filter(pk=parse_id(item_id)).first()
    if item is None:
        raise Http404
    may_edit = may(request.user, Action.EDIT, Category.STOCK, site.project_id)
    row = SiteItem.objects.filter(site=site, item=item).first()
    initial = {
        "stocked": row.stocked if row else True,
        "min_months": row.min_months if row else 1,
        "max_months": row.max_months if row else 3,
    }
    form = SiteItemForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            try:
                catalogue.site_item_save(
                    actor=request.user, site=site, item=item, **form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("stock:status", site_id=site.pk)
    batches = (
        Balance.objects.filter(site=site, item=item, on_hand__gt=0)
        .select_related("batch")
        .order_by("batch__expires_on")
    )
    return render(
        request,
        "stock/site_item.html",
        {
            "site": site,
            "item": item,
            "form": form,
            "may_edit": may_edit,
            "batches": batches,
            "on_hand": ledger.item_on_hand(site.pk, item.pk),
        },
    )
