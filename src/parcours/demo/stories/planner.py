"""The care planner: one person's story across the disciplines their project
offers, each discipline planned by its own part (medical, mental_health, …)."""

from collections import Counter
from datetime import timedelta

from parcours.demo.stories.activities import ActivityPlanning
from parcours.demo.stories.base import Context
from parcours.demo.stories.consents import ConsentPlanning
from parcours.demo.stories.legal import LegalPlanning
from parcours.demo.stories.medical import MedicalPlanning
from parcours.demo.stories.mental_health import MentalHealthPlanning
from parcours.demo.stories.plans import (
    DAY_CENTRE,
    LEGAL,
    MEDICAL,
    MENTAL_HEALTH,
    OUTREACH,
    SHELTER,
    SOCIAL,
    Story,
    Subject,
)
from parcours.demo.stories.sexual_violence import SexualViolencePlanning
from parcours.demo.stories.social import SocialPlanning
from parcours.demo.stories.tables import SV_PATHWAY, WEIGHTS
from parcours.people.ages import age_on


class CarePlanner(
    SexualViolencePlanning,
    MedicalPlanning,
    MentalHealthPlanning,
    SocialPlanning,
    LegalPlanning,
    ActivityPlanning,
    ConsentPlanning,
):
    """Plans encounters, consents and care teams; the same Random gives the same plans."""

    def profile(self, s: Subject, age: int) -> str:
        if age < 14 and s.in_family:
            return "child"
        if age < 18:
            return "appeal" if s.minority_appeal or s.project in ("IDF", "MRS") else "minor"
        if s.minority_appeal:
            return "appeal"  # an adult for the département, a minor for themselves
        return "woman" if s.sex == "female" else "man"

    def story(self, s: Subject, count: int) -> Story:
        story = Story()
        if s.project == "DUN" and s.flags & {"sv_survivor", "pregnant"}:
            count = max(count, 3)  # known as such because they came to the clinic
        if count <= 0:
            self._registration(s, story, None)
            return story
        rng = self.rng
        today = self.today
        age = age_on(s.birth_date, today) if s.birth_date else 25
        # Persons still followed were last seen days or weeks ago, not all yesterday.
        end = self.yesterday - timedelta(days=min(120, int(rng.expovariate(1 / 21))))
        if s.exit_date:
            end = min(end, s.exit_date)
        if s.project == "LBY":
            end = min(end, self.libya_end)
        floor = end - timedelta(days=730 if s.project == "LBY" else 365)
        if s.birth_date:
            floor = max(floor, s.birth_date + timedelta(days=1))
        if floor > end:  # born after the project closed, or after leaving
            self._registration(s, story, None)
            return story
        span = rng.randint(14, max(14, min(365, 30 + 35 * count)))
        start = max(end - timedelta(days=span), floor)
        if start > end:
            start = end
        active = s.exit_date is None and s.project != "LBY"
        lang = self.interpreted_language(s)
        ctx = Context(s, age, start, end, active, lang, self.profile(s, age))
        remaining = count
        if (
            "sv_survivor" in s.flags
            and s.sex == "female"
            and age >= 12
            and rng.random() < SV_PATHWAY.get(s.project, 0)
        ):
            remaining -= self._sv_pathway(ctx, story)
        if "pregnant" in s.flags and age >= 14 and remaining > 0:
            remaining -= self._antenatal(ctx, story, min(remaining, rng.randint(1, 5)))
        if remaining > 0:
            weights = WEIGHTS.get((s.project, ctx.profile)) or WEIGHTS[(s.project, "man")]
            if ctx.profile == "man" and "shipwreck" not in s.flags:
                weights = {k: v for k, v in weights.items() if k != OUTREACH}
            if s.project in ("IDF", "DUN") and s.sex != "female":
                # The shelters there take girls (Montreuil) and single women (Dunkerque).
                weights = {k: v for k, v in weights.items() if k != SHELTER}
            drawn = Counter(rng.choices(list(weights), list(weights.values()), k=remaining))
            for discipline in weights:  # a stable order: the dict's
                k = drawn.get(discipline, 0)
                if k:
                    SERIES[discipline](self, ctx, story, k)
        story.visits.sort(key=lambda v: v.occurred_at)
        self._consents(ctx, story)
        return story


# discipline → the method that plans k encounters of a person in that discipline
SERIES = {
    MEDICAL: CarePlanner._medical_series,
    MENTAL_HEALTH: CarePlanner._mh_series,
    SOCIAL: CarePlanner._social_series,
    LEGAL: CarePlanner._legal_series,
    DAY_CENTRE: CarePlanner._day_centre_series,
    SHELTER: CarePlanner._shelter_series,
    OUTREACH: CarePlanner._outreach_series,
}
