"""The access policy of Parcours, declared as data.

One table says, for every role, which actions it may take on which
category of information. The rules that need a condition (same project,
assigned to the person's care, consent given, break-glass open…) are the
role sets below; parcours.access.scope applies them. Nothing outside
parcours.access imports this module: every other module asks scope.

docs/access.md describes this table for people; tests/access/test_policy_doc.py
fails when the two disagree.
"""

from parcours.access.terms import Action, Category, Role

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

# Roles whose members may be assigned to a person's care (and then see
# sexual-violence incidents).
ASSIGNABLE_ROLES = frozenset({Role.MEDICAL, Role.MENTAL_HEALTH, Role.LEGAL_PROTECTION})

# Roles that manage organisation, accounts and configuration (global).
CONFIGURATION_ROLES = frozenset({Role.ADMIN})

# The clinical categories: a user who sees one of them in full for a person
# (a care discipline of the person's team) is told what else exists in the
# record ("N entries not shared with your role") and which team-sharing
# consents are in force. Anyone else (reception, outreach, MEAL, advocacy,
# coordinators) is told nothing: the existence of a psychology or a legal
# file is itself confidential.
CLINICAL_CATEGORIES = frozenset(
    {Category.MEDICAL, Category.MENTAL_HEALTH, Category.SOCIAL, Category.LEGAL_PROTECTION}
)

# Vulnerability flags carry the secret of the category they reveal, and are
# shown only to who may view that category in full for the person (for
# sexual violence: the assigned care team and referents; break-glass never
# opens it). Keyed by people.Flag values; a system check fails when a flag
# has no category here.
FLAG_CATEGORIES: dict[str, Category] = {
    # Needed by reception and outreach to orient the person (shelter for
    # single women and minors, family places): identity-level facts.
    "unaccompanied_minor": Category.IDENTITY,
    "single_woman": Category.IDENTITY,
    "single_parent": Category.IDENTITY,
    "elderly": Category.IDENTITY,
    # A circumstance of arrival that coastal outreach teams establish
    # themselves on the beach; it says nothing of care received.
    "shipwreck": Category.IDENTITY,
    "pregnant": Category.MEDICAL,
    "chronic_illness": Category.MEDICAL,
    "disability": Category.MEDICAL,
    # Documented and followed by the protection / legal team (asylum
    # claims, victim status); a health or shelter worker does not need it.
    "torture": Category.LEGAL_PROTECTION,
    "trafficking": Category.LEGAL_PROTECTION,
    "sv_survivor": Category.SV_INCIDENT,
}


def allowed(role: str, category: str, action: str) -> bool:
    """The bare table look-up: may ``role`` take ``action`` on ``category``?"""
    try:
        return Action(action) in POLICY[Role(role)].get(Category(category), frozenset())
    except ValueError:
        return False


# Roles that validate a project's daily report (compte-rendu) and may
# correct its team notes before validating.
DAILY_REPORT_VALIDATORS = frozenset({Role.COORDINATOR})


# Roles that keep the service directory (cartographie) up to date: the
# coordinators and the care disciplines that refer people to services. Every
# signed-in user reads it (it holds no personal data).
DIRECTORY_EDITORS = frozenset(
    {
        Role.COORDINATOR,
        Role.MEDICAL,
        Role.MEDICAL_REFERENT,
        Role.MENTAL_HEALTH,
        Role.SOCIAL_WORKER,
        Role.LEGAL_PROTECTION,
    }
)

# Roles that read indicator figures only with small cells suppressed (fewer
# than 5 persons shown as "<5", and the complementary cell): figures meant
# for outside the project team. They count these categories, nothing else,
# and never a name (MEAL engine, parcours.meal).
SMALL_CELL_ROLES: dict[Role, frozenset[Category]] = {
    Role.ADVOCACY: frozenset(
        {
            Category.IDENTITY,
            Category.SOCIAL,
            Category.LEGAL_PROTECTION,
            Category.MEDICAL,
            Category.MENTAL_HEALTH,
            Category.SV_INCIDENT,  # only incidents consented to anonymous reporting
            Category.ACTIVITY,
        }
    )
}
# Roles that edit a project's logframe and its indicators (MEAL plan).
MEAL_PLAN_EDITORS = frozenset({Role.COORDINATOR, Role.MEAL})
