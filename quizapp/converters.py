"""Path converters; importing this module registers them."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    """A row id or a position in a URL: at most 18 digits, so it fits a 64-bit integer column.

    Django's ``int`` converter takes any length, and a 20-digit id then overflows the
    database driver (a 500 on SQLite) instead of matching nothing. Here a longer number
    is no match at all: a 404.
    """

    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")
