"""The NinjaAPI instance; each app contributes its router."""

from ninja import NinjaAPI

from parcours.accounts.api import router as auth_router
from parcours.accounts.api_auth import BearerToken
from parcours.agenda.api import router as agenda_router
from parcours.care.api import router as care_router
from parcours.care.summary_api import router as clinical_summary_router
from parcours.cases.api import router as cases_router
from parcours.customfields.api import router as customfields_router
from parcours.dossier.api import router as consents_router
from parcours.feedback.api import router as feedback_router
from parcours.lib import api_errors
from parcours.meal.api import router as meal_router
from parcours.network.api import router as network_router
from parcours.org.api import router as org_router
from parcours.people.api import router as people_router
from parcours.stock.api import router as stock_router

DESCRIPTION = """
JSON API of Parcours.

**Authentication**: `POST /api/v1/auth/token` with a username and password
returns a token; send it on every other call as
`Authorization: Bearer <token>`. Only bearer tokens authenticate the API:
the web session cookie does not (so no CSRF token is needed, and a browser
cannot be tricked into changing data through the API).

**Access**: the same policy as the web pages. A person outside the
caller's scope answers 404, exactly like one that does not exist. Every
person returned is recorded in the person's access log.

**Searching persons by name**: `POST /api/v1/persons/search` with the
name and the filters in a JSON body (`{"q": "Mohamed", "active": "all"}`);
it answers the same page as `GET /api/v1/persons`, which lists without a
name and refuses a `q` parameter (400): a name in an address ends up in
server, proxy and browser logs.

**Errors**: field errors are `422 {"detail": [{"loc": ["body", "<field>"],
"msg": "…", "type": "…"}]}` (`"query"` instead of `"body"` for query
parameters); every other error is `{"detail": "<message>"}` with its status
(400 unreadable body, 401 no valid token, 403 not allowed, 404 not found,
409 conflict, with the extra keys each route documents).

Dates are ISO 8601 (`YYYY-MM-DD`); date-times are ISO 8601 with an offset
(`2026-11-20T10:00:00+01:00`), and a date-time without one is read in the
server time zone (Europe/Paris by default).
"""

api = NinjaAPI(
    title="Parcours API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=BearerToken(),
)
api_errors.install(api)

api.add_router("/auth", auth_router)
api.add_router("", org_router)
api.add_router("/persons", people_router)
api.add_router("", care_router)
api.add_router("", clinical_summary_router)
api.add_router("", consents_router)
api.add_router("", agenda_router)
api.add_router("", meal_router)
api.add_router("", stock_router)
api.add_router("", feedback_router)
api.add_router("", network_router)
api.add_router("", cases_router)
api.add_router("", customfields_router)
