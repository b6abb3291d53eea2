"""The demo's care pathways, cases, protocols and lessons learned, written
through the services of parcours.cases like the pages write them.

Pathways: the Dunkerque survivors of sexual violence that the care story
already holds (their incidents start the pathway, their consultations
complete its steps), one survivor seen this morning (a live PEP clock), and
women in safe abortion care. Cases: complex situations in Calais with a
plan, tasks (some overdue) and a conference. Protocols: the Markdown SOPs
of demo/data/protocols. A few lessons learned per north-coast project.
"""

from datetime import datetime, time, timedelta
from pathlib import Path
from random import Random

from django.utils import timezone

from parcours.access.models import CareAssignment
from parcours.access.services import care_assign
from parcours.accounts.models import User
from parcours.care.models import Encounter
from parcours.care.services import encounter_record
from parcours.cases import casework, library, pathways
from parcours.cases.models import Case, Pathway, Protocol, Task
from parcours.demo.accounts import DEMO_ACCOUNTS
from parcours.org.models import Site

PROTOCOLS = Path(__file__).parent / "data" / "protocols"
SV_PATHWAYS = 5
RECENT_DAYS = 75
ABORTION_PATHWAYS = 4
CASES = 6

LESSONS = {
    "CAL": [
        (200, "Plan grand froid déclenché tard ; places d'hébergement saturées en 24 h.",
         "Les places d'urgence hivernale partent dès le premier soir.",
         "Négocier avec la préfecture un contingent réservé aux femmes seules dès octobre.",
         ["hebergement", "hiver", "plaidoyer"]),
        (150, "Consultations avec interprète par téléphone pendant les distributions.",
         "L'interprétariat téléphonique ne suffit pas pour les entretiens de violence.",
         "Réserver un interprète présentiel le mardi pour les consultations sensibles.",
         ["interpretariat", "vss"]),
        (90, "Démantèlements répétés du campement, perte des traitements.",
         "Les traitements chroniques disparaissent à chaque expulsion.",
         "Remettre une ordonnance papier et une réserve de 7 jours dans un sachet étanche.",
         ["sante", "expulsions"]),
        (40, "Réunions de synthèse sans le juriste.",
         "Les décisions d'hébergement dépendaient d'une procédure d'asile inconnue de l'équipe.",
         "Inviter systématiquement le·la juriste aux synthèses des cas à risque élevé.",
         ["coordination", "juridique"]),
    ],
    "DUN": [
        (120, "Femmes arrivées après une traversée, PEP proposée après 72 h.",
         "Le délai de 72 h est souvent dépassé faute de repérage sur le camp.",
         "Maraude féminine le soir et carte « 72 h » distribuée dans les langues du camp.",
         ["vss", "pep", "maraude"]),
        (30, "Orientation IVG vers l'hôpital sans rendez-vous fixé.",
         "Sans rendez-vous daté, la limite légale a failli être dépassée.",
         "Appeler le centre d'orthogénie pendant la consultation et noter la date dans le parcours.",
         ["ivg", "orientation"]),
    ],
}  # fmt: skip


def seed_cases(projects: dict, today, care_report=None) -> dict[str, int]:
    """Seed this module's data; the encounters and care-team assignments it
    records are added to ``care_report`` (the care seed's totals)."""
    encounters_before = Encounter.objects.count()
    assignments_before = CareAssignment.objects.count()
    names = [a.username for a in DEMO_ACCOUNTS]
    accounts = {u.username: u for u in User.objects.filter(username__in=names)}
    counts = {"pathways": 0, "cases": 0, "protocols": _protocols(accounts, today)}
    counts["pathways"] += _sv_pathways(projects, accounts, today)
    counts["pathways"] += _abortion_pathways(projects, accounts, today)
    counts["cases"] = _cases(projects, accounts, today)
    _lessons(projects, accounts, today)
    if care_report is not None:
        care_report.encounters += Encounter.objects.count() - encounters_before
        care_report.assignments += CareAssignment.objects.count() - assignments_before
    return counts


