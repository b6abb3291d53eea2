"""Everything Parcours holds about a person, as the requester's role may
export it: built as a list of sections, rendered as PDF (FR or EN) or JSON.

Each section is one function ``(user, person, scope) -> Section | None``;
SECTIONS lists them in order; one more kind of data is one more function
and one more line in SECTIONS. What the policy hides from the requester
never enters a section: the encounters come from care.record.person_record
(full, team note only, or nothing, per category and project), the referrals
from network.referrals.person_referrals (those the requester sees).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parcours.access.records import record_scope, visible_consent_history, visible_flags
from parcours.access.scope import may_on_person
from parcours.access.terms import CATEGORY_LABELS, Action, Category
from parcours.audit.events import event_label
from parcours.audit.models import AccessLog, AuditEvent
from parcours.care.record import FULL, person_record
from parcours.customfields import display as custom_display
from parcours.lib.languages import language_name
from parcours.lib.pdf import Document
from parcours.network.referrals import person_referrals
from parcours.people.history import display_value, redact_changes
from parcours.people.models import Flag


@dataclass
class Section:
    key: str
    title: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def identity(user, person, scope) -> Section:
    pairs = [
        (_("Given name"), person.given_name),
        (_("Family name"), person.family_name),
        (_("Name in original script"), person.name_original),
        (_("Other names"), ", ".join(person.aliases.values_list("name", flat=True))),
        (_("Sex"), person.get_sex_display()),
        (_("Date of birth"), _text(person.birth_date)),
        (_("Nationality"), display_value("nationality", str(person.nationality or ""))),
        (_("Languages"), display_value("languages", person.languages)),
        (_("On the active list"), _("yes") if person.is_active else _("no")),
        (_("Exit date"), _text(person.exit_date)),
        (_("Registered on"), _text(person.created_at)),
        (_("Person codes"), ", ".join(person.enrolments.values_list("code", flat=True))),
    ]
    flags = visible_flags(
        user, person, flags=list(person.flags.values_list("flag", flat=True)), scope=scope
    )
    labels = dict(Flag.choices)
    pairs.append((_("Vulnerabilities recorded"), ", ".join(str(labels[f]) for f in flags)))
    return Section("identity", _("Identity"), pairs=[(k, v or "—") for k, v in pairs])


def contact(user, person, scope) -> Section | None:
    if not may_on_person(user, Action.VIEW, Category.CONTACT, person):
        return None
    return Section(
        "contact",
        str(CATEGORY_LABELS[Category.CONTACT]),
        pairs=[(_("Phone"), person.phone or "—"), (_("How to reach"), person.contact_notes or "—")],
    )


def encounters(user, person, scope) -> Section:
    record = person_record(user, person, limit=100_000, scope=scope)
    rows = []
    for section in record.sections:
        for entry in section.entries:
            content = [entry.team_note] if entry.team_note else []
            if entry.level == FULL:
                if entry.confidential_note:
                    content.append(entry.confidential_note)
                content += [f"{label}: {value}" for label, value in entry.details]
            rows.append(
                [
                    _text(entry.occurred_at),
                    section.label,
                    entry.discipline_label,
                    entry.site,
                    entry.author,
                    "\n".join(content),
                ]
            )
    return Section(
        "encounters",
        _("Encounters"),
        columns=[_("Date"), _("Category"), _("Discipline"), _("Site"), _("By"), _("Content")],
        rows=rows,
        note=_("Every encounter of the categories your role may export; nothing else."),
    )


def referrals(user, person, scope) -> Section:
    rows = []
    for referral in person_referrals(user, person, scope=scope):
        status_on = (
            referral.done_on or referral.refused_on or referral.lost_on or referral.accepted_on
        )
        shared = ", ".join(
            str(CATEGORY_LABELS[Category(c)]) for c in referral.shared_categories or []
        )
        rows.append(
            [
                _text(referral.sent_on),
                str(referral.get_category_display()),
                str(referral.get_kind_display()),
                referral.receiver,
                referral.reason,
                shared,
                " ".join(filter(None, [str(referral.get_status_display()), _text(status_on)])),
                referral.status_note,
            ]
        )
    return Section(
        "referrals",
        _("Referrals"),
        columns=[
            _("Sent on"),
            _("Referring discipline"),
            _("Kind"),
            _("Referred to"),
            _("Reason"),
            _("Shared"),
            _("Status"),
            _("Note"),
        ],
        rows=rows,
        note=_("The referrals your role sees; nothing else."),
    )


def consents(user, person, scope) -> Section:
    rows = [
        [
            _text(c.decided_at),
            str(c.get_kind_display()),
            str(CATEGORY_LABELS[Category(c.category)]) if c.category else "",
            str(c.get_status_display()),
            str(c.get_method_display()),
            language_name(c.language) or c.language,
            str(c.recorded_by),
        ]
        for c in visible_consent_history(user, person)
    ]
    return Section(
        "consents",
        _("Consents (with their history)"),
        columns=[
            _("When"),
            _("Consent to"),
            _("Category"),
            _("Decision"),
            _("How"),
            _("Language"),
            _("Recorded by"),
        ],
        rows=rows,
    )


def access_log(user, person, scope) -> Section | None:
    if not may_on_person(user, Action.AUDIT, Category.IDENTITY, person):
        return None
    rows = [
        [
            _text(log.at),
            str(log.user),
            log.what_label,
            log.get_channel_display(),
            _("yes") if log.break_glass else "",
        ]
        for log in AccessLog.objects.filter(person=person)
        .select_related("user")
        .order_by("-at")[:5000]
    ]
    return Section(
        "access_log",
        _("Who read the record"),
        columns=[_("When"), _("Who"), _("What"), _("How"), _("Break-glass")],
        rows=rows,
    )


def history(user, person, scope) -> Section:
    rows = []
    events = AuditEvent.objects.filter(
        subject_type="people.person", subject_id=str(person.pk)
    ).select_related("actor")
    visible = {c.value for c in scope.visible_categories()}
    for event in events.order_by("-at", "-id")[:5000]:
        # A row about one category (custom fields) only if the requester sees it.
        category = (event.extra or {}).get("category")
        if category and category not in visible:
            continue
        changes = redact_changes(user, person, {k: tuple(v) for k, v in event.changes.items()})
        text = "; ".join(
            f"{name}: {display_value(name, before)} → {display_value(name, after)}"
            for name, (before, after) in changes.items()
        )
        rows.append([_text(event.at), event_label(event.event), str(event.actor or ""), text])
    return Section(
        "history",
        _("Changes to the record (rectification history)"),
        columns=[_("When"), _("What"), _("Who"), _("Changes")],
        rows=rows,
    )


def imported(user, person, scope) -> Section | None:
    """Fields and notes imported from Mano or a team's sheet (imports app, when installed)."""
    try:
        Field = apps.get_model("imports", "ImportedField")
        Note = apps.get_model("imports", "ImportedNote")
    except LookupError:
        return None
    visible = {c.value for c in scope.visible_categories()}
    rows = [
        [str(CATEGORY_LABELS[Category(f.category)]), f.label, f.value]
        for f in Field.objects.filter(person=person)
        if f.category in visible
    ]
    rows += [
        [str(CATEGORY_LABELS[Category(n.category)]), str(n.get_kind_display()), n.text]
        for n in Note.objects.filter(person=person)
        if n.category in visible
    ]
    if not rows:
        return None
    return Section(
        "imported", _("Imported data"), columns=[_("Category"), _("Field"), _("Value")], rows=rows
    )


