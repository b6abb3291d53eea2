"""The public feedback page: no sign-in, one short address per project
(``/f/CAL``) and per site (``/f/CAL/12``), eight languages, no JavaScript.

It says nothing about any other submission: the answer to a message is its
own new reference, and an unknown or closed project is "this page does not
exist" whatever the reason. The form is exempt from CSRF on purpose: there
is no session to protect, and a phone that refuses cookies must still be
able to send; the honeypot and the rate limit per address guard it.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from parcours.feedback import public_texts, services
from parcours.feedback.models import MESSAGE_MAX_LENGTH
from parcours.feedback.validation import is_readable

HONEYPOT = "website"


def public_language(value) -> str:
    value = value if isinstance(value, str) else ""
    return value if value in public_texts.PUBLIC_LANGUAGES else public_texts.DEFAULT_LANGUAGE


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "?"


def _texts(project) -> dict:
    rule = services.deadlines(project) if project is not None else None
    texts = {key: str(value) for key, value in public_texts.TEXTS.items()}
    texts["message_help"] = public_texts.text("message_help", max=MESSAGE_MAX_LENGTH)
    if rule is not None:
        texts["next_ack"] = public_texts.text("next_ack", days=rule.acknowledge_days)
        texts["next_response"] = public_texts.text("next_response", days=rule.respond_days)
    return texts


def _context(request, language, project, site, **extra) -> dict:
    path = request.path
    return {
        "language": language,
        "direction": public_texts.direction(language),
        "languages": [
            {"code": code, "name": name, "url": f"{path}?lang={code}", "current": code == language}
            for code, (name, _dir) in public_texts.PUBLIC_LANGUAGES.items()
        ],
        "t": _texts(project),
        "topics": [(code, str(label)) for code, label in public_texts.TOPICS],
        "project": project,
        "site": site,
        "honeypot": HONEYPOT,
        "max_length": MESSAGE_MAX_LENGTH,
        **extra,
    }


@csrf_exempt
@never_cache
def public_page(request: HttpRequest, code: str, site_id: str | None = None) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    language = public_language(source.get("lang"))
    with translation.override(language):
        project = services.public_project(code)
        site = services.public_site(project, site_id) if project is not None else None
        if project is None or (site_id is not None and site is None):
            context = _context(request, language, None, None, missing=True)
            return render(request, "feedback/public.html", context, status=404)
        if request.method != "POST":
            return render(
                request, "feedback/public.html", _context(request, language, project, site)
            )
        values = {
            "message": request.POST.get("message", ""),
            "topic": request.POST.get("topic", ""),
            "contact": request.POST.get("contact", ""),
        }
        try:
            item = services.public_submit(
                project=project,
                site=site,
                language=language,
                honeypot=request.POST.get(HONEYPOT, ""),
                address=client_address(request),
                **values,
            )
        except services.RateLimited:
            context = _context(
                request, language, project, site, errors=[public_texts.text("error_rate")]
            )
            return render(request, "feedback/public.html", context, status=429)
        except ValidationError as error:
            messages = [m for ms in error.message_dict.values() for m in ms]
            # The text is given back to correct it, unless it cannot be shown.
            message = values["message"] if isinstance(values["message"], str) else ""
            values["message"] = message[:MESSAGE_MAX_LENGTH] if is_readable(message) else ""
            context = _context(request, language, project, site, errors=messages, values=values)
            return render(request, "feedback/public.html", context, status=400)
        again = reverse(
            "feedback:public_site" if site else "feedback:public",
            args=[project.code, site.pk] if site else [project.code],
        )
        context = _context(
            request,
            language,
            project,
            site,
            reference=item.reference,
            again=f"{again}?lang={language}",
        )
        return render(request, "feedback/public.html", context)
