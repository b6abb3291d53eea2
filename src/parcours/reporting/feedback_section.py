"""The feedback lines of a project's SITREP: items received in the month by
category, the rates of acknowledgement and response on time, the median
time to response (parcours.feedback.stats, the statistics page's figures).

Whoever counts them, the sensitive items are one anonymous total: the
section is frozen with the report and read later by others. It is shown
only to who counts feedback (coordinators, MEAL officers), never in the
version with small cells suppressed (advocacy does not count feedback).
"""

from django.utils.translation import gettext as _

from parcours.feedback import rules, stats
from parcours.feedback.models import FeedbackCategory
from parcours.meal.periods import Period


def feedback_section(project, period: Period, *, user, outside: bool) -> dict | None:
    if outside or not rules.may_count_open(user, project.pk):
        return None
    f = stats.figures(user, project, period.start, period.end, detail_sensitive=False)
    return {
        "items": f.total,
        "sensitive": f.sensitive_total or 0,
        "by_category": [[code or "", n] for code, n in f.category_codes],
        "acknowledged": list(f.acknowledged_on_time),
        "acknowledged_pct": f.acknowledged_percent,
        "responded": list(f.responded_on_time),
        "responded_pct": f.responded_percent,
        "median_days": f.median_days_to_response,
    }


def narrow_feedback(projects: list[dict], user) -> None:
    """A frozen version's feedback lines, kept for who counts feedback now."""
    for project in projects:
        if project.get("feedback") and not rules.may_count_open(user, project.get("id")):
            project["feedback"] = None


def category_label(code: str) -> str:
    return str(dict(FeedbackCategory.choices).get(code, "")) or ""


def _rate(pct, counts) -> str:
    return "—" if pct is None else f"{pct} % ({counts[0]}/{counts[1]})"


def feedback_lines(section: dict | None) -> list[str]:
    """The section as sentences, for the PDF, Word and spreadsheet downloads."""
    if not section:
        return []
    categories = ", ".join(
        f"{category_label(code) or _('Not classified')} {n}" for code, n in section["by_category"]
    )
    median = section["median_days"]
    return [
        _(
            "Feedback and complaints: %(items)s items received, of which %(sensitive)s "
            "sensitive (handled by the safeguarding focal points, not broken down)."
        )
        % {"items": section["items"], "sensitive": section["sensitive"]},
        _("By category: %(categories)s.") % {"categories": categories or "—"},
        _(
            "Acknowledged on time: %(ack)s. Responded on time: %(resp)s. "
            "Median time to response: %(median)s."
        )
        % {
            "ack": _rate(section["acknowledged_pct"], section["acknowledged"]),
            "resp": _rate(section["responded_pct"], section["responded"]),
            "median": "—" if median is None else _("%(n)s days") % {"n": median},
        },
    ]
