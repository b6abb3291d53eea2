"""An encrypted value that does not decrypt (wrong key, altered or moved
value) answers with a page that says so, never with garbage, a blank note
or a stack trace; the details go to the server log for the administrator."""

import logging

from django.template.response import TemplateResponse

from parcours.lib.crypto import DecryptionError

logger = logging.getLogger("parcours.vault")


def log_unreadable(request, exc: DecryptionError) -> None:
    # The exception names the column and key id, never plaintext or key material.
    logger.error("Unreadable encrypted value (%s %s): %s", request.method, request.path, exc)


class UnreadableValueMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DecryptionError):
            return None
        log_unreadable(request, exception)
        response = TemplateResponse(request, "vault/unreadable.html", status=500)
        response["Cache-Control"] = "no-store"
        return response.render()
