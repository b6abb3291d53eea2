"""Demo feedback and testimonies: items of every category and channel in
Calais and Dunkerque (some sensitive, at every step of their handling, a
few overdue), and testimonies of each consent use, through the services.

Dated relative to ``today``; the public page's own rate limit is left out
of the way by giving each invented sender its own address."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random

from django.utils import timezone

from parcours.accounts.models import User
from parcours.feedback import rules, services, testimonies
from parcours.feedback.models import FeedbackCategory
from parcours.org.models import Project, Site
from parcours.people.models import Person

MESSAGES = {
    "info_request": [
        ("fr", "Où peut-on prendre une douche le dimanche ?"),
        ("ar", "متى يأتي الطبيب إلى المخيم؟"),
        ("ti", "ናብ ሆስፒታል ብኸመይ ክኸይድ እኽእል?"),
    ],
    "positive": [
        ("en", "Thank you to the nurse who came at night, my son is better."),
        ("ps", "د ډاکټر څخه ډېره مننه، ډېر مهربان و."),
        ("fr", "Merci pour les couvertures, la nuit était très froide."),
    ],
    "suggestion": [
        ("so", "Fadlan keena biyo badan oo cabitaan ah."),
        ("prs", "لطفاً ساعت توزیع غذا را زودتر کنید."),
        ("fr", "Il faudrait des prises pour recharger les téléphones."),
    ],
    "service_complaint": [
        ("ar", "الانتظار طويل جدا في العيادة المتنقلة."),
        ("am", "ወረፋው በጣም ረጅም ነው፣ ብዙ ሰዓት ጠብቀናል።"),
        ("en", "The interpreter did not come on Tuesday."),
    ],
    "staff_conduct": [
        ("ti", "ሓደ ሰራሕተኛ ብድምጺ ጸሪፉና።"),
        ("fr", "Un bénévole a crié sur une femme dans la file."),
    ],
    "sea": [
        ("en", "A driver asked a girl to go with him in exchange for a place in the van."),
    ],
    "fraud": [
        ("ar", "شخص يطلب مالا مقابل تسجيل الأسماء في القائمة."),
    ],
    "safety": [
        ("fr", "La lumière près des toilettes ne marche plus, les femmes ont peur la nuit."),
        ("ps", "د شپې خلک ځي او تمبو ګانې څیري."),
    ],
    "data_protection": [
        ("en", "Someone took photos of us during the distribution without asking."),
    ],
}
STAFF_CHANNELS = ["in_person", "phone", "suggestion_box", "community_meeting", "partner"]
RESPONSES = {
    "in_person": "Réponse donnée en personne à l'accueil.",
    "phone": "Rappel effectué, explication donnée.",
    "notice": "Réponse affichée au tableau de l'accueil de jour.",
    "community_meeting": "Point présenté à la réunion communautaire.",
}


@dataclass
class FeedbackReport:
    items: int = 0
    sensitive: int = 0
    testimonies: int = 0


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _handle(item, handler, rng: Random, received: datetime, today: date) -> None:
    """Move an item along its lifecycle as far as its age makes likely."""
    age = (today - timezone.localtime(received).date()).days
    steps = []
    if age > 2 and rng.random() < 0.9:
        steps.append(("acknowledged", 1 + rng.randint(0, 8)))
    if age > 10 and steps and rng.random() < 0.8:
        steps.append(("in_progress", steps[-1][1] + rng.randint(1, 5)))
    if age > 14 and len(steps) == 2 and rng.random() < 0.8:
        steps.append(("responded", steps[-1][1] + rng.randint(2, 30)))
    if age > 30 and len(steps) == 3 and rng.random() < 0.7:
        steps.append(("closed", steps[-1][1] + rng.randint(1, 10)))
    for status, after in steps:
        moment = received + timedelta(days=min(after, age))
        extra = {}
        if status == "responded":
            method = rng.choice(list(RESPONSES))
            extra = {"response": RESPONSES[method], "response_method": method}
        item = services.feedback_move(
            actor=handler,
            item=item,
            version=item.version,
            to_status=status,
            now=min(moment, timezone.now()),
            **extra,
        )


def seed_feedback(projects: dict[str, Project], today: date, seed: int = 11) -> FeedbackReport:
    rng = Random(seed)
    report = FeedbackReport()
    recorders = [u for u in map(_user, ["demo-accueil", "demo-maraude", "demo-social"]) if u]
    handlers = {
        "CAL": _user("demo-coordo"),
        "DUN": _user("demo-meal"),
    }
    safeguarding = _user("demo-safeguarding")
    address = 0
    for code in ("CAL", "DUN"):
        project = projects.get(code)
        if project is None or handlers[code] is None or not recorders:
            continue
        sites = list(Site.objects.filter(project=project, is_active=True))
        for category in FeedbackCategory:
            for language, message in MESSAGES[category]:
                for _copy in range(2 if category in ("service_complaint", "suggestion") else 1):
                    received = _at(today - timedelta(days=rng.randint(0, 170)), rng.randint(8, 19))
                    site = rng.choice(sites) if sites else None
                    if rng.random() < 0.45:
                        address += 1
                        item = services.public_submit(
                            project=project,
                            site=site,
                            language=language,
                            message=message,
                            topic=category if rng.random() < 0.85 else "",
                            contact="" if rng.random() < 0.6 else "06 12 34 56 78",
                            address=f"demo-{address}",
                            now=received,
                        )
                    else:
                        recorder = rng.choice(recorders)
                        if project.pk not in rules.recording_projects(recorder):
                            recorder = handlers[code]
                        item = services.feedback_record(
                            actor=recorder,
                            project=project,
                            data={
                                "channel": rng.choice(STAFF_CHANNELS),
                                "category": category,
                                "language": language,
                                "message": message,
                                "site": site,
                                "received_at": received,
                            },
                            now=received + timedelta(minutes=5),
                        )
                    report.items += 1
                    report.sensitive += item.sensitive
                    if item.sensitive:
                        if code == "CAL" and safeguarding is not None:
                            _handle(item, safeguarding, rng, received, today)
                        continue
                    _handle(item, handlers[code], rng, received, today)
    report.testimonies = _seed_testimonies(projects, today, rng)
    return report


TESTIMONIES = [
    (
        "anonymised_public",
        None,
        "Au petit matin, la police est arrivée au campement. Ils ont lacéré les tentes et "
        "gazé les sacs de couchage. Nous avons perdu nos papiers et nos médicaments.",
        ["police", "destruction", "eviction"],
        ["police"],
        "camp",
        ["eviction"],
    ),
    (
        "identifiable_public",
        "Youssef",
        "J'ai été frappé à la jambe par un agent près de la gare. Depuis, je boite, mais "
        "j'avais peur d'aller à l'hôpital à cause du contrôle.",
        ["police", "physical"],
        ["police"],
        "street",
        ["fear"],
    ),
    (
        "internal",
        None,
        "Les passeurs ont pris tout notre argent sur la plage et ont menacé ma sœur.",
        ["extortion", "psychological"],
        ["smuggler"],
        "sea",
        [],
    ),
    (
        "anonymised_public",
        None,
        "On nous a refusé l'accès aux urgences parce que nous n'avions pas de papiers.",
        [],
        ["unknown"],
        "other",
        ["denied", "documents"],
    ),
    (
        "anonymised_public",
        None,
        "Le 14 octobre, à Coquelles, des agents de sécurité ont lâché un chien sur notre groupe.",
        ["physical", "police"],
        ["private_security"],
        "border",
        ["fear"],
    ),
]


def _seed_testimonies(projects, today: date, rng: Random) -> int:
    lawyer = _user("demo-juriste")
    calais = projects.get("CAL")
    if lawyer is None or calais is None:
        return 0
    persons = list(
        Person.objects.filter(enrolments__project=calais, merged_into__isnull=True).order_by("pk")[
            :40
        ]
    )
    count = 0
    for index, (use, attribution, text, violence, perpetrators, place_type, barriers) in enumerate(
        TESTIMONIES
    ):
        person = (
            persons[index * 3 % len(persons)]
            if persons and use != "internal" and index % 2
            else None
        )
        if use == "identifiable_public" and person is None and persons:
            person = persons[-1]
        if use == "identifiable_public" and person is None:
            use, attribution = "anonymised_public", None
        testimony = testimonies.testimony_record(
            actor=lawyer,
            project=calais,
            person=person,
            data={
                "date": today - timedelta(days=10 + 17 * index),
                "place": "Calais" if index % 2 else "Grande-Synthe",
                "place_type": place_type,
                "language": rng.choice(["ar", "ti", "ps", "fr"]),
                "text": text,
                "violence_types": violence,
                "perpetrator_types": perpetrators,
                "care_barriers": barriers,
                "use": use,
                "attribution": attribution or "",
                "consent_method": "oral_interpreter",
            },
        )
        count += 1
        if index != 3:  # one waits for review
            testimonies.testimony_review(actor=lawyer, testimony=testimony, version=1)
    return count
