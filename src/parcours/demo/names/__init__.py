"""Name pools of the nationalities met on the migration routes to France.

Invented combinations of common names: no real person is described. Used by
the demo seed and by the benchmark dataset generator alike.
"""

from parcours.demo.names.arabic import ALGERIA, CHAD, EGYPT, KUWAIT, MOROCCO, SUDAN, SYRIA, TUNISIA
from parcours.demo.names.horn import ERITREA, ETHIOPIA, SOMALIA
from parcours.demo.names.model import Name, Nationality
from parcours.demo.names.other import ALBANIA, VIETNAM
from parcours.demo.names.persian_kurdish import AFGHANISTAN, IRAN, IRAQ
from parcours.demo.names.west_africa import COTE_DIVOIRE, GUINEA, MALI

NATIONALITIES: dict[str, Nationality] = {
    n.country: n
    for n in (
        SUDAN,
        CHAD,
        SYRIA,
        EGYPT,
        KUWAIT,
        TUNISIA,
        ALGERIA,
        MOROCCO,
        ERITREA,
        ETHIOPIA,
        SOMALIA,
        AFGHANISTAN,
        IRAN,
        IRAQ,
        GUINEA,
        COTE_DIVOIRE,
        MALI,
        VIETNAM,
        ALBANIA,
    )
}

__all__ = ["NATIONALITIES", "Name", "Nationality"]
