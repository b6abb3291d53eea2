"""Stock pages of a site: status, ledger, movements, transfers in transit,
corrections. Every page asks access for the site first (404 otherwise);
a dispensing names its person only as parcours.stock.references decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.access.scope import log_reads, may, parse_id, projects_where
from parcours.access.terms import Action, Category
from parcours.audit.events import Read
from parcours.lib.forms import apply_validation_error, flash_errors
from parcours.lib.keyset import keyset_page
from parcours.org.models import Site
from parcours.people.models import Person
from parcours.stock import planning, services
from parcours.stock.forms import MOVEMENT_FORMS
from parcours.stock.models import Batch, Item, Kind, LedgerLine
from parcours.stock.references import References

PAGE_SIZE = 50


def stock_sites(user, action: str = Action.VIEW):
    return (
        Site.objects.filter(project_id__in=projects_where(user, action, Category.STOCK))
        .select_related("project")
        .order_by("project__name", "name")
    )


def site_for(user, site_id, action: str = Action.VIEW) -> Site:
    site = stock_sites(user, action).filter(pk=parse_id(site_id)).first()
    if site is None:
        raise Http404
    return site


def _may(user, action, site) -> bool:
    return may(user, action, Category.STOCK, site.project_id)


@login_required
def stock_index(request: HttpRequest) -> HttpResponse:
    sites = list(stock_sites(request.user).filter(is_active=True))
    if not sites:
        raise Http404
    alerts = planning.counts([s.pk for s in sites])
    return render(request, "stock/index.html", {"sites": sites, "alerts": alerts})


def _status_rows(site, rows) -> list[dict]:
    """The status table as plain values, formatted once here: 80 items × 12
    columns through template lookups and filters cost more than the figures."""
    separator = get_format("DECIMAL_SEPARATOR")
    item_url = reverse("stock:site_item", args=[site.pk, 0])[:-2] + "{}/"

    def one(value):
        return "—" if value is None else f"{value:.1f}".replace(".", separator)

    return [
        {
            "state": r.state,
            "item": r.item,
            "url": item_url.format(r.item.pk),
            "name": r.item.name,
            "on_hand": r.on_hand,
            "amc": one(r.amc),
            "months_of_stock": one(r.months_of_stock),
            "min_max": f"{r.site_item.min_months}–{r.site_item.max_months}".replace(".", separator),
            "stockout_days": f"{r.stockout_days:.0f}",
            "expiring": [
                f"{b.number} · {date_format(b.expires_on, 'SHORT_DATE_FORMAT')} · {q}"
                for b, q in r.expiring
            ],
            "on_order": r.on_order,
            "in_transit": r.in_transit,
            "suggestion": r.suggestion,
        }
        for r in rows
    ]


@login_required
def stock_status(request: HttpRequest, site_id: int) -> HttpResponse:
    site = site_for(request.user, site_id)
    rows = planning.site_status(site)
    state = request.GET.get("state", "")
    shown = [
        r for r in rows if not state or r.state == state or (state == "expiring" and r.expiring)
    ]
    states = [r.state for r in rows]
    return render(
        request,
        "stock/status.html",
        {
            "site": site,
            "rows": _status_rows(site, shown),
            "state": state,
            "labels": {
                "stockout": _("out of stock"),
                "below": _("below minimum"),
                "above": _("above maximum"),
                "cold_chain": _("cold chain"),
                "controlled": _("controlled"),
            },
            "totals": {
                "items": len(rows),
                "stockout": states.count("stockout"),
                "below": states.count("below"),
                "above": states.count("above"),
                "expiring": sum(bool(r.expiring) for r in rows),
            },
            "may_move": _may(request.user, Action.CREATE, site),
            "may_order": _may(request.user, Action.EDIT, site),
            "movements": MOVEMENT_FORMS,
            "horizon": planning.expiry_horizon(timezone.localdate()),
        },
    )


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@login_required
def stock_ledger(request: HttpRequest, site_id: int) -> HttpResponse:
    site = site_for(request.user, site_id)
    lines = LedgerLine.objects.filter(site=site)
    item = None
    item_id = _int(request.GET.get("item"))
    if item_id:
        item = Item.objects.filter(pk=item_id).first()
        lines = lines.filter(item_id=item_id)
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        lines = lines.filter(kind=kind)
    lines = lines.select_related("item", "batch", "author", "other_site", "encounter", "order")
    page = keyset_page(
        lines,
        ("-occurred_at", "-id"),
        size=PAGE_SIZE,
        count=0,
        after=_int(request.GET.get("after")),
        before=_int(request.GET.get("before")),
    )
    references = References(request.user).codes(page.object_list)
    named = {r["person_id"] for r in references.values() if r.get("person_code")}
    if named:
        log_reads(request, Person.objects.filter(pk__in=named), Read.IDENTITY_SUMMARY)
    transit = planning.open_transfers(
        LedgerLine.objects.filter(other_site=site, kind=Kind.TRANSFER_OUT)
        .select_related("item", "batch", "site")
        .order_by("occurred_at")
    )
    sent = planning.open_transfers(
        LedgerLine.objects.filter(site=site, kind=Kind.TRANSFER_OUT)
        .select_related("item", "batch", "other_site")
        .order_by("occurred_at")
    )
    transit, sent = list(transit), list(sent)
    for line in (*transit, *sent):
        line.sent_quantity = -line.quantity
    reversed_ids = set(
        LedgerLine.objects.filter(reverses__in=[line.pk for line in page.object_list]).values_list(
            "reverses_id", flat=True
        )
    )
    rows = [
        {
            "line": line,
            "reference": references.get(line.pk),
            "reversed": line.pk in reversed_ids,
        }
        for line in page.object_list
    ]
    return render(
        request,
        "stock/ledger.html",
        {
            "site": site,
            "rows": rows,
            "page": page,
            "item": item,
            "kind": kind,
            "kinds": Kind.choices,
            "items": Item.objects.filter(is_active=True).order_by("code"),
            "in_transit": transit,
            "sent": sent,
            "may_move": _may(request.user, Action.CREATE, site),
        },
    )


def _movement(kind, site, actor, data):
    item = Item.objects.get(pk=data["item"])
    batch = Batch.objects.filter(pk=data.get("batch")).first() if data.get("batch") else None
    when = data.get("occurred_at")
    if kind == "receipt":
        return services.receipt_record(
            actor=actor,
            site=site,
            item=item,
            batches=[
                {
                    "number": data["number"],
                    "expires_on": data["expires_on"],
                    "quantity": data["quantity"],
                }
            ],
            supplier=data["supplier"],
            occurred_at=when,
        )
    if kind == "distribution":
        return services.distribute(
            actor=actor,
            site=site,
            item=item,
            quantity=data["quantity"],
            people_count=data["people_count"],
            batch=batch,
            note=data["note"],
            occurred_at=when,
        )
    if kind == "transfer":
        to_site = Site.objects.in_use().filter(pk=data.get("to_site")).first()
        return services.transfer_send(
            actor=actor,
            site=site,
            to_site=to_site,
            item=item,
            quantity=data["quantity"],
            batch=batch,
            note=data["note"],
            occurred_at=when,
        )
    if kind == "loss":
        return services.loss_record(
            actor=actor,
            site=site,
            item=item,
            batch=batch,
            quantity=data["quantity"],
            reason=data["reason"],
            note=data["note"],
        )
    return services.count_record(
        actor=actor,
        site=site,
        item=item,
        batch=batch,
        counted=data["counted"],
        counter_name=data["counter_name"],
    )


@login_required
def stock_movement(request: HttpRequest, site_id: int, kind: str) -> HttpResponse:
    site = site_for(request.user, site_id, Action.CREATE)
    if kind not in MOVEMENT_FORMS:
        raise Http404
    form_class, title = MOVEMENT_FORMS[kind]
    # Every site in use (this one too: choosing it is refused with a message).
    sites = Site.objects.in_use().select_related("project")
    bound = request.POST if request.method == "POST" else None
    initial = {"item": _int(request.GET.get("item"))} if request.GET.get("item") else None
    form = form_class(bound, site=site, sites=sites, initial=initial)
    if bound is not None and form.is_valid():
        try:
            _movement(kind, site, request.user, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Recorded in the ledger."))
            return redirect("stock:ledger", site_id=site.pk)
    return render(
        request, "stock/movement.html", {"site": site, "form": form, "title": title, "kind": kind}
    )


def _line_for(user, line_id, *, destination: bool = False) -> LedgerLine:
    line = LedgerLine.objects.select_related("site", "other_site").filter(pk=parse_id(line_id))
    line = line.first()
    if line is None:
        raise Http404
    site = line.other_site if destination else line.site
    if site is None or not may(user, Action.CREATE, Category.STOCK, site.project_id):
        raise Http404
    return line


@login_required
@require_POST
def transfer_receive(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _line_for(request.user, line_id, destination=True)
    try:
        services.transfer_receive(actor=request.user, line_id=line.pk)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Transfer received."))
    return redirect(reverse("stock:ledger", args=[line.other_site_id]))


@login_required
@require_POST
def line_reverse(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _line_for(request.user, line_id)
    try:
        services.line_reverse(
            actor=request.user, line_id=line.pk, note=request.POST.get("note", "")[:255]
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Correction recorded: a reversing line cancels it."))
    return redirect(reverse("stock:ledger", args=[line.site_id]))
