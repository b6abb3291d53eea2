"""Every movement of stock: receipts, dispensings, distributions, transfers,
losses, inventory counts and reversals. Each one checks the rule that
protects it, locks the (site, item) rows (``ledger.lock``), writes ledger
lines through ``ledger.post`` and is audited; nothing is written when a check
fails."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.scope import may
from parcours.access.terms import Action, Category
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.stock import ledger
from parcours.stock.models import Balance, Batch, Item, Kind, LedgerLine, LossReason
from parcours.stock.validation import clean_batch_number, clean_quantity, clean_when


def check_may(actor, site, action: str = Action.CREATE) -> None:
    if not may(actor, action, Category.STOCK, site.project_id):
        raise PermissionDenied(_("Your role may not record stock movements at this site."))


def _audit(actor, site, lines: list[LedgerLine], **extra) -> None:
    first = lines[0]
    audit.record(
        actor=actor,
        event=Event.STOCK_MOVEMENT,
        subject=first,
        project=site.project,
        extra={
            "kind": first.kind,
            "site": site.pk,
            "item": first.item.code,
            "lines": [line.pk for line in lines],
            "quantity": sum(line.quantity for line in lines),
            **extra,
        },
    )


def _line(actor, site, item, batch, kind, quantity, at, **fields) -> LedgerLine:
    return LedgerLine(
        site=site,
        item=item,
        batch=batch,
        kind=kind,
        quantity=quantity,
        occurred_at=at,
        author=actor,
        **fields,
    )


def fefo_batches(site, item, *, today: date | None = None) -> list[tuple[Batch, int]]:
    """Batches of the item in stock at the site, not expired, first expiry first."""
    today = today or timezone.localdate()
    rows = (
        Balance.objects.filter(site=site, item=item, on_hand__gt=0, batch__expires_on__gte=today)
        .select_related("batch")
        .order_by("batch__expires_on", "batch_id")
    )
    return [(row.batch, row.on_hand) for row in rows]


def _take(site, item, quantity: int, batch: Batch | None, today: date) -> list[tuple[Batch, int]]:
    """What to take from which batch: the chosen one, or first expiry first
    (several batches when the first does not hold enough)."""
    if batch is not None:
        if batch.item_id != item.pk:
            raise ValidationError({"batch": [_("This batch is not of this item.")]})
        if batch.expires_on < today:
            raise ValidationError(
                {
                    "batch": [
                        _("Batch %(b)s has expired: record it as a loss.") % {"b": batch.number}
                    ]
                }
            )
        return [(batch, quantity)]
    plan, left = [], quantity
    available = fefo_batches(site, item, today=today)
    for candidate, on_hand in available:
        taken = min(on_hand, left)
        plan.append((candidate, taken))
        left -= taken
        if left == 0:
            return plan
    total = sum(on_hand for _b, on_hand in available)
    raise ValidationError(
        {
            "quantity": [
                _(
                    "Not enough in stock: %(available)s %(unit)s of %(item)s available at "
                    "this site (batches not expired), %(asked)s asked."
                )
                % {"available": total, "unit": item.unit, "item": item.code, "asked": quantity}
            ]
        }
    )


@transaction.atomic
def stock_out_lines(
    *,
    actor,
    site,
    item: Item,
    quantity,
    kind: str,
    batch: Batch | None = None,
    occurred_at: datetime | None = None,
    now: datetime | None = None,
    **fields,
) -> list[LedgerLine]:
    """Take stock out (dispensing, distribution, transfer out): FEFO unless a
    batch is chosen. Refused, naming the stock available, when there is not
    enough."""
    check_may(actor, site)
    quantity = clean_quantity(quantity)
    now = now or timezone.now()
    at = clean_when(occurred_at, now=now)
    ledger.lock([(site.pk, item.pk)])
    plan = _take(site, item, quantity, batch, timezone.localdate(now))
    lines = ledger.post(
        [_line(actor, site, item, b, kind, -taken, at, **fields) for b, taken in plan]
    )
    _audit(actor, site, lines)
    return lines


def dispense(*, actor, site, item, quantity, batch=None, encounter=None, **kw):
    """Dispense to a person seen in a consultation (``encounter``), or to
    someone not registered (no encounter)."""
    if encounter is not None and encounter.site_id != site.pk:
        raise ValidationError({"encounter": [_("The consultation was not recorded at this site.")]})
    return stock_out_lines(
        actor=actor,
        site=site,
        item=item,
        quantity=quantity,
        kind=Kind.DISPENSING,
        batch=batch,
        encounter=encounter,
        **kw,
    )


def distribute(*, actor, site, item, quantity, people_count, batch=None, note="", **kw):
    """Hand out without a consultation (hygiene kits on an outreach round):
    only how many people received it, never who."""
    people_count = clean_quantity(people_count, field="people_count")
    return stock_out_lines(
        actor=actor,
        site=site,
        item=item,
        quantity=quantity,
        kind=Kind.DISTRIBUTION,
        batch=batch,
        people_count=people_count,
        note=note,
        **kw,
    )


def transfer_send(*, actor, site, to_site, item, quantity, batch=None, note="", **kw):
    if to_site is None:
        raise ValidationError({"to_site": [_("Choose the site the stock goes to.")]})
    if to_site.pk == site.pk:
        raise ValidationError({"to_site": [_("A transfer goes to another site.")]})
    return stock_out_lines(
        actor=actor,
        site=site,
        item=item,
        quantity=quantity,
        kind=Kind.TRANSFER_OUT,
        batch=batch,
        other_site=to_site,
        note=note,
        **kw,
    )


@transaction.atomic
def transfer_receive(*, actor, line_id: int, now: datetime | None = None) -> LedgerLine:
    """Receive at its destination what a transfer out sent (same batch, same quantity)."""
    sent = (
        LedgerLine.objects.select_related("other_site__project", "item", "batch", "site")
        .filter(pk=line_id, kind=Kind.TRANSFER_OUT, reverses__isnull=True)
        .first()
    )
    if sent is None:
        raise ValidationError({"line": [_("No such transfer.")]})
    destination = sent.other_site
    check_may(actor, destination)
    ledger.lock([(destination.pk, sent.item_id)])
    if LedgerLine.objects.filter(transfer_of=sent).exists():
        raise ValidationError({"line": [_("This transfer was already received.")]})
    if LedgerLine.objects.filter(reverses=sent).exists():
        raise ValidationError({"line": [_("This transfer was cancelled.")]})
    received = ledger.post(
        [
            _line(
                actor,
                destination,
                sent.item,
                sent.batch,
                Kind.TRANSFER_IN,
                -sent.quantity,
                now or timezone.now(),
                other_site=sent.site,
                transfer_of=sent,
            )
        ]
    )
    _audit(actor, destination, received, transfer_of=sent.pk)
    return received[0]


@transaction.atomic
def receipt_record(
    *,
    actor,
    site,
    item: Item,
    batches: list[dict],
    supplier: str = "",
    order=None,
    occurred_at: datetime | None = None,
    now: datetime | None = None,
    note: str = "",
) -> list[LedgerLine]:
    """Receive stock: each batch with its number, expiry and quantity."""
    check_may(actor, site)
    now = now or timezone.now()
    at = clean_when(occurred_at, now=now)
    today = timezone.localdate(now)
    if not batches:
        raise ValidationError({"batch": [_("A receipt needs at least one batch.")]})
    if not supplier.strip() and order is None:
        raise ValidationError({"supplier": [_("Name the supplier (or receive an order).")]})
    ledger.lock([(site.pk, item.pk)])
    lines = []
    for entry in batches:
        batch = batch_for_receipt(item, entry.get("number"), entry.get("expires_on"), today=today)
        quantity = clean_quantity(entry.get("quantity"))
        lines.append(
            _line(
                actor,
                site,
                item,
                batch,
                Kind.RECEIPT,
                quantity,
                at,
                supplier=supplier.strip()[:120],
                order=order,
                note=note[:255],
            )
        )
    written = ledger.post(lines)
    _audit(actor, site, written, order=order.pk if order else None)
    return written


def batch_for_receipt(item: Item, number, expires_on, *, today: date) -> Batch:
    number = clean_batch_number(number)
    if not expires_on:
        raise ValidationError({"expires_on": [_("Give the batch's expiry date.")]})
    if not isinstance(expires_on, date):
        raise ValidationError({"expires_on": [_("Give the expiry date as YYYY-MM-DD.")]})
    if expires_on < today:
        raise ValidationError(
            {"expires_on": [_("This expiry date is in the past: the batch cannot be received.")]}
        )
    batch, created = Batch.objects.get_or_create(
        item=item, number=number, defaults={"expires_on": expires_on}
    )
    if not created and batch.expires_on != expires_on:
        raise ValidationError(
            {
                "expires_on": [
                    _("Batch %(b)s of this item was received before with expiry %(d)s.")
                    % {"b": number, "d": batch.expires_on.isoformat()}
                ]
            }
        )
    return batch


@transaction.atomic
def loss_record(
    *, actor, site, item, batch: Batch | None, quantity, reason: str, note: str = "", now=None
) -> LedgerLine:
    check_may(actor, site)
    quantity = clean_quantity(quantity)
    if reason not in LossReason.values:
        raise ValidationError({"reason": [_("Choose why the stock was lost.")]})
    if reason == LossReason.OTHER and not note.strip():
        raise ValidationError({"note": [_("Say what happened.")]})
    if batch is None or batch.item_id != item.pk:
        raise ValidationError({"batch": [_("Choose the batch lost.")]})
    ledger.lock([(site.pk, item.pk)])
    lines = ledger.post(
        [
            _line(
                actor,
                site,
                item,
                batch,
                Kind.LOSS,
                -quantity,
                now or timezone.now(),
                loss_reason=reason,
                note=note[:255],
            )
        ]
    )
    _audit(actor, site, lines, reason=reason)
    return lines[0]


@transaction.atomic
def count_record(
    *, actor, site, item, batch: Batch | None, counted, counter_name: str = "", now=None
) -> LedgerLine:
    """An inventory count of one batch: the difference with the ledger becomes
    an adjustment line carrying the counter's name (zero when it matches)."""
    check_may(actor, site)
    ledger.lock([(site.pk, item.pk)])
    counted = clean_quantity(counted, field="counted", zero=True)
    if batch is None or batch.item_id != item.pk:
        raise ValidationError({"batch": [_("Choose the batch counted.")]})
    counter_name = (counter_name or "").strip() or actor.get_full_name() or actor.username
    difference = counted - ledger.batch_on_hand(site.pk, batch.pk)
    lines = ledger.post(
        [
            _line(
                actor,
                site,
                item,
                batch,
                Kind.ADJUSTMENT,
                difference,
                now or timezone.now(),
                counted=counted,
                counter_name=counter_name[:120],
            )
        ]
    )
    _audit(actor, site, lines, counted=counted)
    return lines[0]


