"""Access rules of the access/ pages, for the authorisation-matrix test.

"identity.view": the policy decides (identity view on the person);
"care_team": referent/coordinator of the person's project, or a member
assigned to the person's care; "break_glass": a role in BREAK_GLASS_ROLES;
"break_glass_review": a role in BREAK_GLASS_REVIEWERS. Everyone else: 404.
"""

ACCESS_ROUTES = {
    # Who may see the person reaches it; the enrolment itself is offered only
    # in the user's own projects (tests/dossier/test_enrol.py).
    "dossier:enrol": "identity.view",
    "dossier:consents": "identity.view",
    "dossier:care_team": "care_team",
    "dossier:break_glass": "break_glass",
    "dossier:break_glass_review": "break_glass_review",
    "dossier:break_glass_mark_reviewed": "break_glass_review",
    "dossier:break_glass_approve": "break_glass_review",
}