def _protocols(accounts, today) -> int:
    owner = accounts["demo-referent-medical"]
    sops = [
        ("pep-protocol", "Prophylaxie post-exposition (PEP) après violence sexuelle", 300),
        ("safe-abortion-sop", "IVG : procédure opérationnelle standard", 200),
        # Its review is overdue: flagged to its owner on the home page.
        ("case-conference-sop", "Réunion de synthèse pluridisciplinaire", -10),
    ]
    for code, title, review_in in sops:
        if Protocol.objects.filter(code=code).exists():
            continue
        library.protocol_create(
            actor=owner,
            code=code,
            title=title,
            owner=accounts["demo-coordo"] if code == "case-conference-sop" else owner,
            valid_from=today - timedelta(days=400),
            review_on=today + timedelta(days=review_in),
            body=(PROTOCOLS / f"{code}.md").read_text(encoding="utf-8"),
            change_note="Première version",
        )
    return len(sops)


def _sv_pathways(projects, accounts, today) -> int:
    """The Dunkerque survivors the care story holds whose incident is recent
    (a pathway started when the incident was recorded; steps that came too
    late are closed by hand with the reason, as a clinician would), and one
    woman seen this morning (the clock is running)."""
    referent = accounts["demo-referent-medical"]
    dunkerque = projects["DUN"]
    incidents = (
        Encounter.objects.filter(
            discipline="sv_incident",
            project=dunkerque,
            occurred_at__gte=_seen_at(today, 8) - timedelta(days=RECENT_DAYS),
        )
        .select_related("sv_incident", "person")
        .order_by("-occurred_at")
    )
    started = 0
    seen: set[int] = set()
    for incident in incidents:
        if started >= SV_PATHWAYS:
            break
        if incident.person_id in seen or incident.person.merged_into_id:
            continue
        seen.add(incident.person_id)
        if Pathway.objects.filter(person=incident.person, kind="sv_survivor").exists():
            continue
        event_at = pathways.incident_time(incident) or incident.occurred_at
        pathway = pathways.pathway_start(
            actor=referent,
            person=incident.person,
            kind="sv_survivor",
            project=dunkerque,
            event_at=event_at,
            source=incident,
            now=incident.occurred_at,
        )
        _close_what_came_too_late(pathway, referent, incident.occurred_at)
        started += 1
    started += _fresh_survivor(dunkerque, accounts, today, exclude=seen)
    return started


TOO_LATE = {
    "pep": "PEP non indiquée : consultation après le délai de 72 h.",
    "emergency_contraception": "Contraception d'urgence non indiquée : délai de 120 h dépassé.",
    "tests": "Dépistage IST et test de grossesse faits au CeGIDD.",
}


def _close_what_came_too_late(pathway, actor, seen_at) -> None:
    """Steps whose deadline passed before the person was seen (or the tests,
    done elsewhere) are completed by hand with the reason."""
    for step in pathway.steps.filter(done_at__isnull=True, key__in=TOO_LATE):
        if step.key != "tests" and step.due_at >= seen_at:
            continue
        done_at = seen_at if step.key != "tests" else min(step.due_at, timezone.now())
        pathway = pathways.step_complete(
            actor=actor,
            pathway=pathway,
            key=step.key,
            note=TOO_LATE[step.key],
            version=pathway.version,
            done_at=done_at,
        )


def _seen_at(day, hour: int, minute: int = 0) -> datetime:
    """That time of ``day`` (local), or yesterday's if it is not past yet."""
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    if moment > timezone.now():
        moment -= timedelta(days=1)
    return moment


def _fresh_survivor(dunkerque, accounts, today, exclude) -> int:
    """A woman of the Dunkerque camp seen this morning, 30 hours after the
    incident: PEP is still possible (about 40 hours left)."""
    from parcours.people.models import Person

    doctor = accounts["demo-medecin-dunkerque"]
    site = Site.objects.filter(project=dunkerque).order_by("id").first()
    woman = (
        Person.objects.filter(enrolments__project=dunkerque, sex="female", merged_into__isnull=True)
        .exclude(pk__in=exclude)
        .exclude(pk__in=Pathway.objects.values("person_id"))
        # A first incident: not a woman whose earlier one already has a care team
        # (her psychologist and lawyer would then rightly see this one too).
        .exclude(pk__in=Encounter.objects.filter(discipline="sv_incident").values("person_id"))
        .order_by("id")
        .first()
    )
    if woman is None or site is None:
        return 0
    seen_at = _seen_at(today, 7, 30)
    incident = encounter_record(
        actor=doctor,
        discipline="sv_incident",
        site=site,
        person=woman,
        data={"occurred_at": seen_at, "interpreter_mode": "professional"},
        details={"gbv_type": "rape", "hours_to_care": 30, "location": "france_camp",
                 "perpetrator_type": "stranger", "services_received": ["medical", "psychosocial"]},
    )  # fmt: skip
    # The psychologist of the north coast joins her care team.
    care_assign(
        actor=accounts["demo-referent-medical"],
        person=woman,
        user=accounts["demo-psy"],
        project=dunkerque,
    )
    pathways.pathway_start(
        actor=doctor,
        person=woman,
        kind="sv_survivor",
        project=dunkerque,
        event_at=pathways.incident_time(incident),
        source=incident,
    )
    return 1


