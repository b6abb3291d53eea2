"""Cell values to Parcours values: sex and gender, yes/no, countries and
nationality words, Mano's exit reasons, multi-choice cells and dates (Mano's
UTC-midnight dates back to their Paris date)."""

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from parcours.people.models import ExitReason, Sex
from parcours.people.names import fold

PARIS = ZoneInfo("Europe/Paris")


def norm(label: str) -> str:
    """A header label compared without case, accents or punctuation."""
    return re.sub(r"[^a-z0-9]+", " ", fold(label or "")).strip()


class ValueProblem(Exception):
    """A cell whose value cannot be read as the field needs."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_SEX = {
    "homme": Sex.MALE,
    "h": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "man": Sex.MALE,
    "masculin": Sex.MALE,
    "garcon": Sex.MALE,
    "femme": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "woman": Sex.FEMALE,
    "feminin": Sex.FEMALE,
    "fille": Sex.FEMALE,
    "homme transgenre": Sex.OTHER,
    "femme transgenre": Sex.OTHER,
    "non binaire": Sex.OTHER,
    "autre": Sex.OTHER,
    "other": Sex.OTHER,
    "aucun": Sex.UNKNOWN,
    "inconnu": Sex.UNKNOWN,
    "unknown": Sex.UNKNOWN,
}
_TRUE = {"oui", "yes", "true", "vrai", "1", "x", "o", "y"}
_FALSE = {"non", "no", "false", "faux", "0", "n"}

# Mano's default reasons for leaving the active list.
_EXIT = {
    "relai vers autre structure": ExitReason.PLACED,
    "hebergee": ExitReason.PLACED,
    "hebergement": ExitReason.PLACED,
    "deces": ExitReason.DECEASED,
    "incarceration": ExitReason.OTHER,
    "depart vers autre region": ExitReason.MOVED_ON,
    "perdu de vue": ExitReason.LOST_CONTACT,
    "hospitalisation": ExitReason.PLACED,
    "reconduite a la frontiere": ExitReason.OTHER,
    "autre": ExitReason.OTHER,
}
# Nationality adjectives met in French sheets (Mano's "Française" included).
_NATIONALITY_WORDS = {
    "francaise": "FR",
    "francais": "FR",
    "afghane": "AF",
    "afghan": "AF",
    "soudanaise": "SD",
    "soudanais": "SD",
    "erythreenne": "ER",
    "erythreen": "ER",
    "ethiopienne": "ET",
    "ethiopien": "ET",
    "somalienne": "SO",
    "somalien": "SO",
    "syrienne": "SY",
    "syrien": "SY",
    "irakienne": "IQ",
    "irakien": "IQ",
    "iranienne": "IR",
    "iranien": "IR",
    "egyptienne": "EG",
    "egyptien": "EG",
    "libyenne": "LY",
    "libyen": "LY",
    "tchadienne": "TD",
    "tchadien": "TD",
    "guineenne": "GN",
    "guineen": "GN",
    "ivoirienne": "CI",
    "ivoirien": "CI",
    "malienne": "ML",
    "malien": "ML",
    "senegalaise": "SN",
    "senegalais": "SN",
    "camerounaise": "CM",
    "camerounais": "CM",
    "vietnamienne": "VN",
    "vietnamien": "VN",
    "albanaise": "AL",
    "albanais": "AL",
    "pakistanaise": "PK",
    "pakistanais": "PK",
    "marocaine": "MA",
    "marocain": "MA",
    "algerienne": "DZ",
    "algerien": "DZ",
    "tunisienne": "TN",
    "tunisien": "TN",
    "nigeriane": "NG",
    "nigerian": "NG",
    "koweitienne": "KW",
    "koweitien": "KW",
    "yemenite": "YE",
}
# Mano's nationality options that are no country: kept as an imported field.
NO_COUNTRY = {"hors ue", "ue", "apatride", "inconnue", "inconnu", "unknown"}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from django_countries import countries

    names: dict[str, str] = {}
    known = {code for code, _name in countries}
    for language in ("en", "fr"):
        with translation.override(language):
            for code, name in countries:
                names[norm(str(name))] = code
    import pycountry

    for country in pycountry.countries:
        if country.alpha_2 in known:
            names[country.alpha_3.lower()] = country.alpha_2
            names[country.alpha_2.lower()] = country.alpha_2
    for word, code in _NATIONALITY_WORDS.items():
        names[word] = code
    return names


def to_country(text: str) -> str | None:
    """An ISO code, "" for Mano's no-country options, None if unknown."""
    key = norm(text)
    if key in NO_COUNTRY:
        return ""
    return _country_names().get(key)


def to_bool(text: str | None) -> bool:
    """Empty means false (Mano writes false as an empty cell)."""
    if text is None or not str(text).strip():
        return False
    key = norm(str(text))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueProblem(_("“%(value)s” is neither yes nor no.") % {"value": text})


def to_sex(text: str | None) -> str:
    if text is None or not text.strip():
        return Sex.UNKNOWN
    sex = _SEX.get(norm(text))
    if sex is None:
        raise ValueProblem(_("Unknown sex or gender “%(value)s”.") % {"value": text})
    return sex


def split_multi(text: str | None) -> list[str]:
    """A comma-joined multi-choice value, every value kept (Mano writes
    ", " and reads "," without trimming: we trim)."""
    if text is None:
        return []
    return [part.strip() for part in str(text).split(",") if part.strip()]


_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FR_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


def to_date(text: str | None, *, today: date | None = None) -> date | None:
    """ISO (a UTC timestamp becomes its Paris date: Mano stores a date typed
    in Paris as the UTC instant of local midnight), dd/mm/yyyy or dd/mm/yy."""
    if text is None or not str(text).strip():
        return None
    value = str(text).strip()
    try:
        match = _ISO_DATETIME.match(value)
        if match:
            year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
            second = int(match.group(6) or 0)
            zone = match.group(7)
            moment = datetime(year, month, day, hour, minute, second)
            if zone:
                if zone == "Z":
                    offset = timedelta(0)
                else:
                    sign = 1 if zone[0] == "+" else -1
                    digits = zone[1:].replace(":", "")
                    offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                moment = (moment - offset).replace(tzinfo=UTC).astimezone(PARIS)
            return moment.date()
        match = _ISO_DATE.match(value)
        if match:
            return date(*(int(g) for g in match.groups()))
        match = _FR_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                today = today or date.today()
                year += 2000
                if date(year, 1, 1) > today:
                    year -= 100
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueProblem(_("“%(value)s” is not a date.") % {"value": value[:60]})


def to_exit_reason(reasons: list[str]) -> str:
    for reason in reasons:
        if norm(reason) in _EXIT:
            return _EXIT[norm(reason)]
        if reason in ExitReason.values:
            return reason
    return ExitReason.OTHER if reasons else ""
