"""Activities: day-centre visits, shelter stays and outreach encounters of a
registered person, and the anonymous outreach rounds and day-centre tallies."""

from datetime import date, timedelta

from parcours.demo import notes as n
from parcours.demo.stories.base import Context, PlannerBase, pick
from parcours.demo.stories.plans import DAY_CENTRE, OUTREACH, SHELTER, Story, Subject, Visit
from parcours.demo.stories.tables import (
    DAY_SERVICES,
    OUTREACH_PLACES,
    OUTREACH_SERVICES,
    SHELTER_SERVICES,
    SITES,
    STAFF,
    TALLY_GROUPS,
)


class ActivityPlanning(PlannerBase):
    """A person's day-centre, shelter and outreach encounters; anonymous rounds."""

    def _day_centre_series(self, ctx: Context, story: Story, k: int) -> None:
        rng = self.rng
        sex = ctx.subject.sex if ctx.subject.sex in ("female", "male") else "male"
        for day in self.days(k, ctx.start, ctx.end):
            details = {"services": rng.sample(DAY_SERVICES, rng.randint(2, 4))}
            visit = self._visit(ctx, DAY_CENTRE, day, details)
            if rng.random() < 0.2:
                visit.team_note = rng.choice(n.DAY_CENTRE_TEAM[sex])
            story.visits.append(visit)
        if rng.random() < 0.1:
            ctx.photos = True

    def _shelter_series(self, ctx: Context, story: Story, k: int) -> None:
        rng = self.rng
        s = ctx.subject
        sex = s.sex if s.sex in ("female", "male") else "male"
        winter = frozenset((11, 12, 1, 2, 3)) if s.project == "CAL" else None
        last_out = None
        for day in self.days(k, ctx.start, ctx.end, winter):
            if last_out and day <= last_out:
                day = last_out + timedelta(days=rng.randint(1, 20))
                if day > ctx.end:
                    break
            nights = rng.choice((1, 2, 3, 3, 5, 7, 10, 14, 21, 30))
            out = day + timedelta(days=nights)
            details = {
                "admitted_on": day,
                "services": rng.sample(SHELTER_SERVICES, rng.randint(1, 3)),
            }
            if out <= ctx.end:
                details["discharged_on"] = out
                last_out = out
            elif not ctx.active:
                details["discharged_on"] = ctx.end
                last_out = ctx.end
            else:
                last_out = self.today  # still there
            visit = self._visit(ctx, SHELTER, day, details)
            if rng.random() < 0.5:
                visit.team_note = (
                    n.SHELTER_PROJECT_TEAM[s.project]
                    if rng.random() < 0.4
                    else rng.choice(n.SHELTER_TEAM[sex])
                )
            story.visits.append(visit)

    def _outreach_series(self, ctx: Context, story: Story, k: int) -> None:
        rng = self.rng
        sex = ctx.subject.sex if ctx.subject.sex in ("female", "male") else "male"
        season = frozenset(range(4, 11))
        for day in self.days(k, ctx.start, ctx.end, season):
            visit = self._visit(ctx, OUTREACH, day, {})
            visit.details = {
                "place": rng.choice(OUTREACH_PLACES.get(visit.site, ("Plage",))),
                "services": rng.sample(OUTREACH_SERVICES[:5], rng.randint(1, 3)),
            }
            visit.team_note = rng.choice(n.OUTREACH_PERSON_TEAM[sex])
            story.visits.append(visit)

    # -- anonymous tallies -----------------------------------------------------------------

    def rounds(self, count: int, met: list[Subject], *, start: date | None = None) -> list[Visit]:
        """``count`` anonymous encounters: coastal outreach rounds on the Calais coast
        (spring to autumn, at dawn) with the registered persons met, and weekly
        day-centre tallies in Calais, Pantin and Marseille."""
        rng = self.rng
        end = self.yesterday
        start = start or end - timedelta(days=365)
        season = frozenset(range(4, 11))
        shipwrecked = [s for s in met if "shipwreck" in s.flags] or met
        visits = []
        for i in range(count):
            if i % 5 == 4:
                project = rng.choice(("CAL", "IDF", "MRS"))
                site, activity = pick(rng, SITES[(project, DAY_CENTRE, "")])
                day = self.days(1, start, end)[0]
                tallies = self._tallies("day_centre")
                visit = Visit(
                    DAY_CENTRE,
                    project,
                    site,
                    activity,
                    STAFF[project][DAY_CENTRE],
                    self.moment(day, 16, 18),
                    None,
                    {"tallies": tallies, "services": rng.sample(DAY_SERVICES, 4)},
                    team_note=rng.choice(n.DAY_CENTRE_TALLY_TEAM),
                )
            else:
                site, activity = pick(rng, SITES[("CAL", OUTREACH, "")])
                day = self.days(1, start, end, season)[0]
                linked = ()
                if shipwrecked and rng.random() < 0.3:
                    chosen = rng.sample(shipwrecked, min(len(shipwrecked), rng.randint(1, 3)))
                    linked = tuple(s.key for s in chosen)
                visit = Visit(
                    OUTREACH,
                    "CAL",
                    site,
                    activity,
                    STAFF["CAL"][OUTREACH],
                    self.moment(day, 5, 8),
                    None,
                    {
                        "place": rng.choice(OUTREACH_PLACES[site]),
                        "services": rng.sample(OUTREACH_SERVICES, rng.randint(2, 5)),
                        "tallies": self._tallies("outreach"),
                    },
                    team_note=rng.choice(n.OUTREACH_ROUND_TEAM),
                    linked=linked,
                )
            visits.append(visit)
        return visits

    def _tallies(self, kind: str) -> list[dict]:
        rng = self.rng
        rows = []
        for sex, group, low, high in TALLY_GROUPS[kind]:
            count = rng.randint(low, high) if rng.random() < 0.8 or low else 0
            if count:
                rows.append({"sex": sex, "age_group": group, "count": count})
        return rows or [{"sex": "male", "age_group": "18-24", "count": 1}]
