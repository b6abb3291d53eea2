"""The access policy of Parcours, declared as data.

One table says, for every role, which actions it may take on which
category of information. Everything else in the code asks this module; no
view, endpoint, export or report re-implements a rule locally. The rules
that need a condition (same project, consent given, break-glass open…) are
the functions at the bottom, and they all start from this table.

docs/access.md describes this table for people; tests/test_access_doc.py
fails when the two disagree.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    MEDICAL = "medical"
    MEDICAL_REFERENT = "medical_referent"
    MENTAL_HEALTH = "mental_health"
    SOCIAL_WORKER = "social_worker"
    LEGAL_PROTECTION = "legal_protection"
    OUTREACH = "outreach"
    RECEPTION = "reception"
    MEAL = "meal"
    SAFEGUARDING = "safeguarding"
    ADVOCACY = "advocacy"


ROLE_LABELS = {
    Role.ADMIN: _("System administrator"),
    Role.COORDINATOR: _("Project coordinator"),
    Role.MEDICAL: _("Medical (doctor, nurse, midwife)"),
    Role.MEDICAL_REFERENT: _("Medical referent"),
    Role.MENTAL_HEALTH: _("Mental health"),
    Role.SOCIAL_WORKER: _("Social worker"),
    Role.LEGAL_PROTECTION: _("Legal / protection"),
    Role.OUTREACH: _("Outreach"),
    Role.RECEPTION: _("Reception"),
    Role.MEAL: _("MEAL officer"),
    Role.SAFEGUARDING: _("Safeguarding focal point"),
    Role.ADVOCACY: _("Advocacy / communication"),
}


class Category(StrEnum):
    """Every piece of personal information belongs to exactly one category."""

    IDENTITY = "identity"
    CONTACT = "contact"
    SOCIAL = "social"
    LEGAL_PROTECTION = "legal_protection"
    MEDICAL = "medical"
    MENTAL_HEALTH = "mental_health"
    SV_INCIDENT = "sv_incident"
    SAFEGUARDING = "safeguarding"
    TESTIMONY = "testimony"
    # Outreach rounds, day-centre attendance and shelter stays: who came,
    # which services were given. Not clinical.
    ACTIVITY = "activity"


CATEGORY_LABELS = {
    Category.IDENTITY: _("Identity"),
    Category.CONTACT: _("Contact"),
    Category.SOCIAL: _("Social"),
    Category.LEGAL_PROTECTION: _("Legal / protection"),
    Category.MEDICAL: _("Medical"),
    Category.MENTAL_HEALTH: _("Mental health"),
    Category.SV_INCIDENT: _("Sexual-violence incident"),
    Category.SAFEGUARDING: _("Safeguarding"),
    Category.TESTIMONY: _("Testimony"),
    Category.ACTIVITY: _("Activities and services"),
}


class Action(StrEnum):
    VIEW = "view"  # read the full content of the category
    VIEW_TEAM_NOTE = "view_team_note"  # read only the note meant for the team (consent needed)
    CREATE = "create"
    EDIT = "edit"
    EXPORT = "export"
    AGGREGATE = "aggregate"  # counted in indicators, never shown per person
    MERGE = "merge"  # merge two records of the category (identity only)
    AUDIT = "audit"  # see who accessed a record
    CONSENT = "consent"  # record the person's consent about this category


A = Action
_IDENTITY_WORK = {A.VIEW, A.CREATE, A.EDIT}
_CARE_TEAM = {A.VIEW, A.CREATE, A.EDIT}
_AGGREGATE_ONLY = {A.AGGREGATE}

# role -> category -> actions. A category absent from a role's entry is denied.
# CONSENT on identity covers the consents that are not about one category
# (registration, anonymous use for advocacy, testimony, photos).
_TEAM_NOTE = frozenset({A.VIEW_TEAM_NOTE})
_CLINICIAN_IDENTITY = frozenset(_IDENTITY_WORK | {A.CONSENT})
POLICY: dict[Role, dict[Category, frozenset[Action]]] = {
    # Manages accounts and configuration; reads no personal data at all.
    Role.ADMIN: {},
    Role.COORDINATOR: {
        Category.IDENTITY: frozenset(_IDENTITY_WORK | {A.MERGE, A.AUDIT, A.EXPORT, A.CONSENT}),
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.SOCIAL: frozenset({A.VIEW_TEAM_NOTE, A.AGGREGATE}),
        Category.LEGAL_PROTECTION: frozenset({A.VIEW_TEAM_NOTE, A.AGGREGATE}),
        Category.MEDICAL: frozenset({A.VIEW_TEAM_NOTE, A.AGGREGATE}),
        Category.MENTAL_HEALTH: frozenset({A.VIEW_TEAM_NOTE, A.AGGREGATE}),
        Category.ACTIVITY: frozenset({A.VIEW, A.AGGREGATE}),
    },
    Role.MEDICAL: {
        Category.IDENTITY: _CLINICIAN_IDENTITY,
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.MEDICAL: frozenset(_CARE_TEAM | {A.CONSENT}),
        Category.SV_INCIDENT: frozenset(_CARE_TEAM),  # only when assigned to the person's care
        Category.SOCIAL: _TEAM_NOTE,
        Category.LEGAL_PROTECTION: _TEAM_NOTE,
        Category.MENTAL_HEALTH: _TEAM_NOTE,
        Category.ACTIVITY: frozenset({A.VIEW}),
    },
    Role.MEDICAL_REFERENT: {
        Category.IDENTITY: frozenset(_CLINICIAN_IDENTITY | {A.AUDIT}),
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.MEDICAL: frozenset(_CARE_TEAM | {A.AGGREGATE, A.CONSENT}),
        Category.SV_INCIDENT: frozenset(_CARE_TEAM | {A.AGGREGATE}),
        Category.SOCIAL: _TEAM_NOTE,
        Category.LEGAL_PROTECTION: _TEAM_NOTE,
        Category.MENTAL_HEALTH: _TEAM_NOTE,
        Category.ACTIVITY: frozenset({A.VIEW}),
    },
    Role.MENTAL_HEALTH: {
        Category.IDENTITY: _CLINICIAN_IDENTITY,
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.MENTAL_HEALTH: frozenset(_CARE_TEAM | {A.CONSENT}),
        Category.SV_INCIDENT: frozenset(_CARE_TEAM),  # only when assigned to the person's care
        Category.MEDICAL: _TEAM_NOTE,
        Category.SOCIAL: _TEAM_NOTE,
        Category.LEGAL_PROTECTION: _TEAM_NOTE,
        Category.ACTIVITY: frozenset({A.VIEW}),
    },
    Role.SOCIAL_WORKER: {
        Category.IDENTITY: _CLINICIAN_IDENTITY,
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.SOCIAL: frozenset(_CARE_TEAM | {A.CONSENT}),
        Category.MEDICAL: _TEAM_NOTE,
        Category.MENTAL_HEALTH: _TEAM_NOTE,
        Category.LEGAL_PROTECTION: _TEAM_NOTE,
        Category.ACTIVITY: frozenset(_CARE_TEAM),
    },
    Role.LEGAL_PROTECTION: {
        Category.IDENTITY: _CLINICIAN_IDENTITY,
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.LEGAL_PROTECTION: frozenset(_CARE_TEAM | {A.CONSENT}),
        Category.SV_INCIDENT: frozenset(_CARE_TEAM),  # only when assigned to the person's care
        Category.MEDICAL: _TEAM_NOTE,
        Category.MENTAL_HEALTH: _TEAM_NOTE,
        Category.SOCIAL: _TEAM_NOTE,
        Category.ACTIVITY: frozenset({A.VIEW}),
    },
    # Identity and their own activity records (outreach rounds, day centre).
    Role.OUTREACH: {
        Category.IDENTITY: frozenset(_IDENTITY_WORK),
        Category.ACTIVITY: frozenset(_CARE_TEAM),
    },
    Role.RECEPTION: {
        Category.IDENTITY: frozenset(_IDENTITY_WORK | {A.CONSENT}),
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.ACTIVITY: frozenset(_CARE_TEAM),
    },
    # Aggregates and pseudonymised data only, never names.
    Role.MEAL: {
        Category.IDENTITY: _AGGREGATE_ONLY,
        Category.SOCIAL: _AGGREGATE_ONLY,
        Category.LEGAL_PROTECTION: _AGGREGATE_ONLY,
        Category.MEDICAL: _AGGREGATE_ONLY,
        Category.MENTAL_HEALTH: _AGGREGATE_ONLY,
        Category.SV_INCIDENT: _AGGREGATE_ONLY,  # only incidents consented to anonymous reporting
        Category.ACTIVITY: _AGGREGATE_ONLY,
    },
    Role.SAFEGUARDING: {
        Category.SAFEGUARDING: frozenset(_CARE_TEAM),
    },
    Role.ADVOCACY: {
        Category.IDENTITY: _AGGREGATE_ONLY,
        Category.TESTIMONY: frozenset({A.VIEW, A.AGGREGATE}),
    },
}

# Categories whose full content is shown only to members explicitly assigned
# to the person's care (plus the referents), never through team notes.
ASSIGNMENT_REQUIRED = frozenset({Category.SV_INCIDENT})
REFERENT_ROLES = frozenset({Role.MEDICAL_REFERENT})

# Roles that may open a record outside their scope ("break-glass"), for how
# long, and which roles review those openings.
BREAK_GLASS_ROLES = frozenset(
    {
        Role.MEDICAL,
        Role.MEDICAL_REFERENT,
        Role.MENTAL_HEALTH,
        Role.SOCIAL_WORKER,
        Role.LEGAL_PROTECTION,
    }
)
BREAK_GLASS_HOURS = 4
BREAK_GLASS_REVIEWERS = frozenset({Role.MEDICAL_REFERENT, Role.COORDINATOR})

# Roles that assign care-team members to a person (needed for sexual-violence incidents).
ASSIGNING_ROLES = frozenset({Role.MEDICAL_REFERENT, Role.COORDINATOR})

# Roles that manage organisation, accounts and configuration (global).
CONFIGURATION_ROLES = frozenset({Role.ADMIN})


def allowed(role: str, category: str, action: str) -> bool:
    """The bare table look-up: may ``role`` take ``action`` on ``category``?"""
    try:
        return Action(action) in POLICY[Role(role)].get(Category(category), frozenset())
    except ValueError:
        return False


def roles_allowed(category: str, action: str) -> set[Role]:
    return {role for role in Role if allowed(role, category, action)}
