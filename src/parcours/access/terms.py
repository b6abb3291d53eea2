"""The words of the access policy: roles, categories of information, actions.

Anyone may name these (a model declares its category, a membership its
role); only parcours.access decides what they allow.
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
    # Pharmacy and medical stock: receipts, counts, transfers, orders.
    LOGISTICS = "logistics"


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
    Role.LOGISTICS: _("Pharmacy / logistics"),
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
    # Feedback and complaints that are not sensitive (information requests,
    # suggestions, complaints about a service…). Sensitive ones (staff
    # conduct, sexual exploitation and abuse, fraud, data protection) are
    # of the safeguarding category.
    FEEDBACK = "feedback"
    # Outreach rounds, day-centre attendance and shelter stays: who came,
    # which services were given. Not clinical.
    ACTIVITY = "activity"
    # Pharmacy and medical stock of a site: items, batches, the ledger of
    # movements, orders. Not personal data: a dispensing names its person
    # only by a pseudonymous reference (the medical category shows more).
    STOCK = "stock"


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
    Category.FEEDBACK: _("Feedback and complaints"),
    Category.ACTIVITY: _("Activities and services"),
    Category.STOCK: _("Pharmacy and medical stock"),
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


def role_label(role: str) -> str:
    """The role's name for people; the stored value if it is no longer a role."""
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role
