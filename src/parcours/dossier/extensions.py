"""Links that the modules above dossier add to the person's page.

dossier may not import those modules (the layers forbid it): a module
registers a function from its ``AppConfig.ready()`` with
``register_person_link(fn)``. The page calls ``fn(user, person, scope)``
(``scope``: the page's ``records.record_scope``) for each registered
function; it returns ``(label, url)`` when the user has something to open
there, or None, and the page shows only the links it was given.
"""

from collections.abc import Callable

PersonLink = Callable[..., "tuple[str, str] | None"]

_LINKS: list[PersonLink] = []


def register_person_link(link: PersonLink) -> None:
    if link not in _LINKS:
        _LINKS.append(link)


def person_links(user, person, scope) -> list[tuple[str, str]]:
    return [found for link in _LINKS if (found := link(user, person, scope)) is not None]
