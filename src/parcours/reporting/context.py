"""Menu entries of the data-quality and report pages, from the same access
rules as the pages (a context processor of this app: the menu's own one sits
in accounts, below these modules). One entry, to keep the menu on two lines
on a tablet: "Reports" for their readers (the reports page links to data
quality), "Data quality" for the clinicians who only fix findings."""

from parcours.access.module_scopes import report_projects
from parcours.quality.evaluate import quality_projects


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "reporting_nav": {
            "quality": bool(quality_projects(user)),
            "reports": bool(report_projects(user)),
        }
    }
