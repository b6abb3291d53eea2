"""What happened to the invented persons in care: encounters, consents, care teams.

``CarePlanner.story(subject, count)`` plans, from a seeded Random and without
touching the database, about ``count`` encounters of one person across the
disciplines their project offers, with the structured fields indicators count
(morbidity and ICD-10 codes, vital signs, antenatal care, CGI scores, social
needs and actions, legal procedures, violence documentation…), notes in
French, interpreters in the person's language, follow-up dates, the person's
consent decisions and, after sexual violence, the care team. ``rounds`` plans
the anonymous outreach rounds and day-centre tallies.

The demo seed writes these plans through the services (audit trail, checks);
``generate`` writes them with bulk inserts for benchmark volumes. The values
are the ones the services accept: ``details`` is what ``encounter_record``
takes.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random

from django.utils import timezone

from parcours.demo import notes as n
from parcours.demo.accounts import SEED_USERNAME
from parcours.people.ages import age_on

MEDICAL, MENTAL_HEALTH, SOCIAL, LEGAL = "medical", "mental_health", "social", "legal_protection"
SV, OUTREACH, SHELTER, DAY_CENTRE = "sv_incident", "outreach", "shelter", "day_centre"
CLINICAL = (MEDICAL, MENTAL_HEALTH, SOCIAL, LEGAL)

# The Libyan project is suspended: its records stop about thirteen months ago.
LIBYA_SUSPENDED_DAYS_AGO = 400

# Who records what, per project: the listed demo accounts where they work,
# hidden staff accounts elsewhere (parcours.demo.accounts.SEED_STAFF).
STAFF = {
    "CAL": {
        MEDICAL: "demo-medecin",
        SV: "demo-medecin",
        MENTAL_HEALTH: "demo-psy",
        SOCIAL: "demo-social",
        LEGAL: "demo-juriste",
        OUTREACH: "demo-maraude",
        DAY_CENTRE: "demo-accueil",
        SHELTER: "demo-social",
        "reception": "demo-accueil",
    },
    "DUN": {
        MEDICAL: "demo-medecin-dunkerque",
        SV: "demo-medecin-dunkerque",
        MENTAL_HEALTH: "demo-psy",
        SOCIAL: "demo-seed-social-dun",
        LEGAL: "demo-juriste",
        DAY_CENTRE: "demo-seed-accueil-dun",
        SHELTER: "demo-seed-social-dun",
        "reception": "demo-seed-accueil-dun",
    },
    **{
        code: {
            MEDICAL: f"demo-seed-medecin-{code.lower()}",
            SV: f"demo-seed-medecin-{code.lower()}",
            MENTAL_HEALTH: f"demo-seed-psy-{code.lower()}",
            SOCIAL: f"demo-seed-social-{code.lower()}",
            LEGAL: f"demo-seed-juriste-{code.lower()}",
            OUTREACH: f"demo-seed-accueil-{code.lower()}",
            DAY_CENTRE: f"demo-seed-accueil-{code.lower()}",
            SHELTER: f"demo-seed-social-{code.lower()}",
            "reception": f"demo-seed-accueil-{code.lower()}",
        }
        for code in ("IDF", "MRS", "LBY")
    },
}
# Who assigns the care team after sexual violence (referent or coordinator).
ASSIGNER = {
    "CAL": "demo-referent-medical",
    "DUN": "demo-referent-medical",
    "IDF": "demo-referent-medical",
    "MRS": "demo-referent-medical",
    "LBY": SEED_USERNAME,
}

_CLINIC_CAL = (("Clinique mobile – Calais, zone des Dunes", "mobile_clinic", 7),)
_CLINIC_CAL += (("Clinique mobile – Marck", "mobile_clinic", 3),)
_DAY_CAL = (("Accueil de jour mineurs – Calais", "day_centre", 1),)
_DUN_CAMPS = (
    ("Clinique mobile – camp de Loon-Plage", "mobile_clinic", 6),
    ("Clinique mobile – Grande-Synthe (Puythouck)", "mobile_clinic", 4),
)
_DUN_WOMEN = (("Espace femmes avec les associations partenaires – Grande-Synthe", "day_centre", 1),)
_PANTIN = "Accueil de jour MNA – Pantin"
_MRS_DAY = "Accueil de jour – Marseille, Belle de Mai"
_MRS_SQUATS = "Soutien aux squats – Marseille nord"
_LBY_CENTRE = "Centre d'hébergement – Tripoli"
_LBY_DETENTION = "Visites en centres de détention – Tripoli"
# (project, discipline, who) → ((site name, activity type code, weight), …);
# who is "minor" or "adult", "" when the same for both.
SITES = {
    ("CAL", MEDICAL, "adult"): _CLINIC_CAL,
    ("CAL", MEDICAL, "minor"): _CLINIC_CAL + (_DAY_CAL[0][:2] + (5,),),
    ("CAL", MENTAL_HEALTH, "adult"): _CLINIC_CAL,
    ("CAL", MENTAL_HEALTH, "minor"): _DAY_CAL,
    ("CAL", SOCIAL, "adult"): _CLINIC_CAL,
    ("CAL", SOCIAL, "minor"): _DAY_CAL,
    ("CAL", LEGAL, ""): _CLINIC_CAL + _DAY_CAL,
    ("CAL", SV, ""): _CLINIC_CAL,
    ("CAL", DAY_CENTRE, ""): _DAY_CAL,
    ("CAL", SHELTER, ""): (("Mise à l'abri hivernale – Calais", "emergency_shelter", 1),),
    ("CAL", OUTREACH, ""): (
        ("Maraude littorale – Wimereux", "coastal_outreach", 3),
        ("Maraude littorale – Sangatte / Cap Blanc-Nez", "coastal_outreach", 4),
        ("Maraude littorale – Équihen-Plage", "coastal_outreach", 2),
    ),
    ("DUN", MEDICAL, ""): _DUN_CAMPS + (_DUN_WOMEN[0][:2] + (3,),),
    ("DUN", SV, ""): _DUN_CAMPS + (_DUN_WOMEN[0][:2] + (5,),),
    ("DUN", MENTAL_HEALTH, ""): _DUN_WOMEN + (_DUN_CAMPS[0][:2] + (1,),),
    ("DUN", SOCIAL, ""): _DUN_CAMPS + (_DUN_WOMEN[0][:2] + (8,),),
    ("DUN", LEGAL, ""): _DUN_WOMEN,
    ("DUN", DAY_CENTRE, ""): _DUN_WOMEN,
    ("DUN", SHELTER, ""): (("Hébergement femmes seules – Dunkerque", "emergency_shelter", 1),),
    ("IDF", MEDICAL, "minor"): ((_PANTIN, "day_centre", 1),),
    ("IDF", MEDICAL, "adult"): (
        ("Clinique mobile bénévole – Porte de la Chapelle", "mobile_clinic", 1),
    ),
    ("IDF", MENTAL_HEALTH, ""): (
        (_PANTIN, "day_centre", 8),
        ("Ligne d'écoute MNA", "phone_line", 2),
    ),
    ("IDF", SOCIAL, ""): ((_PANTIN, "day_centre", 1),),
    ("IDF", LEGAL, ""): ((_PANTIN, "legal_clinic", 9), ("Ligne d'écoute MNA", "phone_line", 1)),
    ("IDF", DAY_CENTRE, ""): ((_PANTIN, "day_centre", 1),),
    ("IDF", SHELTER, ""): (("Hébergement MNA filles – Montreuil", "housing", 1),),
    ("IDF", SV, ""): ((_PANTIN, "day_centre", 1),),
    ("MRS", MEDICAL, ""): ((_MRS_DAY, "day_centre", 6), (_MRS_SQUATS, "mobile_clinic", 4)),
    ("MRS", MENTAL_HEALTH, ""): ((_MRS_DAY, "day_centre", 1),),
    ("MRS", SOCIAL, ""): ((_MRS_DAY, "day_centre", 6), (_MRS_SQUATS, "housing", 4)),
    ("MRS", LEGAL, ""): ((_MRS_DAY, "legal_clinic", 1),),
    ("MRS", DAY_CENTRE, ""): ((_MRS_DAY, "day_centre", 1),),
    ("MRS", SHELTER, ""): ((_MRS_SQUATS, "housing", 1),),
    ("MRS", SV, ""): ((_MRS_DAY, "day_centre", 1),),
    ("LBY", MEDICAL, ""): (
        ("Suivi hospitalier – Tripoli", "hospital_followup", 5),
        (_LBY_DETENTION, "detention_visit", 3),
        ("Points de débarquement – Tripoli", "coastal_outreach", 2),
    ),
    ("LBY", SV, ""): ((_LBY_CENTRE, "day_centre", 1),),
    ("LBY", MENTAL_HEALTH, ""): (
        (_LBY_CENTRE, "day_centre", 6),
        (_LBY_DETENTION, "detention_visit", 2),
    ),
    ("LBY", SOCIAL, ""): ((_LBY_CENTRE, "day_centre", 1),),
    ("LBY", LEGAL, ""): ((_LBY_DETENTION, "detention_visit", 5), (_LBY_CENTRE, "day_centre", 3)),
    ("LBY", DAY_CENTRE, ""): ((_LBY_CENTRE, "day_centre", 1),),
    ("LBY", SHELTER, ""): ((_LBY_CENTRE, "emergency_shelter", 1),),
    ("LBY", OUTREACH, ""): (("Points de débarquement – Tripoli", "coastal_outreach", 1),),
}

# Which disciplines a person meets, by project and profile (relative weights).
WEIGHTS = {
    ("CAL", "man"): {MEDICAL: 50, MENTAL_HEALTH: 8, SOCIAL: 14, LEGAL: 10, SHELTER: 3, OUTREACH: 3},
    ("CAL", "woman"): {MEDICAL: 42, MENTAL_HEALTH: 10, SOCIAL: 20, LEGAL: 6, SHELTER: 14},
    ("CAL", "minor"): {
        DAY_CENTRE: 36,
        MEDICAL: 24,
        MENTAL_HEALTH: 10,
        SOCIAL: 12,
        LEGAL: 6,
        SHELTER: 8,
        OUTREACH: 2,
    },
    ("CAL", "child"): {MEDICAL: 80, SHELTER: 20},
    ("DUN", "woman"): {
        MEDICAL: 48,
        MENTAL_HEALTH: 12,
        SOCIAL: 12,
        SHELTER: 10,
        DAY_CENTRE: 12,
        LEGAL: 4,
    },
    ("DUN", "man"): {MEDICAL: 60, SOCIAL: 18, MENTAL_HEALTH: 10, LEGAL: 12},
    ("DUN", "minor"): {MEDICAL: 45, DAY_CENTRE: 25, MENTAL_HEALTH: 15, SOCIAL: 15},
    ("DUN", "child"): {MEDICAL: 90, DAY_CENTRE: 10},
    ("IDF", "appeal"): {
        LEGAL: 24,
        MEDICAL: 20,
        MENTAL_HEALTH: 14,
        SOCIAL: 14,
        DAY_CENTRE: 18,
        SHELTER: 10,
    },
    ("IDF", "man"): {MEDICAL: 65, SOCIAL: 22, LEGAL: 13},
    ("IDF", "woman"): {MEDICAL: 60, SOCIAL: 25, LEGAL: 10, MENTAL_HEALTH: 5},
    ("MRS", "appeal"): {LEGAL: 24, MEDICAL: 24, MENTAL_HEALTH: 14, SOCIAL: 18, DAY_CENTRE: 20},
    ("MRS", "man"): {MEDICAL: 55, SOCIAL: 28, LEGAL: 17},
    ("MRS", "woman"): {MEDICAL: 55, SOCIAL: 30, LEGAL: 15},
    ("LBY", "man"): {MEDICAL: 45, MENTAL_HEALTH: 12, SHELTER: 15, DAY_CENTRE: 13, LEGAL: 15},
    ("LBY", "woman"): {MEDICAL: 45, MENTAL_HEALTH: 15, SHELTER: 20, DAY_CENTRE: 10, LEGAL: 10},
    ("LBY", "minor"): {MEDICAL: 35, MENTAL_HEALTH: 15, SHELTER: 20, DAY_CENTRE: 20, LEGAL: 10},
    ("LBY", "child"): {MEDICAL: 80, SHELTER: 20},
}
for _code in ("IDF", "MRS"):
    WEIGHTS[(_code, "minor")] = WEIGHTS[(_code, "appeal")]
    WEIGHTS[(_code, "child")] = {MEDICAL: 100}
WEIGHTS[("DUN", "appeal")] = WEIGHTS[("DUN", "minor")]
WEIGHTS[("CAL", "appeal")] = WEIGHTS[("CAL", "minor")]
WEIGHTS[("LBY", "appeal")] = WEIGHTS[("LBY", "minor")]

# Share of the care given after sexual violence that goes through the pathway.
SV_PATHWAY = {"DUN": 1.0, "IDF": 0.6, "CAL": 0.5, "LBY": 0.5, "MRS": 0.3}

MORBIDITY = {
    "adult": {
        "rti_upper": 20,
        "scabies": 12,
        "wound": 13,
        "musculoskeletal": 12,
        "skin": 8,
        "dental": 6,
        "gastric": 5,
        "rti_lower": 5,
        "headache": 5,
        "hypothermia": 2,
        "diarrhoea": 3,
        "chronic": 4,
        "urinary": 2,
        "sti": 1,
        "burn": 2,
        "other": 3,
    },
    "child": {
        "rti_upper": 35,
        "diarrhoea": 15,
        "skin": 12,
        "scabies": 10,
        "rti_lower": 10,
        "other": 12,
        "wound": 6,
    },
}
PREGNANCY_TREATMENTS = ("Fer + acide folique", "Fer + acide folique, paracétamol")
FEVER = {"rti_upper", "rti_lower", "urinary"}

MH_EVENTS_BY_FLAG = {
    "shipwreck": "shipwreck",
    "torture": "detention",
    "sv_survivor": "sexual_violence",
    "trafficking": "violence_route",
}
RISK = ("none", "low", "moderate", "high")

LEGAL_STEPS = ("information", "file_preparation", "lawyer_referral", "appeal_filed")
APPEAL_DECISION = {"pending": "pending", "recognised": "favourable", "rejected": "unfavourable"}
ADULT_PROCEDURES = {
    "CAL": {"asylum": 25, "dublin": 30, "family_reunification": 15, "complaint": 10, "oqtf": 8},
    "DUN": {"asylum": 35, "dublin": 25, "family_reunification": 20, "complaint": 10},
    "IDF": {"asylum": 50, "dublin": 25, "residence": 15, "oqtf": 10},
    "MRS": {"asylum": 40, "residence": 30, "oqtf": 20, "dublin": 10},
    "LBY": {"other": 60, "family_reunification": 40},
}
GBV = {
    "rape": 45,
    "sexual_assault": 25,
    "physical_assault": 12,
    "psychological_abuse": 8,
    "forced_marriage": 5,
    "denial_of_resources": 5,
}
# Interpreters work in the language the person speaks best, often the
# standard language of a dialect; Fula, Susu or Bambara are often peers.
INTERPRETED_AS = {"shu": "ar", "aeb": "ar", "arq": "ar", "ary": "ar", "zgh": "ar", "tig": "ti"}
RARE_LANGUAGES = {"ff", "sus", "emk", "bm", "snk", "dyu", "bci", "om", "kab"}

TALLY_GROUPS = {
    "outreach": (
        ("male", "18-24", 4, 30),
        ("male", "25-59", 2, 20),
        ("male", "15-17", 0, 8),
        ("female", "18-24", 0, 4),
        ("female", "25-59", 0, 5),
        ("female", "5-14", 0, 2),
        ("male", "5-14", 0, 2),
        ("female", "0-4", 0, 2),
        ("male", "0-4", 0, 2),
        ("unknown", "unknown", 0, 6),
    ),
    "day_centre": (
        ("male", "15-17", 10, 60),
        ("female", "15-17", 0, 15),
        ("male", "5-14", 0, 6),
        ("male", "18-24", 0, 8),
    ),
}
OUTREACH_SERVICES = ("first_aid", "blankets", "water", "food", "clothes", "information", "referral")
DAY_SERVICES = (
    "shower",
    "meal",
    "rest",
    "laundry",
    "phone_charging",
    "activities",
    "information",
    "clothes",
    "hygiene",
)
SHELTER_SERVICES = ("meal", "shower", "hygiene", "rest", "laundry", "information")


@dataclass(slots=True, eq=False)
class Subject:
    """One registered person as the planner needs them."""

    key: object  # the Person (seed) or its id (generate)
    project: str
    sex: str
    birth_date: date | None
    languages: list[str]
    interpreter_needed: bool
    flags: frozenset[str]
    exit_date: date | None = None
    minority_appeal: str = ""
    in_family: bool = False
    duplicate: bool = False


@dataclass(slots=True, eq=False)
class Visit:
    """One encounter to record: ``details`` is what encounter_record takes."""

    discipline: str
    project: str
    site: str
    activity: str
    author: str
    occurred_at: datetime
    subject: Subject | None
    details: dict
    team_note: str = ""
    confidential_note: str = ""
    interpreter_mode: str = ""
    interpreter_language: str = ""
    follow_up_on: date | None = None
    follow_up_done: bool = False
    linked: tuple = ()  # keys of the registered persons met (outreach rounds)

    def data(self) -> dict:
        return {
            "occurred_at": self.occurred_at,
            "interpreter_mode": self.interpreter_mode,
            "interpreter_language": self.interpreter_language,
            "team_note": self.team_note,
            "confidential_note": self.confidential_note,
            "follow_up_on": self.follow_up_on,
        }


@dataclass(slots=True, eq=False)
class ConsentPlan:
    subject: Subject
    kind: str
    status: str
    method: str
    language: str
    decided_at: datetime
    recorder: str
    category: str = ""
    scope: str = ""
    note: str = ""


@dataclass(slots=True, eq=False)
class AssignmentPlan:
    subject: Subject
    username: str
    project: str
    assigner: str
    # The author of the incident is put in the care team by encounter_record itself.
    automatic: bool = False


@dataclass
class Story:
    visits: list[Visit] = field(default_factory=list)
    consents: list[ConsentPlan] = field(default_factory=list)
    assignments: list[AssignmentPlan] = field(default_factory=list)

    def extend(self, other: "Story") -> None:
        self.visits += other.visits
        self.consents += other.consents
        self.assignments += other.assignments


def _weighted(rng: Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _pick(rng: Random, options: tuple) -> tuple[str, str]:
    """(site, activity) among (site, activity, weight) options."""
    if len(options) == 1:
        return options[0][0], options[0][1]
    site, activity, _w = rng.choices(options, [o[2] for o in options])[0]
    return site, activity


class CarePlanner:
    """Plans encounters, consents and care teams; the same Random gives the same plans."""

    def __init__(self, rng: Random, today: date):
        self.rng = rng
        self.today = today
        self.yesterday = today - timedelta(days=1)
        self.libya_end = today - timedelta(days=LIBYA_SUSPENDED_DAYS_AGO)
        self.tz = timezone.get_default_timezone()

    # -- helpers -----------------------------------------------------------------

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

    # -- one person ------------------------------------------------------------

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
        ctx = _Context(s, age, start, end, active, lang, self.profile(s, age))
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

    def _visit(self, ctx: "_Context", discipline: str, day: date, details: dict, **extra) -> Visit:
        s = ctx.subject
        who = "minor" if ctx.age < 18 else "adult"
        options = SITES.get((s.project, discipline, who)) or SITES[(s.project, discipline, "")]
        site, activity = _pick(self.rng, options)
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

    # -- medical -----------------------------------------------------------------

    def _vitals(self, details: dict, age: int, sex: str, morbidity: str) -> None:
        rng = self.rng
        r = rng.random
        if r() < 0.7:
            if morbidity in FEVER and r() < 0.6:
                temperature = rng.uniform(37.8, 39.6)
            elif morbidity == "hypothermia":
                temperature = rng.uniform(34.6, 35.9)
            else:
                temperature = rng.uniform(36.1, 37.4)
            details["temperature_c"] = Decimal(f"{temperature:.1f}")
        child = age < 12
        if r() < 0.6:
            details["pulse_bpm"] = rng.randint(85, 140) if child else rng.randint(58, 104)
        if not child and r() < 0.4:
            high = morbidity == "chronic" and r() < 0.6
            details["systolic_mmhg"] = rng.randint(145, 185) if high else rng.randint(100, 139)
            details["diastolic_mmhg"] = rng.randint(90, 110) if high else rng.randint(60, 89)
        if r() < 0.25:
            details["respiratory_rate"] = (
                rng.randint(20, 34) if child or morbidity == "rti_lower" else rng.randint(12, 20)
            )
        if r() < 0.35:
            details["spo2_percent"] = (
                rng.randint(91, 97) if morbidity == "rti_lower" else rng.randint(95, 100)
            )
        if r() < 0.3:
            if child:
                weight = 3.5 + age * 2.6 + rng.uniform(-1, 1.5)
            else:
                weight = rng.uniform(47, 78) if sex == "female" else rng.uniform(52, 85)
            details["weight_kg"] = Decimal(f"{weight:.1f}")

    def _medical_series(self, ctx: "_Context", story: Story, k: int) -> None:
        rng = self.rng
        s = ctx.subject
        sex = s.sex if s.sex in ("female", "male") else "male"
        child = ctx.profile == "child"
        women = s.project == "DUN" and s.sex == "female" and 15 <= ctx.age <= 49
        abortion_done = False
        for day in self.days(k, ctx.start, ctx.end):
            if women and not abortion_done and rng.random() < 0.05:
                abortion_done = True
                self._safe_abortion(ctx, story, day)
                continue
            details: dict = {}
            morbidity = _weighted(rng, MORBIDITY["child" if child else "adult"])
            if women and rng.random() < 0.35:
                self._womens_health(ctx, story, day)
                continue
            details["morbidity"] = morbidity
            cases = (child and n.CHILD_CASES.get(morbidity)) or n.MEDICAL_CASES[morbidity]
            reason, code, treatment, note = rng.choice(cases)
            details["reason"] = reason
            if rng.random() < 0.92:
                details["diagnoses"] = [code]
                if not child and rng.random() < 0.1:
                    extra = rng.choice(("Z59.0", "R53", "G47.0", "F43.1", "Z91.4"))
                    if extra != code:
                        details["diagnoses"].append(extra)
            self._vitals(details, ctx.age, sex, morbidity)
            if treatment and rng.random() < 0.85:
                details["treatments"] = treatment
            if morbidity == "sti":
                details["sti_treated"] = True
            visit = self._visit(ctx, MEDICAL, day, details)
            if rng.random() < 0.6:
                visit.confidential_note = note[sex]
            if rng.random() < 0.65:
                visit.team_note = rng.choice(n.MEDICAL_TEAM[sex])
            self._follow_up(visit, day, ctx.active, 0.3)
            story.visits.append(visit)

    def _womens_health(self, ctx: "_Context", story: Story, day: date) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            details = {
                "reason": "Contraception",
                "contraception": rng.choices(
                    ("pill", "injectable", "implant", "iud", "condoms"), (30, 25, 25, 5, 15)
                )[0],
                "diagnoses": [rng.choice(("Z30.0", "Z30.4", "Z30.9"))],
                "pregnant": False,
            }
            note = rng.choice(n.CONTRACEPTION["female"])
        else:
            reason, code, treatment, notes = n.STI_WOMEN
            details = {
                "reason": reason,
                "morbidity": "sti",
                "sti_treated": True,
                "diagnoses": [code],
                "treatments": treatment,
            }
            note = notes["female"]
        self._vitals(details, ctx.age, "female", details.get("morbidity", "other"))
        visit = self._visit(ctx, MEDICAL, day, details, confidential_note=note)
        if rng.random() < 0.5:
            visit.team_note = rng.choice(n.WOMEN_TEAM["female"][3:])
        self._follow_up(visit, day, ctx.active, 0.4)
        story.visits.append(visit)

    def _safe_abortion(self, ctx: "_Context", story: Story, day: date) -> None:
        rng = self.rng
        weeks = rng.randint(5, 13)
        late = weeks > 9  # beyond outpatient medical abortion: hospital
        steps = ["counselling", "referral" if late else "medical_abortion", "post_abortion"]
        for i, step in enumerate(steps):
            when = day + timedelta(days=(0, 2, 16)[i])
            if when > ctx.end:
                break
            pregnant = step != "post_abortion"
            details = {
                "reason": "Grossesse non désirée" if i == 0 else "Suivi IVG",
                "morbidity": "other",
                "pregnant": pregnant,
                "safe_abortion_care": step,
                "diagnoses": ["Z64.0" if pregnant else "O04.9"],
            }
            if pregnant:
                details["gestational_age_weeks"] = weeks + (when - day).days // 7
            if step == "post_abortion":
                details["contraception"] = rng.choice(("pill", "implant", "injectable"))
            self._vitals(details, ctx.age, "female", "other")
            visit = self._visit(
                ctx,
                MEDICAL,
                when,
                details,
                confidential_note=n.SAFE_ABORTION[step]["female"][0],
            )
            if step != "post_abortion":
                visit.follow_up_on = when + timedelta(days=2 if i == 0 else 14)
                visit.follow_up_done = visit.follow_up_on < self.today or not ctx.active
            story.visits.append(visit)

    def _antenatal(self, ctx: "_Context", story: Story, k: int) -> int:
        """Antenatal visits of a pregnant woman: gestational age grows with the dates."""
        rng = self.rng
        weeks = rng.randint(6, 30)
        first = ctx.end - timedelta(days=rng.randint(0, min(120, (ctx.end - ctx.start).days)))
        day = max(first - timedelta(days=28 * (k - 1)), ctx.start)
        done = 0
        for number in range(1, k + 1):
            if day > ctx.end:
                break
            ga = weeks + (day - first).days // 7 if day >= first else weeks
            ga = max(4, min(40, ga))
            details = {
                "reason": "Consultation prénatale",
                "morbidity": "pregnancy",
                "pregnant": True,
                "gestational_age_weeks": ga,
                "antenatal_visit_number": number,
                "diagnoses": ["Z34.0" if number == 1 and rng.random() < 0.3 else "Z34.9"],
                "treatments": rng.choice(PREGNANCY_TREATMENTS),
            }
            if rng.random() < 0.15:
                details["diagnoses"].append(rng.choice(("O21.0", "O99.0", "O23.4")))
            self._vitals(details, ctx.age, "female", "pregnancy")
            visit = self._visit(
                ctx,
                MEDICAL,
                day,
                details,
                confidential_note=rng.choice(n.PREGNANCY_NOTES["female"]),
                team_note=rng.choice(n.WOMEN_TEAM["female"][:3]),
            )
            visit.follow_up_on = day + timedelta(days=28)
            visit.follow_up_done = number < k or visit.follow_up_on < self.today or not ctx.active
            story.visits.append(visit)
            done += 1
            day += timedelta(days=rng.randint(21, 35))
        return done

    # -- sexual violence ------------------------------------------------------------

    def _sv_pathway(self, ctx: "_Context", story: Story) -> int:
        """Incident, clinical care, psychological and legal follow-up, the care team."""
        rng = self.rng
        s = ctx.subject
        project = s.project
        recent = rng.random() < (0.45 if project == "DUN" else 0.2)
        day = self.days(1, ctx.start, max(ctx.start, ctx.end - timedelta(days=20)))[0]
        gbv = _weighted(rng, GBV)
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
            site=_pick(rng, SITES[(project, SV, "")])[0],
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
            team_note="Besoin d'un hébergement sûr, à voir en priorité."
            if "safety" in services
            else "",
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
                confidential_note="Information sur le dépôt de plainte et l'aide juridictionnelle."
                if details["procedure"] == "complaint"
                else "Les violences subies seront à évoquer à l'OFPRA : préparation du récit.",
                team_note="Ne pas redemander le récit : documentation déjà faite.",
            )
            story.visits.append(visit)
            team.append(AssignmentPlan(s, STAFF[project][LEGAL], project, ASSIGNER[project]))
            written += 1
        story.assignments += team
        return written

    # -- mental health ----------------------------------------------------------------

    def _mh_series(self, ctx: "_Context", story: Story, k: int) -> None:
        self._mh_sessions(ctx, story, self.days(k, ctx.start, ctx.end))

    def _mh_sessions(self, ctx: "_Context", story: Story, days: list[date]) -> None:
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

    # -- social -----------------------------------------------------------------------

    def _social_series(self, ctx: "_Context", story: Story, k: int) -> None:
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

    # -- legal / protection ------------------------------------------------------------

    def _legal_series(self, ctx: "_Context", story: Story, k: int) -> None:
        rng = self.rng
        s = ctx.subject
        sex = s.sex if s.sex in ("female", "male") else "male"
        days = self.days(k, ctx.start, ctx.end)
        appeal = s.project in ("IDF", "MRS") and (s.minority_appeal or ctx.age < 18)
        procedure = "minority_appeal" if appeal else _weighted(rng, ADULT_PROCEDURES[s.project])
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
                team = "Ne pas redemander le récit : documentation déjà faite."
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

    # -- activities ---------------------------------------------------------------------

    def _day_centre_series(self, ctx: "_Context", story: Story, k: int) -> None:
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

    def _shelter_series(self, ctx: "_Context", story: Story, k: int) -> None:
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

    def _outreach_series(self, ctx: "_Context", story: Story, k: int) -> None:
        rng = self.rng
        sex = ctx.subject.sex if ctx.subject.sex in ("female", "male") else "male"
        season = frozenset(range(4, 11))
        for day in self.days(k, ctx.start, ctx.end, season):
            visit = self._visit(ctx, OUTREACH, day, {})
            visit.details = {
                "place": rng.choice(n.OUTREACH_PLACES.get(visit.site, ("Plage",))),
                "services": rng.sample(OUTREACH_SERVICES[:5], rng.randint(1, 3)),
            }
            visit.team_note = rng.choice(n.OUTREACH_PERSON_TEAM[sex])
            story.visits.append(visit)

    # -- consents --------------------------------------------------------------------------

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

    def _consents(self, ctx: "_Context", story: Story) -> None:
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
                        scope="Rapport d'observation des violences aux frontières",
                    )
                )
            if rng.random() < 0.3:
                self.photos(story, s, documenting, "Photos des lésions, usage interne")
        if ctx.photos and DAY_CENTRE in firsts:
            visit = firsts[DAY_CENTRE]
            self.photos(story, s, visit, "Photos des activités de l'accueil de jour", "reception")
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
                site, activity = _pick(rng, SITES[(project, DAY_CENTRE, "")])
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
                site, activity = _pick(rng, SITES[("CAL", OUTREACH, "")])
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
                        "place": rng.choice(n.OUTREACH_PLACES[site]),
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


@dataclass(slots=True, eq=False)
class _Context:
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

    def with_events(self, events: tuple[str, ...]) -> "_Context":
        return _Context(
            self.subject,
            self.age,
            self.start,
            self.end,
            self.active,
            self.lang,
            self.profile,
            events,
        )


SERIES = {
    MEDICAL: CarePlanner._medical_series,
    MENTAL_HEALTH: CarePlanner._mh_series,
    SOCIAL: CarePlanner._social_series,
    LEGAL: CarePlanner._legal_series,
    DAY_CENTRE: CarePlanner._day_centre_series,
    SHELTER: CarePlanner._shelter_series,
    OUTREACH: CarePlanner._outreach_series,
}
