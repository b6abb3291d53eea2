"""What the MEAL engine counts of the pharmacy: days out of stock and items
below minimum, per site and month (``StockMonth``, docs/stock.md). Found by
parcours.meal at start-up.

Counted under the stock category (counts of stock, no person): the roles
that aggregate stock (coordinator, medical referent, MEAL) count them. A row
is one item at one site over one complete month; the rows are brought up
to date with the ledger (``figures.months_record``) before each count.

- ``stock_out_days``: sum the field ``days`` (days out of stock, fractions
  included) over the period: exact for months, quarters and years.
- ``stock_below_min``: count the items below their minimum at the end of
  each month of the period; for a quarter or a year, filter on
  ``quarter_end`` or ``year_end`` to count those at the end of the period.
"""

from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.meal.facts import Fact, Field, Part, register
from parcours.stock.figures import months_record
from parcours.stock.models import Form, StockMonth


def _rows(**condition):
    def base():
        months_record()
        return StockMonth.objects.filter(**condition)

    return base


ITEM_FIELDS = (
    Field("item", "item__code", _("item code"), "text"),
    Field("therapeutic_class", "item__therapeutic_class", _("therapeutic class"), "text"),
    Field("form", "item__form", _("form"), "choice", tuple(Form.choices)),
    Field("controlled", "item__controlled", _("controlled drug"), "bool"),
    Field("cold_chain", "item__cold_chain", _("cold chain"), "bool"),
)
PERIOD_END_FIELDS = (
    Field("quarter_end", "quarter_end", _("month closing a quarter"), "bool"),
    Field("year_end", "year_end", _("month closing a year"), "bool"),
)


def _part(base) -> Part:
    return Part(
        model="stock.StockMonth",
        base=base,
        date="month",
        project="site__project",
        site="site",
        dimensions={"site": "site__name"},
    )


register(
    Fact(
        code="stock_out_days",
        label=_("Days out of stock (item × site × month)"),
        category=Category.STOCK,
        discipline="stock",
        parts=(_part(_rows(stockout_days__gt=0)),),
        fields=(Field("days", "stockout_days", _("days out of stock"), "decimal"), *ITEM_FIELDS),
        dimensions=("site",),
    )
)

register(
    Fact(
        code="stock_below_min",
        label=_("Items below minimum at the end of the month (item × site)"),
        category=Category.STOCK,
        discipline="stock",
        parts=(_part(_rows(below_min_at_end=True)),),
        fields=(
            Field("out_of_stock", "out_at_end", _("out of stock"), "bool"),
            Field("on_hand", "on_hand_at_end", _("on hand at the end of the month"), "int"),
            *PERIOD_END_FIELDS,
            *ITEM_FIELDS,
        ),
        dimensions=("site",),
    )
)
