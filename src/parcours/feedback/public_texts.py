"""Every text of the public feedback page, in one place.

The page is shown in eight languages (French, English, Arabic, Tigrinya,
Amharic, Pashto, Dari, Somali). French and English come from the central
catalog; the six others from this app's own catalogs
(``feedback/catalogs/<language>/LC_MESSAGES/django.po``, in LOCALE_PATHS), which hold only
these texts: the rest of the interface stays in French and English.
tests/feedback/test_public_languages.py fails when one of them lacks a
translation. Templates show these texts and never hold their own.
"""

from django.utils.translation import gettext_lazy as _

from parcours.feedback.models import MESSAGE_MAX_LENGTH, FeedbackCategory

# code -> (name in its own language, writing direction). "prs" is Dari
# (ISO 639-3; Django finds its catalog under locale/prs), the code the rest
# of Parcours already uses for the persons' languages.
PUBLIC_LANGUAGES: dict[str, tuple[str, str]] = {
    "fr": ("Français", "ltr"),
    "en": ("English", "ltr"),
    "ar": ("العربية", "rtl"),
    "ti": ("ትግርኛ", "ltr"),
    "am": ("አማርኛ", "ltr"),
    "ps": ("پښتو", "rtl"),
    "prs": ("دری", "rtl"),
    "so": ("Soomaali", "ltr"),
}
DEFAULT_LANGUAGE = "fr"
# Languages served from this app's catalogs (fr and en: the central one).
CATALOG_LANGUAGES = ["ar", "ti", "am", "ps", "prs", "so"]

# Topics in plain words, in the order offered; "" is "something else"
# (not classified: a safeguarding focal point reads it first).
TOPICS = [
    (FeedbackCategory.INFO_REQUEST, _("I have a question or I need information")),
    (FeedbackCategory.POSITIVE, _("I want to say thank you, something went well")),
    (FeedbackCategory.SUGGESTION, _("I have an idea to make things better")),
    (FeedbackCategory.SERVICE_COMPLAINT, _("I am not happy with a service")),
    (FeedbackCategory.STAFF_CONDUCT, _("A staff member or volunteer behaved badly")),
    (
        FeedbackCategory.SEA,
        _("Someone from the team asked for sex, or touched or abused someone"),
    ),
    (FeedbackCategory.FRAUD, _("Someone asked for money or a favour in exchange for help")),
    (FeedbackCategory.SAFETY, _("I do not feel safe, or there is a danger")),
    (FeedbackCategory.DATA_PROTECTION, _("My personal information was shared or misused")),
    ("", _("Something else")),
]

TEXTS = {
    "title": _("Tell us what you think"),
    "intro": _(
        "You can ask a question, thank us, suggest something or make a complaint. "
        "It is free and it does not change the help you receive."
    ),
    "choose_language": _("Change language"),
    "message": _("Your message"),
    "message_help": _("Write in any language. At most %(max)s characters."),
    "topic": _("What is it about?"),
    "contact": _("How can we reach you? (optional)"),
    "contact_help": _(
        "A phone number, or where to find you. Leave it empty to stay anonymous: "
        "we will not try to find out who you are."
    ),
    "honeypot": _("Leave this field empty"),
    "send": _("Send"),
    "next_title": _("What happens next"),
    "next_ack": _("A member of the team reads every message within %(days)s days."),
    "next_response": _(
        "If you left a way to reach you, we answer within %(days)s days. "
        "Without it, you can ask for the answer by phone or at our desk, with your reference."
    ),
    "next_confidential": _(
        "Complaints about abuse, exploitation, fraud or the behaviour of a staff member "
        "are read only by the people in charge of protection, in confidence."
    ),
    "thanks_title": _("Thank you, your message was received"),
    "reference": _("Your reference"),
    "reference_help": _(
        "Keep this reference. Give it by phone or at our desk to ask what happened. "
        "Nobody can read your message with it."
    ),
    "send_another": _("Send another message"),
    "error_title": _("Your message was not sent"),
    "error_empty": _("Please write your message."),
    "error_too_long": _(
        "Your message is too long: at most %(max)s characters (you wrote %(count)s)."
    ),
    "error_unreadable": _(
        "Your message contains characters that cannot be read. Please write it again."
    ),
    "error_contact": _("The contact is too long or cannot be read: at most %(max)s characters."),
    "error_topic": _("Please choose a topic from the list."),
    "error_rate": _(
        "Too many messages were sent from this connection. Please try again in an hour, "
        "or speak to the team."
    ),
    "error_not_sent": _("This message could not be sent."),
    "unknown_project": _("This page does not exist. Check the address on the poster."),
    "poster_scan": _("Scan the code or open this address. You may stay anonymous."),
    "other_ways": _("You can also give your message in person, by phone or in the box."),
}


def text(key: str, **params) -> str:
    value = str(TEXTS[key])
    return value % params if params else value


def all_texts() -> list:
    """Every lazy text of the page (for the translation test)."""
    return [*TEXTS.values(), *(label for _code, label in TOPICS)]


def direction(language: str) -> str:
    return PUBLIC_LANGUAGES.get(language, ("", "ltr"))[1]


MESSAGE_LIMIT = MESSAGE_MAX_LENGTH
