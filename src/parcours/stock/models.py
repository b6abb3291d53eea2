"""Pharmacy and medical stock: the catalogue, batches, per-site settings, the
ledger of movements (the only truth) and medical orders.

Stock on hand is the sum of ledger lines. ``Balance`` (per site, item and
batch) and ``StockOut`` (periods when a site had none of an item) are kept
by the services in the same transaction as the line, for speed only;
``ledger.check_derived`` proves they equal what the ledger says.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category


class Form(models.TextChoices):
    TABLET = "tablet", _("tablet")
    CAPSULE = "capsule", _("capsule")
    SYRUP = "syrup", _("oral liquid")
    SACHET = "sachet", _("sachet")
    CREAM = "cream", _("cream / ointment")
    LOTION = "lotion", _("lotion / solution")
    INJECTION = "injection", _("injection")
    DROPS = "drops", _("drops")
    DRESSING = "dressing", _("dressing")
    DEVICE = "device", _("device")
    TEST = "test", _("rapid test")
    KIT = "kit", _("kit")
    OTHER = "other", _("other")


class Item(models.Model):
    ACCESS_CATEGORY = Category.STOCK

    # MSF-style article codes (DORAPARA5T) are taken as given, in capitals.
    code = models.CharField(_("code"), max_length=24, unique=True)
    name_fr = models.CharField(_("designation (French)"), max_length=200)
    name_en = models.CharField(_("designation (English)"), max_length=200)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices)
    strength = models.CharField(_("strength"), max_length=60, blank=True)
    unit = models.CharField(_("dispensing unit"), max_length=40)
    therapeutic_class = models.CharField(_("therapeutic class"), max_length=80, blank=True)
    controlled = models.BooleanField(_("controlled drug"), default=False)
    cold_chain = models.BooleanField(_("cold chain"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        english = (get_language() or "fr").startswith("en")
        base = self.name_en if english else self.name_fr
        return f"{base} {self.strength}".strip() if self.strength else base


class SiteItem(models.Model):
    """Whether a site stocks an item, and its minimum and maximum in months of
    stock. The row is also the lock taken by every movement of the item at
    the site (no two writers compute the same stock at once)."""

    ACCESS_CATEGORY = Category.STOCK

    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="site_items")
    stocked = models.BooleanField(_("stocked at this site"), default=True)
    min_months = models.DecimalField(
        _("minimum (months of stock)"), max_digits=4, decimal_places=1, default=1
    )
    max_months = models.DecimalField(
        _("maximum (months of stock)"), max_digits=4, decimal_places=1, default=3
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "item"], name="site_item_once")]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.item_id}"


class Batch(models.Model):
    ACCESS_CATEGORY = Category.STOCK

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="batches")
    number = models.CharField(_("batch number"), max_length=40)
    expires_on = models.DateField(_("expiry date"))

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="batch_once")]

    def __str__(self) -> str:
        return f"{self.number} ({self.expires_on:%Y-%m-%d})"


class Kind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    DISPENSING = "dispensing", _("Dispensing")
    DISTRIBUTION = "distribution", _("Distribution (no consultation)")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    LOSS = "loss", _("Loss")
    ADJUSTMENT = "adjustment", _("Inventory adjustment")


# What the average monthly consumption counts.
CONSUMPTION_KINDS = (Kind.DISPENSING, Kind.DISTRIBUTION)


class LossReason(models.TextChoices):
    EXPIRED = "expired", _("expired")
    DAMAGED = "damaged", _("damaged")
    STOLEN = "stolen", _("stolen")
    OTHER = "other", _("other")


class LedgerImmutable(Exception):
    """A ledger line is never changed or deleted: a mistake is reversed."""


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutable("ledger lines are never updated; record a reversing line")

    def delete(self):
        raise LedgerImmutable("ledger lines are never deleted; record a reversing line")

    def bulk_update(self, *args, **kwargs):
        raise LedgerImmutable("ledger lines are never updated; record a reversing line")


class LedgerLine(models.Model):
    """One movement of one batch of one item at one site: positive in,
    negative out. Written once, never edited or deleted."""

    # Never rewritten, not even by the GDPR anonymisation (gdpr.services): a
    # line reaches a person only through its encounter, and its note is about
    # the stock movement, not about the person.
    APPEND_ONLY = True

    # A dispensing points to its encounter: the person is shown only as
    # parcours.stock.references decides (pseudonymous unless medical records
    # are open to the reader).
    ACCESS_CATEGORY = Category.STOCK

    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("movement"), max_length=14, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"))
    occurred_at = models.DateTimeField(_("date"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Receipt: its supplier, or the order it delivers.
    supplier = models.CharField(_("supplier"), max_length=120, blank=True)
    order = models.ForeignKey(
        "stock.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    # Dispensing from a consultation.
    encounter = models.ForeignKey(
        "care.Encounter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Distribution without consultation: how many people received it (anonymous).
    people_count = models.PositiveIntegerField(_("people"), null=True, blank=True)
    # Transfers: the other site; a transfer in names the transfer out it receives.
    other_site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transfer_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="received_by"
    )
    loss_reason = models.CharField(
        _("reason"), max_length=10, choices=LossReason.choices, blank=True
    )
    # Inventory count: what was counted and by whom (the difference is the quantity).
    counted = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    counter_name = models.CharField(_("counted by"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # A correction: the line this one cancels (same kind, opposite quantity).
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Consumption per month (AMC): read from the index alone.
            models.Index(
                fields=["site", "kind", "occurred_at", "item", "quantity"],
                name="ledger_consumption",
            ),
            # One item's history at a site (its ledger, its stock-out periods).
            models.Index(fields=["site", "item", "occurred_at"], name="ledger_site_item"),
            # The ledger page, newest first, paged by key.
            models.Index(fields=["site", "occurred_at", "id"], name="ledger_site_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} {self.item_id}@{self.site_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise LedgerImmutable("ledger lines are never updated; record a reversing line")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutable("ledger lines are never deleted; record a reversing line")


class Balance(models.Model):
    """Stock on hand of one batch at one site: the ledger's sum, kept for speed."""

    ACCESS_CATEGORY = Category.STOCK

    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    on_hand = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "item", "batch"], name="balance_once"),
            models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="balance_not_negative"),
        ]
        indexes = [
            # The batches in stock at a site (status page, FEFO), not every
            # batch it ever held.
            models.Index(
                fields=["site", "item"],
                condition=models.Q(on_hand__gt=0),
                name="balance_in_stock",
            ),
        ]


