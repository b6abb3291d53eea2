"""Small-cell suppression for published figures: a count from 1 to 4 is
shown as "<5" (so that nobody is recognised in a small group); zero stays
zero. Written for the advocacy export; the MEAL engine has its own rules
for indicators."""

THRESHOLD = 5
SUPPRESSED = "<5"


def shown(count: int) -> str:
    return SUPPRESSED if 0 < count < THRESHOLD else str(count)
