"""The <id:…> path converter: a database id, or no match (404).

Django's <id:…> accepts any number of digits, and a number larger than a
64-bit key overflows the database driver (a 500). Importing this module
registers the converter; every urls.py that takes ids imports it.
"""

from django.urls import register_converter
from django.urls.converters import get_converters

from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)
from parcours.lib.api_schemas import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a database id")  # the URL does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


if "id" not in get_converters():
    register_converter(IdConverter, "id")
