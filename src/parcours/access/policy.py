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
# Feedback and complaints: every team member records what people tell them
# (in person, by phone…); who handles them reads and answers them.
_FEEDBACK_RECORDING = frozenset({A.CREATE})
_FEEDBACK_HANDLING = frozenset({A.VIEW, A.CREATE, A.EDIT, A.AGGREGATE})
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
        Category.STOCK: frozenset({A.VIEW, A.EXPORT, A.AGGREGATE}),
        Category.FEEDBACK: frozenset(_FEEDBACK_HANDLING),
        Category.SAFEGUARDING: _AGGREGATE_ONLY,  # sensitive complaints: anonymous totals
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
        # Dispensing, receipts and counts at the site's pharmacy.
        Category.STOCK: frozenset({A.VIEW, A.CREATE}),
        Category.FEEDBACK: _FEEDBACK_RECORDING,
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
        Category.STOCK: frozenset({A.VIEW, A.CREATE, A.EDIT, A.EXPORT, A.AGGREGATE}),
        Category.FEEDBACK: _FEEDBACK_RECORDING,
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
        Category.FEEDBACK: _FEEDBACK_RECORDING,
    },
    Role.SOCIAL_WORKER: {
        Category.IDENTITY: _CLINICIAN_IDENTITY,
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.SOCIAL: frozenset(_CARE_TEAM | {A.CONSENT}),
        Category.MEDICAL: _TEAM_NOTE,
        Category.MENTAL_HEALTH: _TEAM_NOTE,
        Category.LEGAL_PROTECTION: _TEAM_NOTE,
        Category.ACTIVITY: frozenset(_CARE_TEAM),
        Category.FEEDBACK: _FEEDBACK_RECORDING,
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
        Category.FEEDBACK: _FEEDBACK_RECORDING,
        # The protection team records testimonies and reviews their
        # anonymisation before advocacy may use them.
        Category.TESTIMONY: frozenset(_CARE_TEAM),
    },
    # Identity and their own activity records (outreach rounds, day centre).
    Role.OUTREACH: {
        Category.IDENTITY: frozenset(_IDENTITY_WORK),
        Category.ACTIVITY: frozenset(_CARE_TEAM),
        Category.FEEDBACK: _FEEDBACK_RECORDING,
    },
    Role.RECEPTION: {
        Category.IDENTITY: frozenset(_IDENTITY_WORK | {A.CONSENT}),
        Category.CONTACT: frozenset(_IDENTITY_WORK),
        Category.ACTIVITY: frozenset(_CARE_TEAM),
        Category.FEEDBACK: _FEEDBACK_RECORDING,
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
        Category.STOCK: _AGGREGATE_ONLY,
        # MEAL runs the feedback mechanism: reads, answers and counts the
        # items that are not sensitive; sensitive ones only as totals.
        Category.FEEDBACK: frozenset(_FEEDBACK_HANDLING),
        Category.SAFEGUARDING: _AGGREGATE_ONLY,
    },
    # Sensitive complaints (staff conduct, SEA, fraud, data protection):
    # read and handled by the safeguarding focal points only.
    Role.SAFEGUARDING: {
        Category.SAFEGUARDING: frozenset(_CARE_TEAM | {A.AGGREGATE}),
        Category.FEEDBACK: _FEEDBACK_RECORDING,
    },
    # Testimonies reviewed for use, within their consent scope; the
    # anonymised export and its aggregated violence documentation.
    Role.ADVOCACY: {
        Category.IDENTITY: _AGGREGATE_ONLY,
        Category.TESTIMONY: frozenset({A.VIEW, A.AGGREGATE, A.EXPORT}),
        Category.FEEDBACK: _FEEDBACK_RECORDING,
    },
    # The site's pharmacy and its orders, and nothing about any person: a
    # dispensing is shown to this role with a pseudonymous reference only.
    Role.LOGISTICS: {
        Category.STOCK: frozenset({A.VIEW, A.CREATE, A.EDIT, A.EXPORT}),
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

# Reports (monthly SITREP, mission report): read with exact figures by these
# roles, with small cells suppressed by the outside roles (advocacy); their
# narratives written by the coordinators and MEAL officers; validated (figures
# frozen) by the coordinators.
REPORT_READERS = frozenset({Role.COORDINATOR, Role.MEAL, Role.MEDICAL_REFERENT})
REPORT_OUTSIDE_READERS = frozenset({Role.ADVOCACY})
REPORT_WRITERS = frozenset({Role.COORDINATOR, Role.MEAL})
REPORT_VALIDATORS = frozenset({Role.COORDINATOR})


# Case management of complex cases (parcours.cases): the roles that open,
# run and close a case and see every case of their projects; the roles that
# supervise the caseload; the roles that may take part in a case (own its
# tasks, sit in its conferences) and then see that case only.
CASE_MANAGERS = frozenset({Role.COORDINATOR, Role.SOCIAL_WORKER, Role.MEDICAL_REFERENT})
CASELOAD_SUPERVISORS = frozenset({Role.COORDINATOR, Role.MEDICAL_REFERENT})
CASE_PARTICIPANTS = frozenset(CASE_MANAGERS | ASSIGNABLE_ROLES)

# Protocols and SOPs (not personal data): read by every member of a
# project, written and reviewed by these roles.
PROTOCOL_EDITORS = frozenset({Role.COORDINATOR, Role.MEDICAL_REFERENT})

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
# Custom fields and forms (parcours.customfields): coordinators design the
# fields of their project; a field of a medical category, or on the
# encounters of a medical discipline (where fields default to the medical
# category), is designed only by the medical referent, who alone may move
# such a field to a less protected category.
CUSTOM_FIELD_DESIGNERS = frozenset({Role.COORDINATOR, Role.MEDICAL_REFERENT})
CUSTOM_FIELD_MEDICAL_DESIGNERS = frozenset({Role.MEDICAL_REFERENT})
MEDICALLY_PROTECTED = frozenset({Category.MEDICAL, Category.SV_INCIDENT})
# Roles that validate a site's medical order (the medical referent only:
# not the coordinator, not the administrator, not logistics who drafts it).
ORDER_VALIDATORS = frozenset({Role.MEDICAL_REFERENT})

# Roles that review a testimony (its anonymisation) and mark it ready for
# advocacy: the protection team of the project (who also records them).
TESTIMONY_REVIEWERS = frozenset({Role.LEGAL_PROTECTION})

# Imports of Mano and legacy files into a project: its coordinators and MEAL
# officers; the configuration admin runs an import too but never reads its
# rows afterwards (counts and status only).
IMPORT_ROLES = frozenset({Role.COORDINATOR, Role.MEAL, Role.ADMIN})
IMPORT_REPORT_ROLES = frozenset({Role.COORDINATOR, Role.MEAL})

# Data protection (GDPR): subject-access requests are recorded and exported
# by coordinators and referents of the person's project; erasure and legal
# holds are the coordinators'; pseudonymised exports for analysis are MEAL's;
# retention rules and the register of processing are configuration (admin),
# the register is also read by coordinators.
SUBJECT_ACCESS_ROLES = frozenset({Role.COORDINATOR, Role.MEDICAL_REFERENT})
ERASURE_ROLES = frozenset({Role.COORDINATOR})
PSEUDONYMISED_EXPORT_ROLES = frozenset({Role.MEAL})
REGISTER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})

