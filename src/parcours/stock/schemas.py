"""What the stock API receives and answers."""

from datetime import date, datetime

from ninja import Field, Schema

from parcours.lib.api_schemas import Id, InputSchema


class ItemOut(Schema):
    id: int
    code: str
    name_fr: str
    name_en: str
    form: str
    strength: str
    unit: str
    therapeutic_class: str
    controlled: bool
    cold_chain: bool


class ItemListOut(Schema):
    count: int
    results: list[ItemOut]


class BatchOut(Schema):
    number: str
    expires_on: date
    on_hand: int


class StockLineOut(Schema):
    item: str = Field(description="The item's code.")
    site: int
    on_hand: int
    amc: float | None = Field(description="Average monthly consumption (3 complete months).")
    months_of_stock: float | None
    min_months: float
    max_months: float
    state: str = Field(description="stockout, below, above or ok.")
    on_order: int
    in_transit: int
    suggestion: int = Field(description="Reorder: maximum − on hand − on order.")
    stockout_days: float = Field(description="Days out of stock in the last 3 complete months.")
    batches: list[BatchOut]


class StockListOut(Schema):
    count: int
    results: list[StockLineOut]


class StockQuery(Schema):
    site: Id | None = None


class LedgerQuery(Schema):
    site: Id | None = None
    item: str | None = Field(None, max_length=24, description="An item code.")
    kind: str | None = Field(None, max_length=14)
    after: Id | None = Field(None, description="next_after of the previous page.")
    limit: int = Field(100, ge=1, le=500)


class LedgerLineOut(Schema):
    id: int
    site: int
    item: str
    batch: str
    expires_on: date
    kind: str
    quantity: int
    occurred_at: datetime
    author: str
    supplier: str
    order: int | None
    people_count: int | None
    other_site: int | None
    transfer_of: int | None
    loss_reason: str
    counted: int | None
    counter_name: str
    note: str
    reverses: int | None
    reference: str | None = Field(
        None, description="Pseudonymous reference of the consultation a dispensing was for."
    )
    person_code: str | None = Field(
        None, description="The person's code: only for who opens medical records there."
    )


class LedgerPageOut(Schema):
    results: list[LedgerLineOut]
    next_after: int | None


class DispensingIn(InputSchema):
    site: Id
    item: str = Field(max_length=24)
    quantity: int = Field(ge=1, le=1_000_000)
    encounter: Id | None = None
    batch: str | None = Field(None, max_length=40, description="A batch number (FEFO if absent).")


class DispensingOut(Schema):
    lines: list[LedgerLineOut]
    on_hand: int


class OrderLineIn(InputSchema):
    item: str = Field(max_length=24)
    quantity: int = Field(ge=1, le=1_000_000)
    comment: str = Field("", max_length=255)


class OrderCreateIn(InputSchema):
    site: Id
    lines: list[OrderLineIn] | None = Field(
        None, description="Absent: one line per suggestion of the site."
    )
    comment: str = Field("", max_length=255)


class OrderLineOut(Schema):
    item: str
    designation: str
    unit: str
    quantity: int
    received: int
    comment: str


class OrderOut(Schema):
    id: int
    reference: str
    site: int
    status: str
    version: int
    comment: str
    created_at: datetime
    validated_at: datetime | None
    sent_at: datetime | None
    lines: list[OrderLineOut]


class OrderListOut(Schema):
    count: int
    results: list[OrderOut]


class OrderQuery(Schema):
    site: Id | None = None
    status: str | None = Field(None, max_length=16)


class OrderStatusIn(InputSchema):
    status: str = Field(max_length=16)
    version: int


class StaleOut(Schema):
    detail: str
    current_version: int
