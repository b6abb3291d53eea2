"""What every part of the care planner shares: the seeded Random and today, the
dates and hours of encounters, interpreters, follow-ups, and one encounter at
one of the project's sites (``PlannerBase``), and what the planner knows of the
person being planned (``Context``)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random

from django.utils import timezone

from parcours.demo.stories.plans import DAY_CENTRE, OUTREACH, SHELTER, Subject, Visit
from parcours.demo.stories.tables import INTERPRETED_AS, RARE_LANGUAGES, SITES, STAFF

# The Libyan project is suspended: its records stop about thirteen months ago.
LIBYA_SUSPENDED_DAYS_AGO = 400


def weighted(rng: Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def pick(rng: Random, options: tuple) -> tuple[str, str]:
    """(site, activity) among (site, activity, weight) options."""
    if len(options) == 1:
        return options[0][0], options[0][1]
    site, activity, _w = rng.choices(options, [o[2] for o in options])[0]
    return site, activity


@dataclass(slots=True, eq=False)
class Context:
    """What the planner knows of one person while planning their story."""

    subject: Subject
    age: int
    start: date
    end: date
    active: bool
    lang: str
    profile: str
    events: tuple[str, ...] = ()
    documented: bool = False
    photos: bool = False

    def with_events(self, events: tuple[str, ...]) -> "Context":
        return Context(
            self.subject,
            self.age,
            self.start,
            self.end,
            self.active,
            self.lang,
            self.profile,
            events,
        )


class PlannerBase:
    """The seeded Random, today, and the helpers every discipline's planning uses."""

    def __init__(self, rng: Random, today: date):
        self.rng = rng
        self.today = today
        self.yesterday = today - timedelta(days=1)
        self.libya_end = today - timedelta(days=LIBYA_SUSPENDED_DAYS_AGO)
        self.tz = timezone.get_default_timezone()

    def count(self, mean: float) -> int:
        """How many encounters one person has: none for a few, a long tail for some."""
        rng = self.rng
        if rng.random() < 0.06:
            return 0
        mean = mean / 0.94
        if mean <= 1:
            return 1
        return min(1 + int(rng.expovariate(1 / (mean - 1))), int(mean * 10) + 5)

    def moment(self, day: date, first_hour: int = 9, last_hour: int = 17) -> datetime:
        rng = self.rng
        return datetime.combine(
            day,
            time(rng.randint(first_hour, last_hour), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))),
            tzinfo=self.tz,
        )

    def days(self, k: int, start: date, end: date, months: frozenset[int] | None = None):
        """``k`` sorted days between start and end, distinct while there is room
        (one encounter of a series a day), in ``months`` when possible."""
        rng = self.rng
        width = max(0, (end - start).days)
        if k <= width + 1:
            offsets = rng.sample(range(width + 1), k)
        else:
            offsets = [rng.randint(0, width) for _ in range(k)]
        days = []
        for offset in offsets:
            day = start + timedelta(days=offset)
            if months and day.month not in months:
                for _retry in range(6):
                    other = start + timedelta(days=rng.randint(0, width))
                    if other.month in months:
                        day = other
                        break
            days.append(day)
        days.sort()
        return days

    def _interpreter(self, s: Subject, lang: str, discipline: str) -> tuple[str, str]:
        if not lang:
            return "", ""
        rng = self.rng
        if discipline in (DAY_CENTRE, SHELTER, OUTREACH):
            return ("peer", lang) if rng.random() < 0.3 else ("", "")
        roll = rng.random()
        if lang in RARE_LANGUAGES:
            mode = "peer" if roll < 0.5 else "phone" if roll < 0.9 else ""
        else:
            mode = "phone" if roll < 0.5 else "professional" if roll < 0.75 else "peer"
            if roll > 0.96:
                mode = ""  # no interpreter reached: recorded as such
        return (mode, lang) if mode else ("", "")

    @staticmethod
    def interpreted_language(s: Subject) -> str:
        if not s.interpreter_needed:
            return ""
        for code in s.languages:
            if code not in ("fr", "en"):
                return INTERPRETED_AS.get(code, code)
        return ""

    def _follow_up(self, visit: Visit, day: date, active: bool, rate: float) -> None:
        rng = self.rng
        if rng.random() >= rate:
            return
        due = day + timedelta(days=rng.choice((3, 7, 7, 10, 14, 14, 21, 28)))
        visit.follow_up_on = due
        today = self.today
        if due < today:
            # Past follow-ups were done, but for a few of the last weeks.
            recent = due >= today - timedelta(days=14)
            visit.follow_up_done = not (active and recent and rng.random() < 0.15)
        elif not active:
            visit.follow_up_done = True

    def _visit(self, ctx: Context, discipline: str, day: date, details: dict, **extra) -> Visit:
        s = ctx.subject
        who = "minor" if ctx.age < 18 else "adult"
        options = SITES.get((s.project, discipline, who)) or SITES[(s.project, discipline, "")]
        site, activity = pick(self.rng, options)
        if discipline == SHELTER:
            moment = self.moment(day, 18, 21)
        elif discipline == OUTREACH:
            moment = self.moment(day, 5, 9)
        else:
            moment = self.moment(day)
        mode, language = self._interpreter(s, ctx.lang, discipline)
        return Visit(
            discipline=discipline,
            project=s.project,
            site=site,
            activity=activity,
            author=STAFF[s.project][discipline],
            occurred_at=moment,
            subject=s,
            details=details,
            interpreter_mode=mode,
            interpreter_language=language,
            **extra,
        )
