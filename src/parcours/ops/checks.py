"""Our own deployment checks, run by ``parcours check --deploy`` beside Django's."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Directives that must never allow inline code or another origin's script.
_STRICT = ("default-src", "script-src", "style-src")
_UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:")


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs=None, **kwargs):
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES", {})
    errors = []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        errors.append(Error("The CSP middleware is not installed.", id="parcours.E101"))
    for name in _STRICT:
        sources = directives.get(name)
        if not sources:
            errors.append(Error(f"Content-Security-Policy has no {name}.", id="parcours.E102"))
        elif any(source in _UNSAFE for source in sources):
            errors.append(
                Error(
                    f"Content-Security-Policy {name} allows inline code or any origin.",
                    hint="Move the code into a static file (docs/operations.md, CSP).",
                    id="parcours.E103",
                )
            )
    if directives.get("frame-ancestors") != ["'none'"]:
        errors.append(
            Error("Content-Security-Policy must say frame-ancestors 'none'.", id="parcours.E104")
        )
    return errors
