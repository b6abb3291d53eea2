"""The person's consent decisions: registration, team sharing per discipline
(sometimes withdrawn later), advocacy and testimony after violence, photos,
external referrals."""

from datetime import datetime, timedelta

from parcours.demo import notes as n
from parcours.demo.stories.base import Context, PlannerBase
from parcours.demo.stories.plans import (
    CLINICAL,
    DAY_CENTRE,
    LEGAL,
    MEDICAL,
    SOCIAL,
    SV,
    ConsentPlan,
    Story,
    Subject,
    Visit,
)
from parcours.demo.stories.tables import STAFF


class ConsentPlanning(PlannerBase):
    """A person's consent decisions, after their encounters are planned."""

    def _how(self, s: Subject, lang: str) -> tuple[str, str]:
        if lang:
            return "oral_interpreter", lang
        return "oral", "fr" if "fr" in s.languages or not s.languages else "en"

    def _registration(self, s: Subject, story: Story, first: datetime | None) -> None:
        rng = self.rng
        if rng.random() >= 0.93:
            return  # not recorded: a data-quality check finds them
        if first is None:
            end = self.libya_end if s.project == "LBY" else self.yesterday
            if s.exit_date:
                end = min(end, s.exit_date)
            first = self.moment(end - timedelta(days=rng.randint(0, 120)))
        method, language = self._how(s, self.interpreted_language(s))
        story.consents.append(
            ConsentPlan(
                s,
                "registration",
                "given",
                "written" if rng.random() < 0.15 else method,
                language,
                first - timedelta(minutes=30),
                STAFF[s.project]["reception"],
            )
        )

    def _consents(self, ctx: Context, story: Story) -> None:
        rng = self.rng
        s = ctx.subject
        visits = story.visits
        self._registration(s, story, visits[0].occurred_at)
        method, language = self._how(s, ctx.lang)
        firsts: dict[str, Visit] = {}
        for visit in visits:
            firsts.setdefault(visit.discipline, visit)
        for category in CLINICAL:
            visit = firsts.get(category)
            if visit is None or rng.random() >= 0.88:
                continue
            at = visit.occurred_at + timedelta(minutes=15)
            given = rng.random() < 0.8
            story.consents.append(
                ConsentPlan(
                    s,
                    "team_sharing",
                    "given" if given else "refused",
                    method,
                    language,
                    at,
                    visit.author,
                    category=category,
                    note="" if given else rng.choice(n.CONSENT_NOTES["refused"]),
                )
            )
            if given and rng.random() < 0.05:
                self.withdraw(story, story.consents[-1])
        documenting = next(
            (v for v in visits if v.discipline == LEGAL and v.details.get("violence_types")), None
        )
        incident = firsts.get(SV)
        source = documenting or incident
        if source is not None:
            at = source.occurred_at + timedelta(minutes=25)
            given = rng.random() < 0.75
            story.consents.append(
                ConsentPlan(
                    s,
                    "advocacy_anonymous",
                    "given" if given else "refused",
                    method,
                    language,
                    at,
                    source.author,
                )
            )
        if documenting is not None:
            at = documenting.occurred_at + timedelta(minutes=30)
            if rng.random() < 0.4:
                story.consents.append(
                    ConsentPlan(
                        s,
                        "testimony",
                        "given" if rng.random() < 0.7 else "refused",
                        "written",
                        language,
                        at,
                        documenting.author,
                        scope=n.TESTIMONY_SCOPE,
                    )
                )
            if rng.random() < 0.3:
                self.photos(story, s, documenting, n.INJURY_PHOTOS_SCOPE)
        if ctx.photos and DAY_CENTRE in firsts:
            visit = firsts[DAY_CENTRE]
            self.photos(story, s, visit, n.DAY_CENTRE_PHOTOS_SCOPE, "reception")
        referral = next(
            (
                v
                for v in visits
                if v.discipline in (MEDICAL, SOCIAL)
                and (
                    "pass_referral" in v.details.get("actions", ())
                    or v.details.get("safe_abortion_care") == "referral"
                    or v.details.get("morbidity") in ("chronic", "dental", "rti_lower")
                )
            ),
            None,
        )
        if referral is not None and rng.random() < 0.6:
            story.consents.append(
                ConsentPlan(
                    s,
                    "external_referral",
                    "given" if rng.random() < 0.92 else "refused",
                    method,
                    language,
                    referral.occurred_at + timedelta(minutes=20),
                    referral.author,
                    scope=rng.choice(n.REFERRAL_SCOPES[s.project]),
                )
            )

    def photos(self, story: Story, s: Subject, visit: Visit, scope: str, who: str = "") -> None:
        rng = self.rng
        method, language = self._how(s, self.interpreted_language(s))
        story.consents.append(
            ConsentPlan(
                s,
                "photos",
                "given" if rng.random() < 0.8 else "refused",
                "written" if rng.random() < 0.7 else method,
                language,
                visit.occurred_at + timedelta(minutes=35),
                STAFF[s.project][who] if who else visit.author,
                scope=scope,
            )
        )

    def withdraw(self, story: Story, given: ConsentPlan) -> None:
        """The person takes back a consent given earlier (a new decision, later)."""
        rng = self.rng
        end = self.libya_end if given.subject.project == "LBY" else self.yesterday
        first = given.decided_at.date() + timedelta(days=1)
        if first > end:
            return
        day = first + timedelta(days=rng.randint(0, (end - first).days))
        story.consents.append(
            ConsentPlan(
                given.subject,
                given.kind,
                "withdrawn",
                given.method,
                given.language,
                self.moment(day),
                given.recorder,
                category=given.category,
                scope=given.scope,
                note=rng.choice(n.CONSENT_NOTES["withdrawn"]),
            )
        )
