"""Counting past months ahead of the readers (for a periodic job, e.g. ops).

``warm(project, months)`` counts the figures a project's dashboards read
for each past month and keeps them (meal/cache.py); the pages then read
kept figures. Nothing is shown here, so no reader is needed: who may read
what is decided when a page reads.
"""

from parcours.meal import cache
from parcours.meal.counting import EngineError, batched, compute_cells
from parcours.meal.engine import project_indicators
from parcours.meal.periods import Period, trend


def warm(project, months) -> int:
    """Count and keep what the dashboards of ``project`` read for each of
    ``months`` (Periods of kind month; the current one is skipped): every
    computed indicator's twelve-month trend, for exact and for suppressed
    readers alike (nothing is shown here: who reads is decided when a page
    reads). Returns how many months were counted. For a periodic job (ops):
    the dashboards then read kept figures."""
    indicators = [i for i in project_indicators(project) if i.is_computed]
    done = 0
    for period in months:
        if period.kind != "month" or period.end >= cache.this_month():
            continue
        periods = trend(period, 12)
        window = Period(periods[0].start, periods[-1].end, "range", "")

        def each(window=window, persons=False):
            for indicator in indicators:
                try:
                    compute_cells(
                        indicator.definition_dict(), {project.pk}, window, (), "month", persons
                    )
                except EngineError:
                    continue

        # One batch per reader kind: a batch counts persons for a side when
        # any reader needs them, and the two are kept apart.
        batched(each)
        batched(lambda window=window: each(window, True))
        done += 1
    return done
