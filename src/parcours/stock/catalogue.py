"""The catalogue of items and what each site stocks (minimum and maximum in
months of stock). Written by who may edit stock in at least one project
(items are shared by every site) or in the site's project (its settings)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.access.scope import may
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.stock.models import Form, Item, SiteItem, StockMonth
from parcours.stock.validation import clean_code

ITEM_FIELDS = (
    "code",
    "name_fr",
    "name_en",
    "form",
    "strength",
    "unit",
    "therapeutic_class",
    "controlled",
    "cold_chain",
)


class StaleItem(Exception):
    pass


def clean_item(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    try:
        cleaned["code"] = clean_code(data.get("code"))
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, label, limit in (
        ("name_fr", _("Give the designation in French."), 200),
        ("name_en", _("Give the designation in English."), 200),
        ("unit", _("Give the dispensing unit (tablet, sachet, kit…)."), 40),
    ):
        value = (data.get(name) or "").strip()
        if not value:
            errors[name] = [label]
        cleaned[name] = value[:limit]
    if data.get("form") not in Form.values:
        errors["form"] = [_("Choose the form.")]
    cleaned["form"] = data.get("form")
    cleaned["strength"] = (data.get("strength") or "").strip()[:60]
    cleaned["therapeutic_class"] = (data.get("therapeutic_class") or "").strip()[:80]
    cleaned["controlled"] = bool(data.get("controlled"))
    cleaned["cold_chain"] = bool(data.get("cold_chain"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _duplicate(code: str, exclude=None) -> None:
    others = Item.objects.filter(code__iexact=code)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ValidationError(
            {"code": [_("An item with code %(c)s exists already.") % {"c": code}]}
        )


@transaction.atomic
def item_create(*, actor, data: dict) -> Item:
    if not may(actor, Action.EDIT, Category.STOCK):
        raise PermissionDenied(_("Your role may not change the catalogue."))
    cleaned = clean_item(data)
    _duplicate(cleaned["code"])
    item = Item.objects.create(**cleaned)
    audit.record(actor=actor, event=Event.STOCK_ITEM_SAVE, subject=item, extra={"code": item.code})
    return item


@transaction.atomic
def item_update(*, actor, item_id: int, version: int, data: dict) -> Item:
    if not may(actor, Action.EDIT, Category.STOCK):
        raise PermissionDenied(_("Your role may not change the catalogue."))
    item = Item.objects.select_for_update(of=("self",)).get(pk=item_id)
    if item.version != version:
        raise StaleItem(item)
    cleaned = clean_item(data)
    _duplicate(cleaned["code"], exclude=item.pk)
    changes = {f: (getattr(item, f), v) for f, v in cleaned.items() if getattr(item, f) != v}
    for field, value in cleaned.items():
        setattr(item, field, value)
    item.version += 1
    item.save()
    audit.record(actor=actor, event=Event.STOCK_ITEM_SAVE, subject=item, changes=changes)
    return item


def _months(value, field) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Give a number of months.")]}) from None
    if not Decimal("0") <= number <= Decimal("24"):
        raise ValidationError({field: [_("Give between 0 and 24 months.")]})
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def site_item_save(*, actor, site, item, stocked: bool, min_months, max_months) -> SiteItem:
    """Whether the site stocks the item, and its minimum and maximum."""
    if not may(actor, Action.EDIT, Category.STOCK, site.project_id):
        raise PermissionDenied(_("Your role may not change what this site stocks."))
    low, high = _months(min_months, "min_months"), _months(max_months, "max_months")
    if high < low:
        raise ValidationError({"max_months": [_("The maximum is below the minimum.")]})
    row, _created = SiteItem.objects.select_for_update(of=("self",)).get_or_create(
        site=site, item=item, defaults={"stocked": stocked, "min_months": low, "max_months": high}
    )
    newly_stocked = stocked and (_created or not row.stocked)
    row.stocked, row.min_months, row.max_months = stocked, low, high
    row.version += 1
    row.save()
    if newly_stocked:
        # The recorded months hold the items stocked when they were written
        # (a past month keeps the minimum then in force): written again.
        StockMonth.objects.filter(site=site).delete()
    audit.record(
        actor=actor,
        event=Event.STOCK_SITE_ITEM_SAVE,
        subject=row,
        project=site.project,
        extra={"site": site.pk, "item": item.code, "stocked": stocked},
    )
    return row