def custom_fields(user, person, scope) -> Section | None:
    """The project's custom fields of the person file, per category, as far as
    the requester sees them (those of encounters are in their details)."""
    rows = [
        [str(group["label"]), label, value]
        for group in custom_display.person_values(person, scope)
        for label, value in group["rows"]
    ]
    if not rows:
        return None
    return Section(
        "custom_fields",
        _("Fields of the project"),
        columns=[_("Category"), _("Field"), _("Value")],
        rows=rows,
    )


# The order of the export.
SECTIONS = [
    identity,
    contact,
    custom_fields,
    encounters,
    referrals,
    consents,
    access_log,
    history,
    imported,
]


def build(user, person) -> list[Section]:
    scope = record_scope(user, person)
    return [s for s in (section(user, person, scope) for section in SECTIONS) if s is not None]


def as_json(sections: list[Section], *, request) -> dict:
    return {
        "generated_at": timezone.now().isoformat(),
        "request": {
            "received_on": request.received_on.isoformat(),
            "channel": request.channel,
            "identity_check": request.identity_check,
        },
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                **({"fields": dict(s.pairs)} if s.pairs else {}),
                **({"columns": s.columns, "rows": s.rows} if s.columns else {}),
            }
            for s in sections
        ],
    }


def as_pdf(user, person, request) -> bytes:
    with translation.override(request.language):
        sections = build(user, person)
        doc = Document(
            title=_("Personal data held by Parcours"),
            subtitle=_("Subject access request received on %(date)s")
            % {"date": request.received_on.isoformat()},
            footer=_("Confidential: for the person concerned only"),
        )
        for section in sections:
            doc.heading(section.title)
            if section.note:
                doc.paragraph(section.note, size=8, muted=True)
            if section.pairs:
                doc.key_values(section.pairs)
            if section.columns:
                if section.rows:
                    doc.table(section.columns, section.rows)
                else:
                    doc.paragraph(_("Nothing recorded."), muted=True)
        return doc.output()


__all__ = ["SECTIONS", "Section", "as_json", "as_pdf", "build"]
