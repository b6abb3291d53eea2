"""What happened to the invented persons in care: encounters, consents, care teams.

``CarePlanner.story(subject, count)`` plans, from a seeded Random and without
touching the database, about ``count`` encounters of one person across the
disciplines their project offers, with the structured fields indicators count
(morbidity and ICD-10 codes, vital signs, antenatal care, CGI scores, social
needs and actions, legal procedures, violence documentation…), notes in
French, interpreters in the person's language, follow-up dates, the person's
consent decisions and, after sexual violence, the care team. ``rounds`` plans
the anonymous outreach rounds and day-centre tallies.

The demo seed writes these plans through the services (audit trail, checks);
``generate`` writes them with bulk inserts for benchmark volumes. The values
are the ones the services accept: ``details`` is what ``encounter_record``
takes.

The data the planner draws from (staff, sites, weights, codes, notes) is in
``demo/data/*.yaml``, read by ``tables`` and ``parcours.demo.notes``; the
planning is in ``base`` (shared helpers), one module per discipline
(``medical``, ``sexual_violence``, ``mental_health``, ``social``, ``legal``,
``activities``), ``consents``, and ``planner`` (``CarePlanner``: one story).
"""

from parcours.demo.stories.planner import CarePlanner
from parcours.demo.stories.plans import (
    CLINICAL,
    DAY_CENTRE,
    LEGAL,
    MEDICAL,
    MENTAL_HEALTH,
    OUTREACH,
    SHELTER,
    SOCIAL,
    SV,
    AssignmentPlan,
    ConsentPlan,
    Story,
    Subject,
    Visit,
)
from parcours.demo.stories.tables import INTERPRETED_AS

__all__ = [
    "CLINICAL",
    "DAY_CENTRE",
    "INTERPRETED_AS",
    "LEGAL",
    "MEDICAL",
    "MENTAL_HEALTH",
    "OUTREACH",
    "SHELTER",
    "SOCIAL",
    "SV",
    "AssignmentPlan",
    "CarePlanner",
    "ConsentPlan",
    "Story",
    "Subject",
    "Visit",
]
