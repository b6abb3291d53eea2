"""The referral letter: what the receiving organisation gets, and nothing
more. Built from the sections chosen at sending (identity always, then the
categories the referrer chose), each narrowed again to what the reader of
the letter sees in full, and only while the person's consent naming the
organisation is in force."""

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from parcours.access.records import FULL
from parcours.access.terms import CATEGORY_LABELS, Category
from parcours.care.choices import Discipline
from parcours.care.display import details_for_display
from parcours.care.models import Encounter
from parcours.lib.languages import language_name
from parcours.lib.pdf import Document
from parcours.network.choices import ReferralKind
from parcours.network.referrals import referral_consent

LANGUAGES = ("fr", "en")
ENCOUNTERS_PER_CATEGORY = 2
# The discipline whose encounters carry each shareable clinical category.
CATEGORY_DISCIPLINE = {
    Category.SOCIAL: Discipline.SOCIAL,
    Category.MEDICAL: Discipline.MEDICAL,
    Category.MENTAL_HEALTH: Discipline.MENTAL_HEALTH,
    Category.LEGAL_PROTECTION: Discipline.LEGAL_PROTECTION,
    Category.SV_INCIDENT: Discipline.SV_INCIDENT,
}


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _identity(person) -> list[tuple[str, str]]:
    age = person.age(timezone.localdate())
    born = _date(person.birth_date)
    if born and person.age_is_approximate:
        born = _("%(date)s (approximate)") % {"date": born}
    return [
        (_("Name"), person.display_name),
        (_("Date of birth"), born),
        (_("Age"), str(age) if age is not None else ""),
        (_("Sex"), str(person.get_sex_display())),
        (_("Languages"), ", ".join(language_name(c) or c for c in person.languages or [])),
        (_("Needs an interpreter"), _("yes") if person.interpreter_needed else _("no")),
    ]


def _category_pairs(referral, category: Category, scope) -> list[tuple[str, str]]:
    person = referral.person
    if category == Category.CONTACT:
        return [(_("Phone"), person.phone), (_("How to reach"), person.contact_notes)]
    discipline = CATEGORY_DISCIPLINE.get(category)
    if discipline is None:
        return []
    rows = Encounter.objects.filter(person=person, discipline=discipline).order_by(
        "-occurred_at", "-id"
    )
    pairs = []
    shown = 0
    for encounter in rows[:20]:
        if scope.level(category, encounter.project_id) != FULL:
            continue
        pairs.append((_("Seen on"), _date(timezone.localtime(encounter.occurred_at))))
        pairs.extend(details_for_display(encounter))
        if encounter.team_note:
            pairs.append((_("Note"), encounter.team_note))
        shown += 1
        if shown == ENCOUNTERS_PER_CATEGORY:
            break
    return pairs or [(_("Recorded"), _("nothing yet"))]


def letter_sections(referral, scope) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(category, heading, label–value pairs) of what the letter shares:
    identity, then each category chosen at sending that the reader also sees
    in full."""
    visible = scope.visible_categories()
    sections = [
        (
            Category.IDENTITY.value,
            str(CATEGORY_LABELS[Category.IDENTITY]),
            _identity(referral.person),
        )
    ]
    for value in referral.shared_categories:
        category = Category(value)
        if category not in visible:
            continue
        sections.append(
            (
                category.value,
                str(CATEGORY_LABELS[category]),
                _category_pairs(referral, category, scope),
            )
        )
    return sections


def check_letter(referral) -> None:
    """A letter goes only with an external referral whose consent is still in force."""
    if referral.kind != ReferralKind.EXTERNAL:
        raise PermissionDenied(_("Only an external referral has a letter."))
    if referral_consent(referral.person, referral.organisation) is None:
        raise PermissionDenied(
            _(
                "The person's consent to a referral to “%(organisation)s” is no longer in "
                "force: the letter cannot be generated."
            )
            % {"organisation": referral.organisation}
        )


def referral_letter(referral, scope, *, language: str = "fr") -> bytes:
    """The PDF letter, in French by default (English on demand)."""
    check_letter(referral)
    language = language if language in LANGUAGES else "fr"
    with translation.override(language):
        service = referral.service
        doc = Document(
            title=_("Referral letter"),
            subtitle=f"{referral.organisation} · {_date(referral.sent_on)}",
            footer=_("Confidential: shared with the person's consent"),
        )
        receiver = [(_("Addressed to"), referral.organisation)]
        if service is not None:
            receiver += [
                (_("Address"), ", ".join(p for p in (service.address, service.city) if p)),
                (_("Phone"), service.phone),
            ]
        doc.key_values(receiver)
        doc.heading(_("Reason for the referral"))
        doc.paragraph(referral.reason)
        for _category, heading, pairs in letter_sections(referral, scope):
            doc.heading(heading)
            doc.key_values(pairs)
        owner = referral.owner
        doc.heading(_("Referred by"))
        doc.key_values(
            [
                (_("Name"), owner.get_full_name() or owner.username),
                (_("Discipline"), str(CATEGORY_LABELS[Category(referral.category)])),
                (_("Project"), referral.project.name),
                (_("Follow-up planned on"), _date(referral.follow_up_on)),
            ]
        )
        doc.paragraph(
            _(
                "This letter holds only what the person agreed to share with your "
                "organisation. Please do not pass it on."
            ),
            muted=True,
            size=9,
        )
        return doc.output()
