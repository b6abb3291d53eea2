"""Dispensing from the site's pharmacy inside the medical consultation form
(registered in care's encounter-form parts by StockConfig.ready).

Each treatment line names an item in stock at the consultation's sites, a
quantity, and the batch: first expiry first by default (the batch that
``services.fefo_batches`` puts first), or one chosen. Saving takes the
quantities from stock in the encounter's transaction, and a line with a
duration joins the person's current treatments in the clinical summary.

Editing a consultation shows what it dispensed (item, batch, quantity, when,
by whom, corrections) and takes more lines; a dispensed line is corrected by
ticking it, which writes a reversing ledger line (``services.line_reverse``)
in the same transaction: a ledger line is never edited.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.scope import may
from parcours.access.terms import Action, Category
from parcours.care.choices import Discipline
from parcours.care.summary_services import summary_item_create
from parcours.stock import services
from parcours.stock.models import Balance, Batch, Item, Kind, LedgerLine

LINES = 4
PREFIX = "dispense"


class DispensingPart:
    disciplines = frozenset({Discipline.MEDICAL})
    on_edit = True  # also on the consultation's edit page (care.extensions)
    template_name = "stock/_dispensing_part.html"

    def __init__(self, *, site_ids, items, batches, data, dispensed=(), editing=False):
        self.site_ids = site_ids
        self.items = items  # id -> (Item, {site_id: on_hand})
        self.batches = batches  # id -> (Batch, site_id, on_hand)
        self.data = data
        self.dispensed = list(dispensed)  # the edited consultation's lines
        self.editing = editing
        self.errors: dict[int, list[str]] = {}
        self.cancel_errors: list[str] = []
        self.cleaned: list[dict] = []
        self.cancelled: list[int] = []

    @property
    def may_dispense(self) -> bool:
        return bool(self.site_ids)

    @classmethod
    def build(cls, *, user, sites, data, person, encounter=None):
        if person is None:
            return None
        site_ids = [s.pk for s in sites if may(user, Action.CREATE, Category.STOCK, s.project_id)]
        dispensed = dispensed_lines(encounter) if encounter is not None else []
        if not site_ids:
            # Who edits the consultation reads what it dispensed, even without
            # the right to take more from the pharmacy.
            if not dispensed:
                return None
            return cls(
                site_ids=[], items={}, batches={}, data=None, dispensed=dispensed, editing=True
            )
        today = timezone.localdate()
        balances = (
            Balance.objects.filter(
                site_id__in=site_ids, on_hand__gt=0, batch__expires_on__gte=today
            )
            .select_related("item", "batch")
            .order_by("item__code", "batch__expires_on", "batch_id")
        )
        items: dict[int, tuple[Item, dict]] = {}
        batches: dict[int, tuple[Batch, int, int]] = {}
        for row in balances:
            _item, per_site = items.setdefault(row.item_id, (row.item, {}))
            per_site[row.site_id] = per_site.get(row.site_id, 0) + row.on_hand
            batches[row.batch_id] = (row.batch, row.site_id, row.on_hand)
        if not items and not dispensed:
            return None
        return cls(site_ids=site_ids, items=items, batches=batches, data=data, dispensed=dispensed)

    # --- what the template shows ---------------------------------------------

    def item_options(self):
        return [
            {
                "id": item.pk,
                "label": f"{item.code} · {item.name} ({sum(per_site.values())} {item.unit})",
            }
            for item, per_site in self.items.values()
        ]

    def batch_groups(self):
        groups: dict[int, list] = {}
        for batch, _site_id, on_hand in self.batches.values():
            groups.setdefault(batch.item_id, []).append(
                {
                    "id": batch.pk,
                    "label": f"{batch.number} · {batch.expires_on:%d/%m/%Y} · {on_hand}",
                }
            )
        return [
            {"item": self.items[item_id][0].code, "batches": rows}
            for item_id, rows in groups.items()
        ]

    def rows(self):
        data = self.data or {}
        return [
            {
                "index": i,
                "item": data.get(f"{PREFIX}-{i}-item", ""),
                "quantity": data.get(f"{PREFIX}-{i}-quantity", ""),
                "batch": data.get(f"{PREFIX}-{i}-batch", ""),
                "dose": data.get(f"{PREFIX}-{i}-dose", ""),
                "days": data.get(f"{PREFIX}-{i}-days", ""),
                "errors": self.errors.get(i, []),
            }
            for i in range(LINES)
        ]

    # --- checking and saving --------------------------------------------------

    def _number(self, value, errors, *, label, required) -> int | None:
        if value in (None, ""):
            if required:
                errors.append(_("%(what)s: give a number.") % {"what": label})
            return None
        try:
            number = int(value)
        except ValueError:
            errors.append(_("%(what)s: give a whole number.") % {"what": label})
            return None
        if not 0 < number <= 10_000:
            errors.append(_("%(what)s: give a number between 1 and 10,000.") % {"what": label})
            return None
        return number

    def _clean_cancelled(self) -> None:
        open_ids = {row["id"] for row in self.dispensed if row["cancellable"]}
        for raw in self.data.getlist(f"{PREFIX}-cancel") if hasattr(self.data, "getlist") else []:
            if not str(raw).isdigit() or int(raw) not in open_ids:
                self.cancel_errors.append(
                    _("This dispensing is not one of this consultation's, or it was corrected.")
                )
                continue
            self.cancelled.append(int(raw))

    def is_valid(self) -> bool:
        if self.data is None:
            return True
        self.errors, self.cleaned, self.cancel_errors, self.cancelled = {}, [], [], []
        self._clean_cancelled()
        for i in range(LINES):
            raw_item = (self.data.get(f"{PREFIX}-{i}-item") or "").strip()
            if not raw_item:
                continue
            errors: list[str] = []
            item = self.items.get(int(raw_item), (None,))[0] if raw_item.isdigit() else None
            if item is None:
                errors.append(_("This item is not in stock at your sites."))
            quantity = self._number(
                self.data.get(f"{PREFIX}-{i}-quantity"), errors, label=_("Quantity"), required=True
            )
            days = self._number(
                self.data.get(f"{PREFIX}-{i}-days"), errors, label=_("Days"), required=False
            )
            batch = None
            raw_batch = (self.data.get(f"{PREFIX}-{i}-batch") or "").strip()
            if raw_batch:
                batch = (
                    self.batches.get(int(raw_batch), (None,))[0] if raw_batch.isdigit() else None
                )
                if batch is None or (item is not None and batch.item_id != item.pk):
                    errors.append(_("This batch is not one of this item's batches in stock."))
            if errors:
                self.errors[i] = errors
                continue
            self.cleaned.append(
                {
                    "item": item,
                    "quantity": quantity,
                    "batch": batch,
                    "dose": (self.data.get(f"{PREFIX}-{i}-dose") or "").strip()[:120],
                    "days": days,
                }
            )
        return not self.errors and not self.cancel_errors

    def save(self, *, actor, encounter) -> None:
        if not self.cleaned and not self.cancelled:
            return
        if encounter.site_id not in self.site_ids:
            raise ValidationError(_("You may not dispense from the pharmacy of this site."))
        for line_id in self.cancelled:
            services.line_reverse(
                actor=actor, line_id=line_id, note=_("Corrected in the consultation")
            )
        on = timezone.localdate(encounter.occurred_at)
        # New lines of a consultation being edited leave the shelf now.
        when = None if self.editing else encounter.occurred_at
        for line in self.cleaned:
            try:
                services.dispense(
                    actor=actor,
                    site=encounter.site,
                    item=line["item"],
                    quantity=line["quantity"],
                    batch=line["batch"],
                    encounter=encounter,
                    occurred_at=when,
                )
            except ValidationError as error:
                raise ValidationError(
                    [f"{line['item'].code}: {message}" for message in error.messages]
                ) from None
            if line["days"]:
                summary_item_create(
                    actor=actor,
                    person=encounter.person,
                    kind="treatment",
                    data={
                        "name": line["item"].name,
                        "dose": line["dose"],
                        "since": on,
                        "until": on + timedelta(days=line["days"] - 1),
                    },
                )


def dispensed_lines(encounter) -> list[dict]:
    """What the consultation dispensed, oldest first: the lines that point to
    it, corrections included (a correction cannot be corrected again)."""
    lines = list(
        LedgerLine.objects.filter(encounter=encounter, kind=Kind.DISPENSING)
        .select_related("item", "batch", "author")
        .order_by("occurred_at", "id")
    )
    reversed_ids = {line.reverses_id for line in lines if line.reverses_id}
    return [
        {
            "id": line.pk,
            "item": line.item,
            "batch": line.batch,
            "quantity": -line.quantity,
            "occurred_at": line.occurred_at,
            "author": line.author,
            "correction": line.reverses_id is not None,
            "corrected": line.pk in reversed_ids,
            "cancellable": line.reverses_id is None and line.pk not in reversed_ids,
        }
        for line in lines
    ]