@transaction.atomic
def line_reverse(*, actor, line_id: int, note: str = "", now=None) -> LedgerLine:
    """Correct a mistake: a line of the same kind with the opposite quantity."""
    line = (
        LedgerLine.objects.select_related("site__project", "item", "batch")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise ValidationError({"line": [_("No such ledger line.")]})
    check_may(actor, line.site)
    ledger.lock([(line.site_id, line.item_id)])
    if line.reverses_id is not None:
        raise ValidationError({"line": [_("A correction is not corrected again.")]})
    if LedgerLine.objects.filter(reverses=line).exists():
        raise ValidationError({"line": [_("This line was already corrected.")]})
    if line.kind == Kind.TRANSFER_OUT and LedgerLine.objects.filter(transfer_of=line).exists():
        raise ValidationError(
            {"line": [_("This transfer was received: correct the receiving line first.")]}
        )
    reversal = ledger.post(
        [
            _line(
                actor,
                line.site,
                line.item,
                line.batch,
                line.kind,
                -line.quantity,
                now or timezone.now(),
                reverses=line,
                note=(note or "")[:255],
                other_site=line.other_site,
                order=line.order,
                # A corrected dispensing stays with its consultation.
                encounter_id=line.encounter_id,
            )
        ],
        field_name="line",
    )
    _audit(actor, line.site, reversal, reverses=line.pk)
    return reversal[0]
