"""Searches kept out of URLs and server logs.

A search form posts; its fields are kept in the user's session under a
random token, and the list lives at ``?s=<token>``: neither the address bar,
the browser history, the Referer of the next request nor a server's or
proxy's access log holds what was typed. Paging works on the token.
"""

import secrets

from django.http import QueryDict

KEEP = 20  # searches kept per list and session (the oldest are forgotten)


def stash(request, key: str, data: QueryDict, drop=()) -> str:
    """Keep ``data`` (without the ``drop`` fields) under a new token."""
    searches = request.session.get(key, {})
    token = secrets.token_urlsafe(9)
    kept = data.copy()
    for name in drop:
        kept.pop(name, None)
    searches[token] = kept.urlencode()
    request.session[key] = dict(list(searches.items())[-KEEP:])
    return token


def recall(request, key: str, token: str) -> QueryDict | None:
    """The search kept under ``token``, or None when it is forgotten
    (another session, signed out since)."""
    saved = request.session.get(key, {}).get(token)
    return None if saved is None else QueryDict(saved)
