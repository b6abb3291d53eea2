"""What the MEAL engine counts of the feedback mechanism (docs/feedback.md).

Two facts, so that a sensitive item can never be broken down:

- ``feedback_items``: the items that are not sensitive, under the feedback
  category (coordinators and MEAL officers count them), with their category,
  channel, language, status and site, whether they were acknowledged and
  answered in time and the days to the response. The on-time rates are
  ratios of these counts ("acknowledged on time" over "acknowledgement
  due"), like the statistics page.
- ``feedback_sensitive``: the sensitive items (staff conduct, SEA, fraud,
  data protection, raised by staff, not classified yet), under the
  safeguarding category, which coordinators and MEAL officers may only
  aggregate: no field and no disaggregation, only a total per period of
  whole months (a total of one day could point at one complaint). An
  indicator cannot filter them by category, channel, language or site.

Found by parcours.meal at start-up.
"""

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.feedback.models import (
    SENSITIVE_CATEGORIES,
    Channel,
    FeedbackCategory,
    FeedbackItem,
    Status,
)
from parcours.feedback.stats import due_q
from parcours.meal.facts import Fact, Field, Part, register

OPEN_CATEGORIES = tuple(
    (code, label) for code, label in FeedbackCategory.choices if code not in SENSITIVE_CATEGORIES
)


def _flag(q: Q):
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _open_items():
    """Items that are not sensitive, with whether each step is due (done, or
    its deadline passed: today decides, hence computed at each count)."""
    today = timezone.localdate()
    return FeedbackItem.objects.filter(sensitive=False).alias(
        acknowledgement_due=_flag(due_q("acknowledged", today)),
        response_due=_flag(due_q("responded", today)),
    )


def _sensitive_items():
    return FeedbackItem.objects.filter(sensitive=True)


register(
    Fact(
        code="feedback_items",
        label=_("Feedback items (not sensitive)"),
        category=Category.FEEDBACK,
        discipline="feedback",
        parts=(
            Part(
                model="feedback.FeedbackItem",
                base=_open_items,
                date="received_at",
                project="project",
                site="site",
                dimensions={"site": "site__name"},
            ),
        ),
        fields=(
            Field("category", "category", _("category"), "choice", OPEN_CATEGORIES),
            Field("channel", "channel", _("channel"), "choice", tuple(Channel.choices)),
            Field("language", "language", _("language"), "text"),
            Field("status", "status", _("status"), "choice", tuple(Status.choices)),
            Field(
                "acknowledgement_due",
                "acknowledgement_due",
                _("acknowledgement due (done or deadline passed)"),
                "bool",
            ),
            Field(
                "acknowledged_on_time", "acknowledged_in_time", _("acknowledged on time"), "bool"
            ),
            Field(
                "response_due",
                "response_due",
                _("response due (done or deadline passed)"),
                "bool",
            ),
            Field("responded_on_time", "responded_in_time", _("responded on time"), "bool"),
            Field("response_days", "response_days", _("days to response"), "decimal"),
        ),
        dimensions=("site",),
    )
)

register(
    Fact(
        code="feedback_sensitive",
        label=_("Sensitive feedback items (anonymous total)"),
        category=Category.SAFEGUARDING,
        discipline="feedback",
        whole_months_only=True,
        parts=(
            Part(
                model="feedback.FeedbackItem",
                base=_sensitive_items,
                date="received_at",
                project="project",
            ),
        ),
    )
)
