"""Mental-health sessions: the first one on the precipitating events, then the
CGI scores as the person improves (or not), risk levels and closure."""

from datetime import date

from parcours.demo import notes as n
from parcours.demo.stories.base import Context, PlannerBase
from parcours.demo.stories.plans import MENTAL_HEALTH, Story
from parcours.demo.stories.tables import MH_EVENTS_BY_FLAG, RISK


class MentalHealthPlanning(PlannerBase):
    """Series of mental-health sessions."""

    def _mh_series(self, ctx: Context, story: Story, k: int) -> None:
        self._mh_sessions(ctx, story, self.days(k, ctx.start, ctx.end))

    def _mh_sessions(self, ctx: Context, story: Story, days: list[date]) -> None:
        rng = self.rng
        s = ctx.subject
        sex = s.sex if s.sex in ("female", "male") else "male"
        events = list(ctx.events) or [e for flag, e in MH_EVENTS_BY_FLAG.items() if flag in s.flags]
        if not events:
            if s.minority_appeal:
                events = ["administrative"]
            elif s.project == "CAL":
                events = [rng.choice(("police_violence", "eviction", "violence_route"))]
            else:
                events = [rng.choice(("violence_route", "family_loss", "detention"))]
        symptoms = rng.sample(("anxiety", "depression", "sleep", "trauma", "somatic"), 2)
        if rng.random() < 0.08:
            symptoms.append("suicidal")
        if ctx.age < 18 and rng.random() < 0.1:
            symptoms.append("behaviour")
        severity = rng.randint(3, 6)
        group = ctx.age < 18 and rng.random() < 0.2
        for i, day in enumerate(days):
            first = i == 0
            details = {
                "session_type": "group" if group and i > 0 else "individual",
                "symptoms": symptoms if first or rng.random() < 0.5 else symptoms[:1],
                "cgi_severity": severity,
            }
            if first:
                details["precipitating_events"] = events
            else:
                details["cgi_improvement"] = rng.choices((1, 2, 3, 4, 5), (5, 25, 35, 28, 7))[0]
                if details["cgi_improvement"] <= 2 and severity > 2:
                    severity -= 1
                    details["cgi_severity"] = severity
            if "suicidal" in symptoms:
                details["risk_level"] = "high" if first and rng.random() < 0.4 else "moderate"
            else:
                details["risk_level"] = rng.choices(RISK, (50, 32, 14, 4))[0]
            last = i == len(days) - 1
            if last and len(days) > 1 and (not ctx.active or rng.random() < 0.35):
                details["closes_follow_up"] = True
                details["closure_reason"] = rng.choice(n.MH_CLOSURE)
            notes = n.MH_FIRST[events[0]] if first else n.MH_FOLLOW
            visit = self._visit(ctx, MENTAL_HEALTH, day, details)
            if rng.random() < 0.75:
                visit.confidential_note = rng.choice(notes[sex])
            if rng.random() < 0.55:
                visit.team_note = rng.choice(n.MH_TEAM[sex])
            if not details.get("closes_follow_up"):
                self._follow_up(visit, day, ctx.active, 0.55)
            story.visits.append(visit)
