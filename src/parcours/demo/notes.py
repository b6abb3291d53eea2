"""What the teams write: short notes in French, invented, about no real person.

The texts are in ``demo/data/notes.yaml`` and ``demo/data/medical_cases.yaml``;
this module gives them the shape the care planner draws from. Two kinds per
discipline, as on the encounter form: the *note for the team* (what the other
disciplines may read with the person's consent: practical, no clinical detail)
and the *confidential note* (stays in the discipline). Notes that agree with
the person's gender are written with ``{e}`` (feminine ending), ``{il}`` /
``{Il}`` and ``{le}``; ``texts(...)`` returns both versions, resolved once at
import so that drawing a note costs one ``choice``.
"""

from parcours.demo.data import load

_FORMS = {
    "female": {"e": "e", "il": "elle", "Il": "Elle", "le": "la"},
    "male": {"e": "", "il": "il", "Il": "Il", "le": "le"},
}


def texts(*notes: str) -> dict[str, tuple[str, ...]]:
    """Both gendered versions of each note: {"female": (...), "male": (...)}."""
    return {sex: tuple(n.format(**forms) for n in notes) for sex, forms in _FORMS.items()}


def case(reason: str, icd10: str, treatment: str, note: str) -> tuple:
    """One consultation as the clinic sees it often: why the person came, the
    diagnosis, what was given, what the clinician wrote (both genders)."""
    return reason, icd10, treatment, {sex: note.format(**forms) for sex, forms in _FORMS.items()}


def _cases(by_morbidity: dict) -> dict[str, tuple]:
    return {morbidity: tuple(case(**c) for c in cases) for morbidity, cases in by_morbidity.items()}


def _texts_by(lists: dict) -> dict[str, dict[str, tuple[str, ...]]]:
    """texts(...) of each list of a mapping."""
    return {key: texts(*notes) for key, notes in lists.items()}


_notes = load("notes")
_cases_data = load("medical_cases")

# --- medical ----------------------------------------------------------------------

# morbidity (choices.Morbidity) → cases; children's where they differ from the adults'
MEDICAL_CASES = _cases(_cases_data["adults"])
CHILD_CASES = _cases(_cases_data["children"])
STI_WOMEN = case(**_cases_data["sti_women"])

_medical = _notes["medical"]
MEDICAL_TEAM = texts(*_medical["team"])
PREGNANCY_NOTES = texts(*_medical["pregnancy"])
WOMEN_TEAM = texts(*_medical["women_team"])
CONTRACEPTION = texts(*_medical["contraception"])
SAFE_ABORTION = _texts_by(_medical["safe_abortion"])
SV_CARE = texts(*_medical["after_sexual_violence"])

# --- mental health ------------------------------------------------------------------

_mh = _notes["mental_health"]
MH_FIRST = _texts_by(_mh["first_session"])  # by precipitating event (choices.MH_EVENTS)
MH_FOLLOW = texts(*_mh["follow_up"])
MH_TEAM = texts(*_mh["team"])
MH_CLOSURE = _mh["closure_reasons"]

# --- social ---------------------------------------------------------------------------

_social = _notes["social"]
SOCIAL_CONFIDENTIAL = texts(*_social["confidential"])
SOCIAL_TEAM = texts(*_social["team"])
SOCIAL_MINOR = texts(*_social["minor"])
SOCIAL_OUTCOMES = _social["outcomes"]

# --- legal / protection ----------------------------------------------------------------

_legal = _notes["legal"]
LEGAL_APPEAL = texts(*_legal["appeal"])
LEGAL_APPEAL_TEAM = texts(*_legal["appeal_team"])
LEGAL_ASYLUM = texts(*_legal["asylum"])
LEGAL_TEAM = texts(*_legal["team"])
POLICE_VIOLENCE = texts(*_legal["police_violence"])
VIOLENCE_PLACES = _legal["violence_places"]
DOCUMENTED_TEAM = _legal["documented_team"]

# --- sexual-violence incidents (narrative: encrypted, read by the care team only) -------

_sv = _notes["sexual_violence"]
SV_NARRATIVES = _sv["narratives"]
SAFE_HOUSING_TEAM = _sv["safe_housing_team"]
COMPLAINT_INFORMATION = _sv["complaint_information"]
ASYLUM_ACCOUNT = _sv["asylum_account"]

# --- activities ------------------------------------------------------------------------

_activities = _notes["activities"]
DAY_CENTRE_TEAM = texts(*_activities["day_centre_team"])
SHELTER_TEAM = texts(*_activities["shelter_team"])
SHELTER_PROJECT_TEAM = _activities["shelter_project_team"]
OUTREACH_PERSON_TEAM = texts(*_activities["outreach_person_team"])
OUTREACH_ROUND_TEAM = _activities["outreach_round_team"]
DAY_CENTRE_TALLY_TEAM = _activities["day_centre_tally_team"]

# --- consents ---------------------------------------------------------------------------

_consents = _notes["consents"]
REFERRAL_SCOPES = _consents["referral_scopes"]
CONSENT_NOTES = {"withdrawn": _consents["withdrawn"], "refused": _consents["refused"]}
TESTIMONY_SCOPE = _consents["testimony_scope"]
INJURY_PHOTOS_SCOPE = _consents["injury_photos_scope"]
DAY_CENTRE_PHOTOS_SCOPE = _consents["day_centre_photos_scope"]
