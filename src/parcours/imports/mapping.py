"""Columns to Parcours fields, and values to Parcours values.

A mapping is a plain dict (saved on the batch, exported as YAML)::

    entity: persons            # what the main sheet holds
    source: mano               # source system: with the row key, what makes a row known
    columns:                   # header label -> field (or {field: imported, category: …})
      Nom prénom ou Pseudonyme: full_name
      Emploi: {field: imported, category: social}
    values:                    # per field: the file's value -> the Parcours value
      sex: {Homme: male}
    teams:                     # Mano team name or UUID -> project code, or "CODE/Site name"
      Maraude Calais: CAL
    consultation_types:        # Mano consultation type -> discipline
      Psychologique: mental_health

Columns are suggested from their labels in French and English (Mano's own
labels and technical names included); everything can be changed.
"""

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.access.terms import Category
from parcours.care.choices import Discipline
from parcours.imports.values import norm

# The person fields a column may be mapped to, with their label.
PERSON_TARGETS = {
    "source_key": gettext_lazy("Key of the row in the source (id)"),
    "full_name": gettext_lazy("Full name or pseudonym"),
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "name_original": gettext_lazy("Name in original script"),
    "other_names": gettext_lazy("Other names (aliases)"),
    "sex": gettext_lazy("Sex"),
    "birth_date": gettext_lazy("Date of birth"),
    "nationality": gettext_lazy("Nationality"),
    "languages": gettext_lazy("Languages"),
    "phone": gettext_lazy("Phone"),
    "teams": gettext_lazy("Teams (projects/sites)"),
    "out_of_active_list": gettext_lazy("Out of the active list (yes/no)"),
    "exit_date": gettext_lazy("Out-of-active-list date"),
    "exit_reasons": gettext_lazy("Out-of-active-list reasons"),
    "imported": gettext_lazy("Kept as an imported field"),
    "ignore": gettext_lazy("Not imported"),
}
CATEGORY_TARGETS = [
    Category.IDENTITY,
    Category.CONTACT,
    Category.SOCIAL,
    Category.MEDICAL,
    Category.MENTAL_HEALTH,
    Category.LEGAL_PROTECTION,
]
ENTITIES = (
    "persons",
    "consultations",
    "treatments",
    "medical_files",
    "passages",
    "rencontres",
    "observations",
    "territories",
    "comments",
    "actions",
    "teams",
    "contacts",
)


class MappingError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_SUGGESTIONS = {
    "source_key": ["_id", "id", "identifiant", "source key", "cle", "uuid"],
    "full_name": [
        "nom prenom ou pseudonyme",
        "name",
        "nom complet",
        "full name",
        "pseudonyme",
        "nom et prenom",
        "nom prenom",
    ],
    "given_name": ["prenom", "given name", "first name", "firstname", "given names"],
    "family_name": ["nom", "nom de famille", "family name", "last name", "surname", "lastname"],
    "name_original": ["nom dans l ecriture d origine", "name in original script", "original name"],
    "other_names": ["autres pseudos", "othernames", "alias", "aliases", "other names", "surnoms"],
    "sex": ["genre", "gender", "sexe", "sex"],
    "birth_date": [
        "date de naissance",
        "birthdate",
        "date of birth",
        "dob",
        "ne e le",
        "naissance",
    ],
    "nationality": ["nationalite", "nationality", "country of origin", "pays d origine"],
    "languages": ["langues", "languages", "langue", "language", "langues parlees"],
    "phone": ["telephone", "phone", "tel", "numero de telephone", "phone number", "portable"],
    "teams": ["equipes en charge", "assignedteams", "equipe", "equipes", "team", "teams"],
    "out_of_active_list": ["sortie de file active", "outofactivelist"],
    "exit_date": [
        "date de sortie de file active",
        "outofactivelistdate",
        "exit date",
        "date de sortie",
    ],
    "exit_reasons": [
        "motifs de sortie de file active",
        "outofactivelistreasons",
        "exit reason",
        "motif de sortie",
    ],
    "ignore": [
        "createdat",
        "updatedat",
        "updatedby",
        "deletedat",
        "deletedby",
        "user",
        "documents",
        "history",
        "encryptedentitykey",
        "entitykey",
        "organisation",
        "creee par",
        "creee le",
        "mise a jour le",
        "cree le",
        "mis a jour le",
    ],
}
_SUGGESTED = {norm(label): field for field, labels in _SUGGESTIONS.items() for label in labels}

