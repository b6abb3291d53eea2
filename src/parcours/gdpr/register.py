"""The register of processing activities (CNIL model), generated from the
configuration: purposes (missions and projects), categories of data and of
people, recipients (roles and what the policy lets them read), retention
(the rules in force), security measures."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.access.docs import policy_table
from parcours.access.terms import CATEGORY_LABELS, ROLE_LABELS, Category
from parcours.gdpr.models import RetentionRule
from parcours.gdpr.services import rule_days
from parcours.lib.pdf import Document
from parcours.org.models import Project

CATEGORY_CONTENT = {
    Category.IDENTITY: gettext_lazy(
        "names, sex, date of birth, nationality, languages, codes, vulnerabilities of the identity level"
    ),
    Category.CONTACT: gettext_lazy("phone, how to reach the person"),
    Category.SOCIAL: gettext_lazy("social situation, needs, accommodation, resources"),
    Category.LEGAL_PROTECTION: gettext_lazy(
        "administrative and legal procedures, violence documented for advocacy"
    ),
    Category.MEDICAL: gettext_lazy(
        "health data: consultations, diagnoses, treatments (art. 9 GDPR)"
    ),
    Category.MENTAL_HEALTH: gettext_lazy("mental-health sessions (art. 9 GDPR)"),
    Category.SV_INCIDENT: gettext_lazy("sexual-violence incidents (strictly restricted)"),
    Category.SAFEGUARDING: gettext_lazy("safeguarding reports"),
    Category.TESTIMONY: gettext_lazy("testimonies given with consent"),
    Category.ACTIVITY: gettext_lazy("outreach rounds, day-centre attendance, shelter stays"),
    Category.FEEDBACK: gettext_lazy("feedback and complaints, and how they were answered"),
    Category.STOCK: gettext_lazy(
        "medicines dispensed, linked to the consultation (pseudonymous for logistics)"
    ),
}


def _recipients() -> list[list[str]]:
    """Each role and the letters of the policy table for it (V view, T team
    note, C create, E edit, X export, A aggregate…)."""
    lines = [
        line
        for line in policy_table().splitlines()
        if line.startswith("| ") and "role |" not in line
    ]
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        role = cells[0].strip("`* ")
        label = next((str(v) for k, v in ROLE_LABELS.items() if k.value == role), role)
        grants = [
            f"{c.value}: {cells[i + 1]}"
            for i, c in enumerate(Category)
            if i + 1 < len(cells) and cells[i + 1] not in ("", "—", "-")
        ]
        rows.append([label, ", ".join(grants) or "—"])
    return rows


def register_pdf(language: str = "fr") -> bytes:
    with translation.override(language):
        doc = Document(
            title=_("Register of processing activities"),
            subtitle=_("Parcours, generated from the configuration (CNIL model)"),
        )
        doc.heading(_("Purposes"))
        projects = Project.objects.select_related("mission").order_by("mission__name", "name")
        doc.paragraph(
            _(
                "Case management and follow-up of people in migration (medical, mental-health, "
                "social, legal and protection care, outreach, day centres, shelters) and the "
                "monitoring and evaluation of the programme (MEAL), in these projects:"
            )
        )
        doc.table(
            [_("Mission"), _("Project"), _("Code"), _("Status")],
            [[p.mission.name, p.name, p.code, p.get_status_display()] for p in projects],
        )
        doc.heading(_("Categories of people"))
        doc.paragraph(
            _(
                "People followed by the projects (adults and minors, often unaccompanied); staff "
                "and volunteers using Parcours (accounts, access log)."
            )
        )
        doc.heading(_("Categories of data"))
        doc.table(
            [_("Category"), _("Content")],
            [[str(CATEGORY_LABELS[c]), str(CATEGORY_CONTENT[c])] for c in Category],
        )
        doc.heading(_("Recipients (by role, as the access policy allows)"))
        doc.table([_("Role"), _("Categories and actions")], _recipients())
        doc.heading(_("Retention"))
        days = rule_days()
        doc.table(
            [_("Data"), _("Kept for (days)")],
            [[str(label), str(days[key])] for key, label in RetentionRule.Key.choices],
        )
        doc.paragraph(
            _(
                "When the period is over, the daily retention job anonymises the person (identity "
                "and free text removed, stable pseudonym kept so that indicators do not change), "
                "unless a legal hold is set."
            )
        )
        doc.heading(_("Security measures"))
        for line in (
            _("Access decided per role, category and project; every read of a person logged."),
            _(
                "Confidential notes and narratives encrypted at rest (AES-256-GCM), keys outside the database."
            ),
            _("Every change recorded in an append-only audit trail."),
            _("Break-glass openings limited in time and reviewed."),
            _("Analysis exports pseudonymised with a keyed hash (key outside the database)."),
            _("Subject access, rectification history and erasure handled in the application."),
        ):
            doc.paragraph("• " + line)
        return doc.output()
