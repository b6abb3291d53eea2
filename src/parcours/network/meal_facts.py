"""What the MEAL engine counts of the network: referrals, by kind, the type
of the receiving service, the referring discipline and status (accepted and
done rates are ratios of these counts). Found by parcours.meal at start-up.

Counted under the activity category (the services given, never clinical
content): coordinators, MEAL officers and the care teams count them."""

from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category
from parcours.meal.facts import (
    Fact,
    Field,
    Part,
    age_group_expression,
    minor_adult_expression,
    register,
)
from parcours.network.choices import (
    ReferralCategoryChoices,
    ReferralKind,
    ReferralStatus,
    ServiceType,
)
from parcours.network.models import Referral


def _referrals():
    return Referral.objects.all()


register(
    Fact(
        code="referrals",
        label=_("Referrals"),
        category=Category.ACTIVITY,
        discipline="network",
        parts=(
            Part(
                model="network.Referral",
                base=_referrals,
                date="created_at",
                project="project",
                site=None,
                person="person",
                dimensions={
                    "sex": "person__sex",
                    "age_group": lambda window: age_group_expression(
                        "person__birth_date", "created_at", window
                    ),
                    "minor_adult": lambda window: minor_adult_expression(
                        "person__birth_date", "created_at", window
                    ),
                    "nationality": "person__nationality",
                    "discipline": "category",
                },
            ),
        ),
        fields=(
            Field("kind", "kind", _("kind"), "choice", tuple(ReferralKind.choices)),
            Field("status", "status", _("status"), "choice", tuple(ReferralStatus.choices)),
            Field(
                "service_type",
                "service__type",
                _("type of service"),
                "choice",
                tuple(ServiceType.choices),
            ),
            Field(
                "referring_discipline",
                "category",
                _("referring discipline"),
                "choice",
                tuple(ReferralCategoryChoices),
            ),
        ),
        dimensions=("sex", "age_group", "minor_adult", "nationality", "discipline"),
    )
)
