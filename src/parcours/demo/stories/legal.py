"""Legal and protection work: minority appeals step by step in Pantin and
Marseille, adults' procedures, and the documentation of violence (the police
in Calais above all, detention in Libya)."""

from datetime import timedelta

from parcours.demo import notes as n
from parcours.demo.stories.base import Context, PlannerBase, weighted
from parcours.demo.stories.plans import LEGAL, Story
from parcours.demo.stories.tables import ADULT_PROCEDURES, APPEAL_DECISION, LEGAL_STEPS


class LegalPlanning(PlannerBase):
    """Series of legal and protection encounters."""

    def _legal_series(self, ctx: Context, story: Story, k: int) -> None:
        rng = self.rng
        s = ctx.subject
        sex = s.sex if s.sex in ("female", "male") else "male"
        days = self.days(k, ctx.start, ctx.end)
        appeal = s.project in ("IDF", "MRS") and (s.minority_appeal or ctx.age < 18)
        procedure = "minority_appeal" if appeal else weighted(rng, ADULT_PROCEDURES[s.project])
        police = s.project in ("CAL", "DUN") and not appeal and rng.random() < 0.4
        for i, day in enumerate(days):
            details: dict = {"procedure": procedure}
            last = i == len(days) - 1
            if appeal:
                details["actions"] = [LEGAL_STEPS[min(i, len(LEGAL_STEPS) - 1)]]
                if i >= len(LEGAL_STEPS):
                    details["actions"] = ["hearing_accompaniment"]
                decision = APPEAL_DECISION.get(s.minority_appeal, "")
                if last and decision:
                    details["decision"] = decision
                    if decision != "pending":
                        details["decision_date"] = day
                elif i >= 3:
                    details["decision"] = "pending"
                note = rng.choice(n.LEGAL_APPEAL[sex])
                team = rng.choice(n.LEGAL_APPEAL_TEAM[sex])
            else:
                details["actions"] = rng.sample(
                    ("information", "file_preparation", "lawyer_referral"), rng.randint(1, 2)
                )
                if last and i > 0 and rng.random() < 0.4:
                    details["decision"] = rng.choice(("pending", "favourable", "unfavourable"))
                    if details["decision"] != "pending":
                        details["decision_date"] = day
                note = rng.choice(n.LEGAL_ASYLUM[sex])
                team = rng.choice(n.LEGAL_TEAM[sex])
            if police and i == 0:
                # Violence documentation for advocacy, the police in Calais above all.
                details["procedure"] = "complaint" if rng.random() < 0.3 else procedure
                details["actions"] = ["documentation"] + (
                    ["lawyer_referral"] if rng.random() < 0.3 else []
                )
                details["violence_types"] = ["police"] + (
                    [rng.choice(("physical", "eviction", "verbal"))] if rng.random() < 0.6 else []
                )
                details["perpetrator_type"] = "police"
                details["violence_place"] = rng.choice(n.VIOLENCE_PLACES[s.project])
                details["violence_date"] = max(
                    day - timedelta(days=rng.randint(0, 10)), ctx.start - timedelta(days=10)
                )
                note = rng.choice(n.POLICE_VIOLENCE[sex])
                team = n.DOCUMENTED_TEAM
                ctx.documented = True
            elif s.project == "LBY" and i == 0 and rng.random() < 0.5:
                details["violence_types"] = ["detention"]
                details["perpetrator_type"] = "armed_group"
                details["violence_place"] = n.VIOLENCE_PLACES["LBY"][0]
                details["actions"] = ["documentation", "information"]
                ctx.documented = True
            visit = self._visit(ctx, LEGAL, day, details)
            if rng.random() < 0.7:
                visit.confidential_note = note
            if rng.random() < 0.6:
                visit.team_note = team
            self._follow_up(visit, day, ctx.active, 0.45)
            story.visits.append(visit)
