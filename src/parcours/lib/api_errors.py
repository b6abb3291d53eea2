"""One error shape for the whole API.

- Field errors (422): ``{"detail": [{"loc": ["body", "given_name"], "msg": "…",
  "type": "…"}]}``: ninja's own shape for schema errors, which the
  ValidationErrors raised by the services are converted to (``loc`` is
  ``[<"body", "query" or "path">, <field>]``; ``["body"]`` alone for an
  error about the whole record).
- Every other error: ``{"detail": "message"}`` with the HTTP status
  (400 unreadable body, 401 no valid token, 403 not allowed, 404 not found
  or not yours to see, 409 conflict, with extra keys documented per route).
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from parcours.lib import crypto


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


# Responses every authenticated route may give, for the OpenAPI document.
AUTH_ERRORS = {401: ErrorOut}
FIELD_ERRORS = {400: ErrorOut, 422: ValidationErrorOut}


def field_errors(error: DjangoValidationError, source: str = "body") -> list[dict[str, Any]]:
    """A Django ValidationError as the API's list of field errors."""
    if hasattr(error, "error_dict"):
        return [
            {
                "loc": [source] if field == "__all__" else [source, field],
                "msg": message,
                "type": "value_error",
            }
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": [source], "msg": message, "type": "value_error"} for message in error.messages]


# The names of the view arguments that hold a body or a query schema: ninja
# sometimes puts them in an error's location (e.g. ["body", "payload",
# "password"] for a missing field), clients know nothing of them.
SCHEMA_ARGUMENTS = {"payload", "filters"}


def _location(loc) -> list:
    loc = list(loc)
    if len(loc) >= 2 and loc[0] in ("body", "query") and loc[1] in SCHEMA_ARGUMENTS:
        del loc[1]
    return loc


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def install(api: NinjaAPI) -> None:
    """Register the exception handlers that turn every failure into JSON."""

    def respond(request: HttpRequest, body: dict, status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def schema_error(request, exc: NinjaValidationError):
        errors = []
        for error in exc.errors:
            error = dict(error)
            error["loc"] = _location(error.get("loc", ()))
            error.pop("url", None)
            if "ctx" in error:
                # ctx may hold values that are not JSON (exceptions, dates…).
                error["ctx"] = {k: _plain(v) for k, v in error["ctx"].items()}
            errors.append(error)
        return respond(request, {"detail": errors}, 422)

    @api.exception_handler(DjangoValidationError)
    def service_error(request, exc: DjangoValidationError):
        return respond(request, {"detail": field_errors(exc)}, 422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, {"detail": _("Not found.")}, 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, {"detail": str(exc) or _("You may not do this.")}, 403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        # A known token that stopped working says why (revoked, expired…).
        reason = getattr(exc, "reason", None)
        detail = reason or _(
            "Authentication needed: send a valid token as “Authorization: Bearer …”."
        )
        response = respond(request, {"detail": detail}, 401)
        response["WWW-Authenticate"] = (
            'Bearer realm="api", error="invalid_token"' if reason else 'Bearer realm="api"'
        )
        return response

    @api.exception_handler(crypto.DecryptionError)
    def unreadable(request, exc):
        # An encrypted value that does not decrypt: said plainly, details in the log.
        logging.getLogger("parcours.vault").error(
            "Unreadable encrypted value (%s %s): %s", request.method, request.path, exc
        )
        body = {
            "detail": _(
                "This record holds an encrypted value that cannot be decrypted (wrong key, "
                "or a value altered or moved in the database). Tell your administrator."
            )
        }
        return respond(request, body, 500)

    @api.exception_handler(SuspiciousOperation)
    def bad_request(request, exc):
        # Includes RequestDataTooBig and TooManyFieldsSent.
        return respond(request, {"detail": _("The request could not be read.")}, 400)