# Giving a role that reads clinical content (a clinical category or a
# sexual-violence incident, in full or as a team note) takes two people: the
# administrator asks, and one of these roles in the grant's project approves
# (never the grantee, never the requester). There is no all-powerful
# administrator.
GRANT_APPROVERS = frozenset({Role.COORDINATOR, Role.MEDICAL_REFERENT})
_CLINICAL_READS = frozenset({A.VIEW, A.VIEW_TEAM_NOTE})


def reads_clinical(role: str) -> bool:
    """Does ``role`` read any clinical category (sexual violence included)?"""
    try:
        rights = POLICY[Role(role)]
    except ValueError:
        return False
    return any(
        rights.get(category, frozenset()) & _CLINICAL_READS
        for category in CLINICAL_CATEGORIES | {Category.SV_INCIDENT}
    )


# Roles that keep the service directory (cartographie) up to date: the
# coordinators and the care disciplines that refer people to services. Every
# signed-in user reads it (it holds no personal data).

# Case management of complex cases (parcours.cases): the roles that open,
# run and close a case and see every case of their projects; the roles that
# supervise the caseload; the roles that may take part in a case (own its
# tasks, sit in its conferences) and then see that case only.

# Protocols and SOPs (not personal data): read by every member of a
# project, written and reviewed by these roles.