def _abortion_pathways(projects, accounts, today) -> int:
    referent = accounts["demo-referent-medical"]
    french = [projects[c] for c in ("CAL", "DUN", "IDF") if c in projects]
    first = (
        Encounter.objects.filter(
            discipline="medical",
            project__in=french,
            medical__safe_abortion_care="counselling",
            occurred_at__gte=_seen_at(today, 8) - timedelta(days=2 * RECENT_DAYS),
        )
        .select_related("medical", "person", "project")
        .order_by("-occurred_at")
    )
    started, seen = 0, set()
    for consultation in first:
        if started >= ABORTION_PATHWAYS:
            break
        if consultation.person_id in seen or consultation.person.merged_into_id:
            continue
        seen.add(consultation.person_id)
        if Pathway.objects.filter(person=consultation.person, kind="safe_abortion").exists():
            continue
        pathways.pathway_start(
            now=consultation.occurred_at,
            actor=referent,
            person=consultation.person,
            kind="safe_abortion",
            project=consultation.project,
            event_at=consultation.occurred_at,
            source=consultation,
            gestational_weeks=consultation.medical.gestational_age_weeks,
        )
        started += 1
    return started + _fresh_abortion_request(projects["CAL"], accounts, today, exclude=seen)


def _fresh_abortion_request(calais, accounts, today, exclude) -> int:
    """A woman of Calais seen yesterday for an unwanted pregnancy of 8 weeks:
    the legal limit is some eight weeks away."""
    from parcours.people.models import Person

    doctor = accounts["demo-medecin"]
    site = Site.objects.filter(project=calais).order_by("id").first()
    woman = (
        Person.objects.filter(
            enrolments__project=calais,
            sex="female",
            merged_into__isnull=True,
            exit_date__isnull=True,
        )
        .exclude(pk__in=exclude)
        .exclude(pk__in=Pathway.objects.values("person_id"))
        # A first incident: not a woman whose earlier one already has a care team
        # (her psychologist and lawyer would then rightly see this one too).
        .exclude(pk__in=Encounter.objects.filter(discipline="sv_incident").values("person_id"))
        .order_by("-id")
        .first()
    )
    if woman is None or site is None:
        return 0
    seen_at = _seen_at(today - timedelta(days=1), 10)
    consultation = encounter_record(
        actor=doctor,
        discipline="medical",
        site=site,
        person=woman,
        data={"occurred_at": seen_at},
        details={"reason": "Grossesse non désirée", "pregnant": True,
                 "gestational_age_weeks": 8, "safe_abortion_care": "counselling"},
    )  # fmt: skip
    pathways.pathway_start(
        actor=doctor,
        person=woman,
        kind="safe_abortion",
        project=calais,
        event_at=consultation.occurred_at,
        source=consultation,
        gestational_weeks=8,
    )
    return 1


CASE_STORIES = [
    ("critical", ["housing", "protection", "medical_care"],
     "Femme seule enceinte, dort dehors, menaces dans le campement.",
     ["Mise à l'abri durable", "Suivi de grossesse à la PASS"]),
    ("high", ["documents", "legal", "housing"],
     "Mineur non reconnu, recours en cours, hors de toute prise en charge.",
     ["Mise à l'abri durable", "Recours devant le juge des enfants"]),
    ("high", ["health_coverage", "medical_care", "food"],
     "Diabète non suivi, pas d'AME, perd ses traitements à chaque expulsion.",
     ["Ouverture des droits santé", "Traitement du diabète sans interruption"]),
    ("moderate", ["mental_health", "family_contact"],
     "Isolement et troubles du sommeil depuis la disparition d'un frère en mer.",
     ["Suivi psychologique régulier", "Recherche du frère (rétablissement des liens)"]),
    ("moderate", ["domiciliation", "health_coverage"],
     "Demande d'asile bloquée faute de domiciliation.",
     ["Domiciliation obtenue", "Ouverture des droits santé"]),
    ("low", ["education", "clothing"], "Jeune majeur, souhaite une formation.",
     ["Inscription à une formation", "Mise à l'abri durable"]),
]  # fmt: skip
TASKS = [
    ("Appel au 115 et demande de mise à l'abri", "demo-social", -6),
    ("Certificat médical pour la demande d'hébergement", "demo-medecin", -3),
    ("Entretien psychologique", "demo-psy", 4),
    ("Point sur la procédure et le recours", "demo-juriste", 10),
]