# Mano's person fields kept as imported fields, and their category. Labels
# of its "Informations de santé" section (and the medical file) are medical.
_MEDICAL_LABELS = {
    norm(label)
    for label in (
        "Couverture(s) médicale(s)",
        "Structure de suivi médical",
        "Consommations",
        "Vulnérabilités",
        "Catégorie d'antécédents",
        "Informations complémentaires (antécédents)",
        "Numéro de sécurité sociale",
    )
}
_CONTACT_LABELS = {norm(label) for label in ("Email", "email", "Adresse e-mail", "E-mail")}
_IDENTITY_LABELS = {norm(label) for label in ("followedSince", "Suivi(e) depuis le / Créé(e) le")}


def suggest_column(label: str) -> dict | str:
    key = norm(label)
    if key in _SUGGESTED:
        return _SUGGESTED[key]
    if key in _MEDICAL_LABELS:
        category = Category.MEDICAL
    elif key in _CONTACT_LABELS:
        category = Category.CONTACT
    elif key in _IDENTITY_LABELS:
        category = Category.IDENTITY
    else:
        category = Category.SOCIAL
    return {"field": "imported", "category": category.value}


# Headers only Mano's exports have: their rows are keyed by Mano's UUIDs.
MANO_MARKERS = {"_id", "Nom prénom ou Pseudonyme", "Personne suivie - id", "entityKey"}
# Headers of Mano's contacts (its template's labels, or the technical names).
CONTACT_MARKERS = {"Code postal", "Catégories", "postcode", "adresse"}


def suggest_mapping(header: list[str], *, entity: str = "persons", source: str = "") -> dict:
    columns = {}
    for label in header:
        if label and label not in columns:
            columns[label] = suggest_column(label)
    is_mano = bool(set(header) & MANO_MARKERS)
    if len(set(header) & CONTACT_MARKERS) >= 2:
        entity = "contacts"
    return {
        "entity": entity,
        "source": source or ("mano" if is_mano else "file"),
        "columns": columns,
        "values": {},
        "teams": {},
        "consultation_types": dict(DEFAULT_CONSULTATION_TYPES),
    }


DEFAULT_CONSULTATION_TYPES = {
    "Médicale": "medical",
    "Infirmier": "medical",
    "Psychologique": "mental_health",
    "Sociale": "social",
    "Juridique": "legal_protection",
}


def validate_mapping(mapping: dict) -> dict:
    """The mapping with its defaults, or MappingError naming what is wrong."""
    if not isinstance(mapping, dict):
        raise MappingError(_("The mapping must be a YAML dictionary."))
    entity = mapping.get("entity", "persons")
    if entity not in ENTITIES:
        raise MappingError(_("Unknown kind of rows “%(entity)s”.") % {"entity": entity})
    columns = mapping.get("columns") or {}
    if not isinstance(columns, dict):
        raise MappingError(_("“columns” must map column names to fields."))
    categories = {c.value for c in CATEGORY_TARGETS}
    clean_columns = {}
    for column, target in columns.items():
        if isinstance(target, dict):
            field = target.get("field", "imported")
            category = target.get("category", Category.SOCIAL.value)
        else:
            field, category = target, Category.SOCIAL.value
        if field not in PERSON_TARGETS:
            raise MappingError(
                _(
                    "The column “%(column)s” is mapped to “%(field)s”, which is not a Parcours "
                    "field. Fields: %(fields)s."
                )
                % {"column": column, "field": field, "fields": ", ".join(PERSON_TARGETS)}
            )
        if field == "imported" and category not in categories:
            raise MappingError(
                _("The column “%(column)s” is kept under an unknown category “%(category)s”.")
                % {"column": column, "category": category}
            )
        clean_columns[str(column)] = (
            {"field": field, "category": category} if field == "imported" else field
        )
    consultation_types = mapping.get("consultation_types") or {}
    for kind, discipline in consultation_types.items():
        if discipline not in Discipline.values:
            raise MappingError(
                _("The consultation type “%(type)s” is mapped to an unknown discipline “%(d)s”.")
                % {"type": kind, "d": discipline}
            )
    for key in ("values", "teams"):
        if not isinstance(mapping.get(key) or {}, dict):
            raise MappingError(_("“%(key)s” must be a dictionary.") % {"key": key})
    source = str(mapping.get("source") or "file")[:60]
    return {
        "entity": entity,
        "source": source,
        "columns": clean_columns,
        "values": mapping.get("values") or {},
        "teams": {str(k): str(v) for k, v in (mapping.get("teams") or {}).items()},
        "consultation_types": {str(k): str(v) for k, v in consultation_types.items()},
    }


def load_yaml(text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise MappingError(_("The mapping file is not valid YAML: %(e)s") % {"e": error}) from None
    return validate_mapping(data or {})


def dump_yaml(mapping: dict) -> str:
    return yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
