"""Social work: needs, actions, health coverage as it is obtained, outcomes."""

from parcours.demo import notes as n
from parcours.demo.stories.base import Context, PlannerBase
from parcours.demo.stories.plans import SOCIAL, Story


class SocialPlanning(PlannerBase):
    """Series of social-work encounters."""

    def _social_series(self, ctx: Context, story: Story, k: int) -> None:
        rng = self.rng
        s = ctx.subject
        sex = s.sex if s.sex in ("female", "male") else "male"
        minor = ctx.age < 18
        coverage = "none"
        for i, day in enumerate(self.days(k, ctx.start, ctx.end)):
            if minor:
                needs = rng.sample(("housing", "education", "documents", "health_coverage"), 2)
                actions = rng.sample(
                    ("ase_referral", "information", "accompaniment", "ame_application"), 2
                )
            else:
                needs = rng.sample(
                    (
                        "housing",
                        "food",
                        "health_coverage",
                        "domiciliation",
                        "documents",
                        "clothing",
                    ),
                    rng.randint(1, 3),
                )
                actions = []
                if "housing" in needs:
                    actions.append("call_115")
                if "health_coverage" in needs:
                    actions.append(rng.choice(("ame_application", "pass_referral")))
                if "domiciliation" in needs:
                    actions.append("domiciliation_application")
                if "food" in needs:
                    actions.append("food_aid")
                if not actions or rng.random() < 0.3:
                    actions.append(rng.choice(("information", "accompaniment")))
            if i > 0 and coverage == "none" and rng.random() < 0.5:
                coverage = rng.choice(("ame", "pass", "ame"))
            details = {
                "needs": needs if i == 0 or rng.random() < 0.5 else needs[:1],
                "health_coverage": coverage if s.project != "LBY" else "",
                "actions": actions,
                "outcome": rng.choice(n.SOCIAL_OUTCOMES),
            }
            visit = self._visit(ctx, SOCIAL, day, details)
            pool = n.SOCIAL_MINOR if minor and rng.random() < 0.5 else n.SOCIAL_CONFIDENTIAL
            if rng.random() < 0.5:
                visit.confidential_note = rng.choice(pool[sex])
            if rng.random() < 0.7:
                visit.team_note = rng.choice(n.SOCIAL_TEAM[sex])
            self._follow_up(visit, day, ctx.active, 0.4)
            story.visits.append(visit)
