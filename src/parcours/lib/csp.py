"""Helpers for the Content-Security-Policy setting."""

from urllib.parse import urlsplit


def tile_origins(template: str) -> list[str]:
    """The origin of a map tile URL template, for ``img-src``.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` gives
    ``https://*.tile.example.org``: Leaflet fills ``{s}`` with a subdomain.
    An empty or relative template (tiles served by the app) adds nothing.
    """
    parts = urlsplit(template.strip())
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:  # another placeholder in the host: allow its subdomains
        host = "*." + host.split(".", 1)[-1]
    return [f"{parts.scheme}://{host}"]