class StockOut(models.Model):
    """A period when a site had none of an item (all batches), from the line
    that emptied it to the one that refilled it (open while it lasts)."""

    ACCESS_CATEGORY = Category.STOCK

    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        indexes = [models.Index(fields=["site", "item", "started_at"], name="stockout_site_item")]


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    WAITING = "waiting", _("waiting for validation")
    VALIDATED = "validated", _("validated")
    SENT = "sent", _("sent")
    PARTLY_RECEIVED = "partly_received", _("partly received")
    RECEIVED = "received", _("received")
    CANCELLED = "cancelled", _("cancelled")


class Order(models.Model):
    ACCESS_CATEGORY = Category.STOCK

    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    comment = models.CharField(_("comment"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"CMD-{self.pk:05d}"


class OrderLine(models.Model):
    ACCESS_CATEGORY = Category.STOCK

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    comment = models.CharField(_("comment"), max_length=255, blank=True)

    class Meta:
        ordering = ["item__code"]
        constraints = [
            models.UniqueConstraint(fields=["order", "item"], name="order_line_once"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_positive"),
        ]


class StockMonth(models.Model):
    """One item at one site over one complete calendar month: what was
    consumed, its days out of stock, and whether it ended the month below its
    minimum. The AMC reads them (``planning``), the MEAL indicators count them
    (``stock/meal_facts.py``). Derived from the ledger by ``stock.figures``
    (a month is written once it is over, and written again when a back-dated
    movement changes it; ``figures.check`` proves they agree); no person."""

    ACCESS_CATEGORY = Category.STOCK

    site = models.ForeignKey("org.Site", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    # The first instant of the month (local time): the date the MEAL engine filters on.
    month = models.DateTimeField()
    consumed = models.IntegerField(default=0)  # dispensed and distributed (corrections included)
    stockout_days = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    on_hand_at_end = models.IntegerField(default=0)
    below_min_at_end = models.BooleanField(default=False)
    out_at_end = models.BooleanField(default=False)
    # The month closes a quarter / a year: "items below minimum at the end of
    # the quarter" counts only these rows.
    quarter_end = models.BooleanField(default=False)
    year_end = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "item", "month"], name="stock_month_once")
        ]
        indexes = [models.Index(fields=["site", "month"], name="stock_month_site")]
