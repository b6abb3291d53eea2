"""What the care planner draws from, read from the demo's data files (demo/data/).

Staff and assigners (staff.yaml), sites and outreach places (sites.yaml), which
disciplines a person meets (care_mix.yaml), the coded values of the structured
fields (codes.yaml), the tallies and services of the activities (activities.yaml),
in the shapes the planner looks them up by.
"""

from parcours.demo.accounts import SEED_USERNAME
from parcours.demo.data import load

_staff = load("staff")
# project → discipline (or "reception") → username
STAFF: dict[str, dict[str, str]] = _staff["staff"]
# Who assigns the care team after sexual violence, per project (the seed account
# where the project has no referent).
ASSIGNER: dict[str, str] = {
    project: username or SEED_USERNAME for project, username in _staff["assigner"].items()
}


def _sites(by_project: dict) -> dict[tuple[str, str, str], tuple]:
    """(project, discipline, who) → ((site name, activity type code, weight), …);
    who is "minor" or "adult", "" when the same for both."""
    sites = {}
    for project, disciplines in by_project.items():
        for discipline, options in disciplines.items():
            by_who = options if isinstance(options, dict) else {"": options}
            for who, choices in by_who.items():
                sites[(project, discipline, who)] = choices
    return sites


_sites_data = load("sites")
SITES = _sites(_sites_data["sites"])
# outreach site → the places where its rounds meet people
OUTREACH_PLACES: dict[str, tuple[str, ...]] = _sites_data["outreach_places"]

_mix = load("care_mix")
# (project, profile) → discipline → relative weight (in the order the planner draws)
WEIGHTS: dict[tuple[str, str], dict[str, int]] = {
    (project, profile): weights
    for project, profiles in _mix["weights"].items()
    for profile, weights in profiles.items()
}
# Share of the care given after sexual violence that goes through the pathway.
SV_PATHWAY: dict[str, float] = _mix["sv_pathway"]

_codes = load("codes")
MORBIDITY: dict[str, dict[str, int]] = _codes["medical"]["morbidity"]
FEVER = frozenset(_codes["medical"]["fever"])
PREGNANCY_TREATMENTS: tuple[str, ...] = _codes["medical"]["pregnancy_treatments"]
GBV: dict[str, int] = _codes["sexual_violence"]["gbv_types"]
MH_EVENTS_BY_FLAG: dict[str, str] = _codes["mental_health"]["events_by_flag"]
RISK: tuple[str, ...] = _codes["mental_health"]["risk_levels"]
LEGAL_STEPS: tuple[str, ...] = _codes["legal_protection"]["appeal_steps"]
APPEAL_DECISION: dict[str, str] = _codes["legal_protection"]["appeal_decisions"]
ADULT_PROCEDURES: dict[str, dict[str, int]] = _codes["legal_protection"]["adult_procedures"]
# Interpreters work in the language the person speaks best, often the standard
# language of a dialect; Fula, Susu or Bambara are often peers.
INTERPRETED_AS: dict[str, str] = _codes["interpreting"]["interpreted_as"]
RARE_LANGUAGES = frozenset(_codes["interpreting"]["rare_languages"])

_activities = load("activities")
# kind of round → ((sex, age group, fewest, most), …)
TALLY_GROUPS: dict[str, tuple[tuple[str, str, int, int], ...]] = _activities["tally_groups"]
OUTREACH_SERVICES: tuple[str, ...] = _activities["outreach_services"]
DAY_SERVICES: tuple[str, ...] = _activities["day_centre_services"]
SHELTER_SERVICES: tuple[str, ...] = _activities["shelter_services"]
