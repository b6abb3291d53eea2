"""Fixed test personas, one per role, like healthchecks' alice/bob/charlie.

All work on the Calais project except ``dunkerque_doctor`` (another project)
and ``referent`` (medical referent of every French project).
"""

from dataclasses import dataclass

from parcours.accounts.models import Membership, User
from parcours.org.models import ActivityType, Mission, Project, Site, Status

PASSWORD = "correct horse battery staple"

CALAIS_ROLES = {
    "admin": "admin",
    "coordinator": "coordinator",
    "doctor": "medical",
    "psychologist": "mental_health",
    "social_worker": "social_worker",
    "lawyer": "legal_protection",
    "outreach": "outreach",
    "reception": "reception",
    "meal": "meal",
    "safeguarding": "safeguarding",
    "advocacy": "advocacy",
    "logistics": "logistics",
}


@dataclass
class World:
    france: Mission
    libya: Mission
    calais: Project
    dunkerque: Project
    paris: Project
    tripoli: Project
    calais_day_centre: Site
    dunkerque_camp: Site
    users: dict[str, User]

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_user(username: str, **extra) -> User:
    # English, so that assertions read the source strings; tests of the
    # French interface set the language themselves.
    extra.setdefault("language", "en")
    return User.objects.create_user(username=username, password=PASSWORD, **extra)


def build_world() -> World:
    france = Mission.objects.create(name="France", country="FR")
    libya = Mission.objects.create(name="Libya", country="LY", status=Status.SUSPENDED)
    calais = Project.objects.create(mission=france, name="Calais / Littoral Nord", code="CAL")
    dunkerque = Project.objects.create(mission=france, name="Dunkerque", code="DUN")
    paris = Project.objects.create(mission=france, name="Ile-de-France", code="IDF")
    tripoli = Project.objects.create(
        mission=libya, name="Tripoli", code="TRI", status=Status.SUSPENDED
    )
    day_centre_type = ActivityType.objects.create(
        code="day_centre", name_fr="Accueil de jour", name_en="Day centre"
    )
    camp_type = ActivityType.objects.create(
        code="mobile_clinic", name_fr="Clinique mobile", name_en="Mobile clinic"
    )
    calais_day_centre = Site.objects.create(project=calais, name="Accueil de jour Calais")
    calais_day_centre.activity_types.add(day_centre_type)
    dunkerque_camp = Site.objects.create(project=dunkerque, name="Camp de Loon-Plage")
    dunkerque_camp.activity_types.add(camp_type)
    users = {}
    for name, role in CALAIS_ROLES.items():
        users[name] = make_user(name)
        Membership.objects.create(user=users[name], project=calais, role=role)
    users["dunkerque_doctor"] = make_user("dunkerque_doctor")
    Membership.objects.create(user=users["dunkerque_doctor"], project=dunkerque, role="medical")
    users["referent"] = make_user("referent")
    for project in (calais, dunkerque, paris):
        Membership.objects.create(user=users["referent"], project=project, role="medical_referent")
    users["nobody"] = make_user("nobody")
    return World(
        france=france,
        libya=libya,
        calais=calais,
        dunkerque=dunkerque,
        paris=paris,
        tripoli=tripoli,
        calais_day_centre=calais_day_centre,
        dunkerque_camp=dunkerque_camp,
        users=users,
    )
