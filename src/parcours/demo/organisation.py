"""The demo organisation: the French mission and the suspended Libyan one.

Built with get_or_create so that running it again changes nothing, and an
administrator's later edits (a project closed, a site renamed) are kept.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from parcours.org.models import ActivityType, Mission, Project, Site, Status

ACTIVITY_TYPES = [
    ("day_centre", "Accueil de jour", "Day centre"),
    ("mobile_clinic", "Clinique mobile", "Mobile clinic"),
    ("coastal_outreach", "Maraude littorale", "Coastal outreach"),
    ("emergency_shelter", "Mise à l'abri", "Emergency shelter"),
    ("housing", "Hébergement", "Housing"),
    ("legal_clinic", "Permanence juridique", "Legal clinic"),
    ("phone_line", "Ligne téléphonique", "Phone line"),
    ("detention_visit", "Visite en centre de détention", "Detention-centre visit"),
    ("hospital_followup", "Suivi hospitalier", "Hospital follow-up"),
]


@dataclass(frozen=True)
class SiteSpec:
    name: str
    activities: tuple[str, ...]
    address: str
    latitude: str
    longitude: str


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    status: str
    opened_on: date
    description: str
    sites: tuple[SiteSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class MissionSpec:
    name: str
    country: str
    status: str
    projects: tuple[ProjectSpec, ...]


FRANCE = MissionSpec(
    "France",
    "FR",
    Status.OPEN,
    (
        ProjectSpec(
            "IDF",
            "Ile-de-France",
            Status.OPEN,
            date(2017, 12, 1),
            "Mineurs non accompagnés en recours de minorité, aujourd'hui surtout des filles : "
            "accueil de jour, hébergement, soins médicaux, psychologiques, sociaux et "
            "juridiques ; clinique mobile tenue par des bénévoles.",
            (
                SiteSpec(
                    "Accueil de jour MNA – Pantin",
                    ("day_centre", "legal_clinic"),
                    "Pantin (93)",
                    "48.89440",
                    "2.40930",
                ),
                SiteSpec(
                    "Hébergement MNA filles – Montreuil",
                    ("housing", "emergency_shelter"),
                    "Montreuil (93)",
                    "48.86380",
                    "2.44850",
                ),
                SiteSpec(
                    "Clinique mobile bénévole – Porte de la Chapelle",
                    ("mobile_clinic",),
                    "Porte de la Chapelle, Paris 18e",
                    "48.89900",
                    "2.35900",
                ),
                SiteSpec(
                    "Ligne d'écoute MNA",
                    ("phone_line",),
                    "Pantin (93)",
                    "48.89440",
                    "2.40930",
                ),
            ),
        ),
        ProjectSpec(
            "CAL",
            "Calais / Littoral Nord",
            Status.OPEN,
            date(2016, 9, 1),
            "Accueil de jour pour mineurs ; cliniques mobiles pour tous (adultes, familles, "
            "mineurs) avec soutien psychologique ; maraudes littorales du printemps à "
            "l'automne auprès des rescapés de naufrage ; mise à l'abri hivernale des plus "
            "vulnérables.",
            (
                SiteSpec(
                    "Accueil de jour mineurs – Calais",
                    ("day_centre",),
                    "Calais centre",
                    "50.95130",
                    "1.85870",
                ),
                SiteSpec(
                    "Clinique mobile – Calais, zone des Dunes",
                    ("mobile_clinic",),
                    "Zone industrielle des Dunes, Calais",
                    "50.96500",
                    "1.88800",
                ),
                SiteSpec(
                    "Clinique mobile – Marck",
                    ("mobile_clinic",),
                    "Marck",
                    "50.94800",
                    "1.95000",
                ),
                SiteSpec(
                    "Maraude littorale – Wimereux",
                    ("coastal_outreach",),
                    "Plage de Wimereux",
                    "50.77000",
                    "1.61100",
                ),
                SiteSpec(
                    "Maraude littorale – Sangatte / Cap Blanc-Nez",
                    ("coastal_outreach",),
                    "Sangatte",
                    "50.94400",
                    "1.75200",
                ),
                SiteSpec(
                    "Maraude littorale – Équihen-Plage",
                    ("coastal_outreach",),
                    "Équihen-Plage",
                    "50.67600",
                    "1.57200",
                ),
                SiteSpec(
                    "Mise à l'abri hivernale – Calais",
                    ("emergency_shelter",),
                    "Calais",
                    "50.94800",
                    "1.85600",
                ),
            ),
        ),
        ProjectSpec(
            "DUN",
            "Dunkerque",
            Status.OPEN,
            date(2019, 3, 1),
            "Femmes, filles et familles dans les camps : gynécologie, suivi de grossesse, "
            "santé sexuelle et reproductive, santé mentale, mise à l'abri des femmes seules, "
            "prise en charge et documentation des violences sexuelles, en partenariat avec "
            "des associations locales.",
            (
                SiteSpec(
                    "Clinique mobile – camp de Loon-Plage",
                    ("mobile_clinic",),
                    "Loon-Plage",
                    "50.99670",
                    "2.21830",
                ),
                SiteSpec(
                    "Clinique mobile – Grande-Synthe (Puythouck)",
                    ("mobile_clinic",),
                    "Grande-Synthe",
                    "51.01500",
                    "2.29000",
                ),
                SiteSpec(
                    "Hébergement femmes seules – Dunkerque",
                    ("emergency_shelter", "housing"),
                    "Dunkerque",
                    "51.03430",
                    "2.37680",
                ),
                SiteSpec(
                    "Espace femmes avec les associations partenaires – Grande-Synthe",
                    ("day_centre",),
                    "Grande-Synthe",
                    "51.01300",
                    "2.30200",
                ),
            ),
        ),
        ProjectSpec(
            "MRS",
            "Marseille",
            Status.OPEN,
            date(2020, 10, 1),
            "Garçons en recours de minorité : soins médicaux, psychologiques, sociaux et "
            "juridiques ; soutien aux squats.",
            (
                SiteSpec(
                    "Accueil de jour – Marseille, Belle de Mai",
                    ("day_centre", "legal_clinic"),
                    "Belle de Mai, Marseille 3e",
                    "43.31100",
                    "5.38800",
                ),
                SiteSpec(
                    "Soutien aux squats – Marseille nord",
                    ("mobile_clinic", "housing"),
                    "Marseille 14e/15e",
                    "43.33000",
                    "5.36500",
                ),
            ),
        ),
    ),
)

LIBYA = MissionSpec(
    "Libye",
    "LY",
    Status.SUSPENDED,
    (
        ProjectSpec(
            "LBY",
            "Tripoli",
            Status.SUSPENDED,
            date(2017, 5, 1),
            "Hébergement et suivi hospitalier, accueil de jour, points de débarquement, "
            "visites en centres de détention, projet d'évacuation, soutien tuberculose. "
            "Suspendu : les dossiers restent consultables.",
            (
                SiteSpec(
                    "Centre d'hébergement – Tripoli",
                    ("emergency_shelter", "day_centre"),
                    "Tripoli",
                    "32.88720",
                    "13.19130",
                ),
                SiteSpec(
                    "Suivi hospitalier – Tripoli",
                    ("hospital_followup",),
                    "Tripoli",
                    "32.88000",
                    "13.17000",
                ),
                SiteSpec(
                    "Visites en centres de détention – Tripoli",
                    ("detention_visit",),
                    "Tripoli",
                    "32.85000",
                    "13.20000",
                ),
                SiteSpec(
                    "Points de débarquement – Tripoli",
                    ("coastal_outreach",),
                    "Port de Tripoli",
                    "32.90000",
                    "13.18000",
                ),
            ),
        ),
    ),
)

MISSIONS = (FRANCE, LIBYA)
FRENCH_PROJECTS = tuple(p.code for p in FRANCE.projects)
ALL_PROJECTS = FRENCH_PROJECTS + tuple(p.code for p in LIBYA.projects)


def ensure_organisation() -> dict[str, Project]:
    """Missions, projects, sites and activity types of the demo; project code → project."""
    activity_types = {}
    for code, name_fr, name_en in ACTIVITY_TYPES:
        activity_types[code], _created = ActivityType.objects.get_or_create(
            code=code, defaults={"name_fr": name_fr, "name_en": name_en}
        )
    projects = {}
    for mission_spec in MISSIONS:
        mission, _created = Mission.objects.get_or_create(
            name=mission_spec.name,
            defaults={"country": mission_spec.country, "status": mission_spec.status},
        )
        for spec in mission_spec.projects:
            project, _created = Project.objects.get_or_create(
                code=spec.code,
                defaults={
                    "mission": mission,
                    "name": spec.name,
                    "status": spec.status,
                    "opened_on": spec.opened_on,
                    "description": spec.description,
                },
            )
            projects[spec.code] = project
            for site_spec in spec.sites:
                site, created = Site.objects.get_or_create(
                    project=project,
                    name=site_spec.name,
                    defaults={
                        "address": site_spec.address,
                        "latitude": Decimal(site_spec.latitude),
                        "longitude": Decimal(site_spec.longitude),
                    },
                )
                if created:
                    site.activity_types.set([activity_types[a] for a in site_spec.activities])
    return projects
