"""Care after sexual violence: the incident, the clinical care (PEP and
emergency contraception when in time), psychological and legal follow-up, and
the care team the referent assigns."""

from datetime import timedelta

from parcours.demo import notes as n
from parcours.demo.stories.base import Context, pick, weighted
from parcours.demo.stories.medical import MedicalPlanning
from parcours.demo.stories.mental_health import MentalHealthPlanning
from parcours.demo.stories.plans import (
    LEGAL,
    MEDICAL,
    MENTAL_HEALTH,
    SV,
    AssignmentPlan,
    Story,
    Visit,
)
from parcours.demo.stories.tables import ASSIGNER, GBV, SITES, STAFF


class SexualViolencePlanning(MedicalPlanning, MentalHealthPlanning):
    """The pathway after sexual violence (its care uses the medical vital signs and
    the mental-health sessions)."""

    def _sv_pathway(self, ctx: Context, story: Story) -> int:
        """Incident, clinical care, psychological and legal follow-up, the care team."""
        rng = self.rng
        s = ctx.subject
        project = s.project
        recent = rng.random() < (0.45 if project == "DUN" else 0.2)
        day = self.days(1, ctx.start, max(ctx.start, ctx.end - timedelta(days=20)))[0]
        gbv = weighted(rng, GBV)
        if recent:
            # Came within days: within 72 hours for most, too late for PEP for some.
            hours = rng.choice((6, 10, 18, 26, 40, 52, 66, 90, 110, 140))
            location = "france_camp" if project in ("DUN", "CAL") else "france_other"
            perpetrator = rng.choice(("stranger", "other_migrant", "partner", "acquaintance"))
            narrative = rng.choice(
                n.SV_NARRATIVES["partner" if perpetrator == "partner" else "recent"]
            )
        else:
            hours = rng.randint(30, 900) * 24
            location = rng.choice(("libya", "libya", "route", "sea", "origin"))
            perpetrator = {
                "libya": "armed_group",
                "route": "smuggler",
                "sea": "smuggler",
                "origin": "family",
            }[location]
            narrative = rng.choice(n.SV_NARRATIVES["old"])
            if location == "origin":
                gbv = rng.choice(("forced_marriage", "rape"))
        sexual = gbv in ("rape", "sexual_assault")
        within_72h = hours <= 72
        services = ["medical", "psychosocial"]
        legal = rng.random() < 0.6
        if legal:
            services.append("legal")
        if project in ("DUN", "IDF") and rng.random() < 0.5:
            services.append("safety")
        moment = self.moment(day)
        incident = Visit(
            discipline=SV,
            project=project,
            site=pick(rng, SITES[(project, SV, "")])[0],
            activity="",
            author=STAFF[project][SV],
            occurred_at=moment,
            subject=s,
            details={
                "gbv_type": gbv,
                "incident_date": day - timedelta(days=hours // 24),
                "hours_to_care": hours,
                "location": location,
                "perpetrator_type": perpetrator,
                "services_received": services,
                "narrative": narrative,
                "consent_anonymous_reporting": rng.random() < 0.65,
            },
        )
        incident.interpreter_mode, incident.interpreter_language = (
            ("professional" if rng.random() < 0.6 else "phone", ctx.lang) if ctx.lang else ("", "")
        )
        site = next(o for o in SITES[(project, SV, "")] if o[0] == incident.site)
        incident.activity = site[1]
        care = {
            "reason": "Consultation après violence",
            "morbidity": "other",
            "sv_care": True,
            "hours_since_incident": hours,
            "diagnoses": ["T74.2"] + (["Z20.6"] if sexual and within_72h else []),
            "certificate_issued": rng.random() < (0.75 if recent else 0.4),
        }
        if sexual:
            care["pep_given"] = within_72h and rng.random() < 0.9
            care["emergency_contraception_given"] = (
                hours <= 120 and 12 <= ctx.age <= 50 and rng.random() < 0.9
            )
            if care["emergency_contraception_given"]:
                care["contraception"] = "emergency"
        self._vitals(care, ctx.age, "female", "other")
        clinical = self._visit(
            ctx,
            MEDICAL,
            day,
            care,
            confidential_note=rng.choice(n.SV_CARE["female"]),
            team_note=n.SAFE_HOUSING_TEAM if "safety" in services else "",
        )
        clinical.occurred_at = moment + timedelta(minutes=20)
        clinical.follow_up_on = day + timedelta(days=rng.choice((3, 7, 14)))
        clinical.follow_up_done = clinical.follow_up_on < self.today or not ctx.active
        story.visits += [incident, clinical]
        written = 2
        after = day + timedelta(days=2)
        later = self.days(5, after, ctx.end) if after <= ctx.end else []
        # Psychological follow-up
        sessions = later[: rng.randint(1, 3)]
        mh_ctx = ctx.with_events(("sexual_violence",))
        if sessions:
            self._mh_sessions(mh_ctx, story, sessions)
            written += len(sessions)
        team = [AssignmentPlan(s, STAFF[project][SV], project, ASSIGNER[project], automatic=True)]
        if sessions:
            team.append(
                AssignmentPlan(s, STAFF[project][MENTAL_HEALTH], project, ASSIGNER[project])
            )
        if legal and later:
            when = later[-1]
            details = {
                "procedure": "complaint" if recent and rng.random() < 0.5 else "asylum",
                "actions": ["information", "lawyer_referral"]
                if rng.random() < 0.6
                else ["information"],
                "decision": "",
            }
            visit = self._visit(
                ctx,
                LEGAL,
                when,
                details,
                confidential_note=n.COMPLAINT_INFORMATION
                if details["procedure"] == "complaint"
                else n.ASYLUM_ACCOUNT,
                team_note=n.DOCUMENTED_TEAM,
            )
            story.visits.append(visit)
            team.append(AssignmentPlan(s, STAFF[project][LEGAL], project, ASSIGNER[project]))
            written += 1
        story.assignments += team
        return written
