"""The labels of data/pathways.yaml, for makemessages (never imported for
anything else: definitions.py translates them with gettext at display)."""

from django.utils.translation import gettext_noop as _

LABELS = [
    _("Sexual-violence survivor"),
    _("Incident (date and time)"),
    _("First contact"),
    _("PEP"),
    _("Emergency contraception"),
    _("Medical certificate"),
    _("STI and pregnancy tests"),
    _("Psychological follow-up"),
    _("Legal information"),
    _("Safe abortion care"),
    _("First consultation"),
    _("Gestational age"),
    _("Information and reflection"),
    _("Medical abortion or referral to hospital (legal limit)"),
    _("Follow-up visit"),
]
