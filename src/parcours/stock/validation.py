"""Checks on stock input, shared by the pages, the API and the consultation form."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_QUANTITY = 1_000_000


def clean_quantity(value, *, field: str = "quantity", zero: bool = False) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Give a whole number.")]}) from None
    if number < 0 or (number == 0 and not zero):
        raise ValidationError({field: [_("Give a number above zero.")]})
    if number > MAX_QUANTITY:
        raise ValidationError({field: [_("This quantity is too large.")]})
    return number


def clean_batch_number(value) -> str:
    number = (value or "").strip().upper()
    if not number:
        raise ValidationError({"number": [_("Give the batch number (printed on the box).")]})
    if len(number) > 40:
        raise ValidationError({"number": [_("A batch number has at most 40 characters.")]})
    return number


def clean_when(value: datetime | None, *, now: datetime) -> datetime:
    if value is None:
        return now
    if value > now:
        raise ValidationError({"occurred_at": [_("A movement cannot be in the future.")]})
    return value


def clean_code(value) -> str:
    code = (value or "").strip().upper()
    if not code:
        raise ValidationError({"code": [_("Give the item's code.")]})
    if len(code) > 24 or any(ch.isspace() for ch in code):
        raise ValidationError({"code": [_("A code has at most 24 characters, without spaces.")]})
    return code
