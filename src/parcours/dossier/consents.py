"""The consent registry of a person: what is in force, its history, and
recording a new decision (given, refused, withdrawn).

Decisions are written only by access.services.consent_record (audited there);
what the user may be told of is decided by access.records.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from parcours.access import services
from parcours.access.models import Consent, ConsentMethod, ConsentStatus
from parcours.access.records import (
    may_record_consent,
    visible_consent_history,
    visible_consents,
)
from parcours.access.scope import log_reads, person_for
from parcours.audit.events import Read
from parcours.dossier.forms import ConsentForm, consent_subjects, language_suggestions
from parcours.lib.forms import apply_validation_error, error_messages
from parcours.lib.languages import language_name
from parcours.people.presenters import person_card


def _consent_row(consent: Consent, labels: dict[str, str]) -> dict:
    subject = f"{consent.kind}:{consent.category}" if consent.category else consent.kind
    return {
        "consent": consent,
        "label": labels.get(subject, subject),
        "language": language_name(consent.language) or consent.language,
    }


@login_required
def consents(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id)
    subjects = consent_subjects()
    labels = {value: label for value, label, _kind, _category in subjects}
    offered = [
        value
        for value, _label, kind, category in subjects
        if may_record_consent(request.user, person, kind, category)
    ]
    may_record = bool(offered) and not person.merged_into_id
    form = ConsentForm(request.POST or None, offered=offered)
    status = 200
    if request.method == "POST" and form.is_valid():
        if person.merged_into_id:
            form.add_error(
                None, _("This record was merged: record the decision on the kept record.")
            )
        else:
            try:
                consent = services.consent_record(
                    actor=request.user, person=person, **form.service_data()
                )
            except PermissionDenied as error:
                form.add_error("subject", error_messages(error))
                status = 403
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Recorded: %(subject)s — %(status)s.")
                    % {
                        "subject": labels[form.cleaned_data["subject"]],
                        "status": consent.get_status_display(),
                    },
                )
                return redirect("dossier:consents", person_id=person.pk)
    log_reads(request, [person], Read.CONSENTS)
    in_force = {(c.kind, c.category): c for c in visible_consents(request.user, person)}
    registry = [
        {
            "subject": value,
            "label": label,
            "current": _consent_row(in_force[(kind, category)], labels)
            if (kind, category) in in_force
            else None,
            "may_withdraw": (
                may_record
                and value in offered
                and (kind, category) in in_force
                and in_force[(kind, category)].status == ConsentStatus.GIVEN
            ),
        }
        for value, label, kind, category in subjects
        if (kind, category) in in_force or value in offered
    ]
    history = [_consent_row(c, labels) for c in visible_consent_history(request.user, person)]
    refused = (
        [m for errors in form.errors.values() for m in errors]
        if form.is_bound and not may_record
        else []
    )
    context = {
        "card": person_card(request.user, person),
        "break_glass": getattr(person, "break_glass", None),
        "registry": registry,
        "history": history,
        "form": form if may_record else None,
        "refused": refused,
        "languages": language_suggestions(person.languages),
        "methods": ConsentMethod.choices,
    }
    return render(request, "dossier/consents.html", context, status=status)
