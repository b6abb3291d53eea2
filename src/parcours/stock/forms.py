"""Forms of the stock pages: typed fields in, plain values to the services
(which hold every rule; their ValidationErrors come back as field errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.lib.forms import DateTimeLocalInput
from parcours.stock.models import Balance, Form, Item, LossReason


def item_choices():
    return [("", "—")] + [
        (item.pk, f"{item.code} · {item.name}")
        for item in Item.objects.filter(is_active=True).order_by("code")
    ]


def batch_choices(site):
    rows = (
        Balance.objects.filter(site=site)
        .select_related("batch", "item")
        .order_by("item__code", "batch__expires_on")
    )
    return [("", "—")] + [
        (
            row.batch_id,
            f"{row.item.code} · {row.batch.number} · {row.batch.expires_on:%d/%m/%Y} · "
            f"{row.on_hand}",
        )
        for row in rows
    ]


class MovementForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int, choices=())
    occurred_at = forms.DateTimeField(
        label=_("Date and time"), required=False, widget=DateTimeLocalInput()
    )

    def __init__(self, *args, site, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = item_choices()
        if "batch" in self.fields:
            self.fields["batch"].choices = batch_choices(site)
        if "to_site" in self.fields:
            self.fields["to_site"].choices = [("", "—")] + [(s.pk, str(s)) for s in sites]


class ReceiptForm(MovementForm):
    supplier = forms.CharField(label=_("Supplier"), max_length=120, required=False)
    number = forms.CharField(label=_("Batch number"), max_length=40, required=False)
    expires_on = forms.DateField(
        label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False)


class DistributionForm(MovementForm):
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    people_count = forms.IntegerField(label=_("Number of people"), required=False)
    batch = forms.TypedChoiceField(
        label=_("Batch (first to expire if empty)"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Where, what for"), max_length=255, required=False)


class TransferForm(MovementForm):
    to_site = forms.TypedChoiceField(label=_("To the site"), coerce=int, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    batch = forms.TypedChoiceField(
        label=_("Batch (first to expire if empty)"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class LossForm(MovementForm):
    batch = forms.TypedChoiceField(label=_("Batch"), coerce=int, required=False, empty_value=None)
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *LossReason.choices])
    note = forms.CharField(label=_("What happened"), max_length=255, required=False)


class CountForm(MovementForm):
    batch = forms.TypedChoiceField(label=_("Batch"), coerce=int, required=False, empty_value=None)
    counted = forms.IntegerField(label=_("Quantity counted"), required=False)
    counter_name = forms.CharField(label=_("Counted by"), max_length=120, required=False)


MOVEMENT_FORMS = {
    "receipt": (ReceiptForm, _("Receive stock")),
    "distribution": (DistributionForm, _("Distribute without a consultation")),
    "transfer": (TransferForm, _("Transfer to another site")),
    "loss": (LossForm, _("Record a loss")),
    "count": (CountForm, _("Inventory count")),
}


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=24)
    name_fr = forms.CharField(label=_("Designation (French)"), max_length=200)
    name_en = forms.CharField(label=_("Designation (English)"), max_length=200)
    form = forms.ChoiceField(label=_("Form"), choices=[("", "—"), *Form.choices])
    strength = forms.CharField(label=_("Strength"), max_length=60, required=False)
    unit = forms.CharField(label=_("Dispensing unit"), max_length=40)
    therapeutic_class = forms.CharField(label=_("Therapeutic class"), max_length=80, required=False)
    controlled = forms.BooleanField(label=_("Controlled drug"), required=False)
    cold_chain = forms.BooleanField(label=_("Cold chain"), required=False)


class SiteItemForm(forms.Form):
    stocked = forms.BooleanField(label=_("Stocked at this site"), required=False)
    min_months = forms.DecimalField(
        label=_("Minimum (months of stock)"), max_digits=4, decimal_places=1
    )
    max_months = forms.DecimalField(
        label=_("Maximum (months of stock)"), max_digits=4, decimal_places=1
    )
