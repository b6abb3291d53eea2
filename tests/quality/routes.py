"""Access rules of the data-quality pages, for the authorisation-matrix test.

"quality": who aggregates a checked category in the project (MEAL officer,
coordinator, medical referent) or sees a clinical category in full (the
clinicians); reception, outreach, safeguarding, advocacy and other
projects' staff get 404.
"""

QUALITY_ROUTES = {
    "quality:index": "quality_anywhere",
    "quality:project": "quality",
}

QUALITY_RULES = {
    "quality": {
        "coordinator",
        "doctor",
        "psychologist",
        "social_worker",
        "lawyer",
        "meal",
        "referent",
    },
    # The index lists the user's own projects: the Dunkerque doctor's too.
    "quality_anywhere": {
        "coordinator",
        "doctor",
        "psychologist",
        "social_worker",
        "lawyer",
        "meal",
        "referent",
        "dunkerque_doctor",
    },
}