def _cases(projects, accounts, today) -> int:
    from parcours.people.models import Person

    calais = projects["CAL"]
    if Case.objects.filter(project=calais).exists():
        return 0
    rng = Random(f"cases:{today.isoformat()}")
    candidates = list(
        Person.objects.filter(
            enrolments__project=calais, merged_into__isnull=True, exit_date__isnull=True
        ).order_by("id")[:400]
    )
    if not candidates:
        return 0
    persons = rng.sample(candidates, min(CASES, len(candidates)))
    worker = accounts["demo-social"]
    opened = 0
    for i, (person, (risk, needs, summary, goals)) in enumerate(
        zip(persons, CASE_STORIES, strict=False)
    ):
        opened_at = _seen_at(today, 8) - timedelta(days=30 - i * 3)
        case = casework.case_open(
            actor=accounts["demo-coordo"] if i % 3 == 2 else worker,
            person=person,
            project=calais,
            worker=worker,
            risk_level=risk,
            needs=needs,
            summary=summary,
            now=opened_at,
        )
        # The plan's goals follow the case's story; the (shelter-centred) tasks
        # hang on the shelter goal when the case has one.
        added = [casework.goal_add(actor=worker, case=case, text=text) for text in goals]
        goal = next((g for g in added if g.text == "Mise à l'abri durable"), None)
        for title, owner, due_in in TASKS[: 2 + i % 3]:
            task = casework.task_create(
                actor=worker,
                case=case,
                title=title,
                owner=accounts[owner],
                due_on=today + timedelta(days=max(due_in, 1)),
                goal=goal,
            )
            if due_in < 0:
                # Due some days ago (after the case was opened): overdue.
                Task.objects.filter(pk=task.pk).update(due_on=today + timedelta(days=due_in))
        if i == 0:
            _conference(case, accounts, today)
        opened += 1
    return opened


def _conference(case, accounts, today) -> None:
    social, doctor, psy = accounts["demo-social"], accounts["demo-medecin"], accounts["demo-psy"]
    conference = casework.conference_record(
        actor=social,
        case=case,
        held_on=today - timedelta(days=2),
        participants=[social, doctor, psy, accounts["demo-coordo"]],
        decisions="Demande d'hébergement prioritaire (femme enceinte, isolée). "
        "Accompagnement physique à la PASS pour le suivi de grossesse.",
        actions=[("Accompagnement à la PASS", social, today + timedelta(days=5))],
        contribution=("social", "Aucune place 115 depuis dix jours ; dossier SIAO déposé."),
    )
    casework.contribute(
        actor=doctor,
        conference=conference,
        category="medical",
        text="Grossesse de 24 SA, anémie modérée : traitement martial, échographie à prévoir.",
    )
    casework.contribute(
        actor=psy,
        conference=conference,
        category="mental_health",
        text="Hypervigilance, cauchemars ; deux entretiens par semaine proposés.",
    )


def _lessons(projects, accounts, today) -> None:
    from parcours.cases.models import Lesson

    for code, lessons in LESSONS.items():
        project = projects.get(code)
        if project is None or Lesson.objects.filter(project=project).exists():
            continue
        author = accounts["demo-coordo"] if code == "CAL" else accounts["demo-medecin-dunkerque"]
        for days_ago, context, lesson, recommendation, tags in lessons:
            library.lesson_add(
                actor=author,
                project=project,
                data={
                    "date": today - timedelta(days=days_ago),
                    "context": context,
                    "lesson": lesson,
                    "recommendation": recommendation,
                    "tags": tags,
                },
            )
