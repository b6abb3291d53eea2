"""Access rules of the report pages, for the authorisation-matrix test.

"report": the coordinators, MEAL officers and medical referents of the
project, and advocacy (small cells suppressed); "report_write": coordinators
and MEAL officers; "report_validate": coordinators. The mission pages take
the mission in the query string (without it, readers are sent to the index).
Everyone else: 404.
"""

_READ = ("sitrep", "sitrep_changes", "sitrep_pdf", "sitrep_xlsx", "sitrep_docx")
_MISSION_READ = ("mission", "mission_changes", "mission_pdf", "mission_xlsx", "mission_docx")

REPORTING_ROUTES = {
    "reporting:index": "report",
    **{f"reporting:{name}": "report" for name in _READ + _MISSION_READ},
    "reporting:sitrep_save": "report_write",
    "reporting:mission_save": "report_write",
    "reporting:sitrep_validate": "report_validate",
    "reporting:sitrep_reopen": "report_validate",
    "reporting:mission_validate": "report_validate",
    "reporting:mission_reopen": "report_validate",
}

REPORTING_RULES = {
    "report": {"coordinator", "meal", "referent", "advocacy"},
    "report_write": {"coordinator", "meal"},
    "report_validate": {"coordinator"},
}
