"""People searches kept out of URLs and server logs.

The search form posts; its filters are kept in the user's session under a
random token and the page lives at ``/people/?s=<token>``: neither the
address bar, the browser history, the Referer of the next request nor the
server's access log holds a searched name. Paging and the Back button work
on the token. A plain ``GET /people/?q=…`` (an old bookmark) is still
answered, and its links carry the token from then on.
"""

from django.http import QueryDict

from parcours.lib import search_tokens

SESSION_KEY = "parcours_people_searches"
PAGING = ("page", "after", "before")
NOT_FILTERS = ("csrfmiddlewaretoken", "s", *PAGING)


def _filters(data: QueryDict) -> QueryDict:
    kept = data.copy()
    for key in NOT_FILTERS:
        kept.pop(key, None)
    return kept


def stash(request, data: QueryDict) -> str:
    return search_tokens.stash(request, SESSION_KEY, data, drop=NOT_FILTERS)


def search_params(request) -> tuple[QueryDict, str | None]:
    """The filters of this request and the token that names them (None when
    the filters hold no name and may stay in the URL)."""
    if request.method == "POST":
        return _filters(request.POST), stash(request, request.POST)
    token = request.GET.get("s")
    if token:
        saved = search_tokens.recall(request, SESSION_KEY, token)
        if saved is not None:
            return saved, token
        return QueryDict(), None  # forgotten (another session, signed out): a fresh list
    params = _filters(request.GET)
    if params.get("q", "").strip():
        return params, stash(request, params)
    return params, None


def link_query(params: QueryDict, token: str | None) -> str:
    """The query string of links to this list (pages, export)."""
    if token:
        return f"s={token}"
    return params.urlencode()
