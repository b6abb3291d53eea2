"""Medical consultations: the common ones by morbidity, with vital signs and
ICD-10 codes, and in Dunkerque women's health (contraception, STI care, safe
abortion care) and antenatal care."""

from datetime import date, timedelta
from decimal import Decimal

from parcours.demo import notes as n
from parcours.demo.stories.base import Context, PlannerBase, weighted
from parcours.demo.stories.plans import MEDICAL, Story
from parcours.demo.stories.tables import FEVER, MORBIDITY, PREGNANCY_TREATMENTS


class MedicalPlanning(PlannerBase):
    """Medical consultations, women's health and antenatal care."""

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

    def _medical_series(self, ctx: Context, story: Story, k: int) -> None:
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
            morbidity = weighted(rng, MORBIDITY["child" if child else "adult"])
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

    def _womens_health(self, ctx: Context, story: Story, day: date) -> None:
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

    def _safe_abortion(self, ctx: Context, story: Story, day: date) -> None:
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

    def _antenatal(self, ctx: Context, story: Story, k: int) -> int:
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
