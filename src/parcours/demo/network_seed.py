"""The demo's service directory (demo/data/services.yaml: 45 services around
Calais, Dunkerque, Paris and Marseille) and a few referrals of the Calais
demo doctor (one overdue, so the home page shows it), written through the
network services like the pages would."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from parcours.access.services import consent_record
from parcours.accounts.models import User
from parcours.demo.data import load
from parcours.network import services as network
from parcours.network.models import Service
from parcours.people.models import Person

EDITOR = "demo-coordo"
REFERRER = "demo-medecin"
SOCIAL = "demo-social"


def _service_data(spec: dict, today: date) -> dict:
    verified = spec.get("verified")
    return {
        "name": spec["name"],
        "type": spec["type"],
        "address": spec.get("address", ""),
        "city": spec.get("city", ""),
        "latitude": spec.get("lat"),
        "longitude": spec.get("lon"),
        "opening_hours": spec.get("hours", {}),
        "languages": spec.get("languages", []),
        "eligibility": spec.get("eligibility", []),
        "phone": spec.get("phone", ""),
        "notes": spec.get("notes", ""),
        "last_verified_on": today - timedelta(days=verified) if verified is not None else None,
    }


def seed_network(projects, *, today: date) -> int:
    """Directory entries and demo referrals, once (nothing when already seeded)."""
    if Service.objects.exists():
        return 0
    editor = User.objects.get(username=EDITOR)
    created = [
        network.service_save(actor=editor, data=_service_data(spec, today))
        for spec in load("services")["services"]
    ]
    _seed_referrals(projects, created, today)
    return len(created)


def _seed_referrals(projects, directory, today: date) -> None:
    doctor = User.objects.get(username=REFERRER)
    social = User.objects.get(username=SOCIAL)
    persons = list(
        Person.objects.filter(enrolments__project=projects["CAL"], is_active=True).order_by("pk")[
            :3
        ]
    )
    if len(persons) < 3:
        return
    by_name = {s.name: s for s in directory}
    pass_calais = by_name["PASS – Centre hospitalier de Calais"]
    day_centre = by_name["Accueil de jour du Secours Catholique – Calais"]
    # A Tuesday morning, when both services are open.
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    planned = timezone.make_aware(datetime.combine(tuesday, time(10, 0)))
    for person, service in ((persons[0], pass_calais), (persons[1], day_centre)):
        consent_record(
            actor=doctor,
            person=person,
            kind="external_referral",
            status="given",
            method="oral_interpreter",
            scope=service.name,
            language="en",
        )
    network.referral_send(
        actor=doctor,
        person=persons[0],
        data={
            "kind": "external",
            "service": pass_calais.pk,
            "categories": ["medical"],
            "reason": "Abcès dentaire : besoin d'un dentiste et d'une radio.",
            "planned_for": planned,
        },
        confirm_warnings=True,
        today=today,
    )
    # Sent ten days ago with a follow-up three days ago: overdue on the doctor's home page.
    network.referral_send(
        actor=doctor,
        person=persons[1],
        data={
            "kind": "external",
            "service": day_centre.pk,
            "reason": "Douches et vêtements propres après le traitement de la gale.",
            "planned_for": planned,
        },
        confirm_warnings=True,
        today=today - timedelta(days=10),
    )
    network.referral_send(
        actor=doctor,
        person=persons[2],
        data={"kind": "internal", "to_user": social.pk, "reason": "Pas d'hébergement ce soir."},
        confirm_warnings=True,
        today=today,
    )
