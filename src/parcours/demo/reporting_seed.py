"""Demo reports: last month's SITREP of the Calais project, written and
validated by the demo coordinator; and entry times that look like a team's
(the care seed records every encounter at seeding time, which would make
every one of them "entered late" for the data-quality checks).

Runs after the care records and the MEAL demo (indicators) are seeded. Without
indicators in Calais the SITREP keeps its narratives only, as a draft.
"""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from parcours.accounts.models import User
from parcours.care.models import Encounter
from parcours.meal.models import Indicator
from parcours.meal.periods import Period
from parcours.org.models import Project
from parcours.reporting import services
from parcours.reporting.models import Report
from parcours.reporting.services import Subject

# One encounter in LATE_EVERY is entered ten days late (a paper form typed
# later), the others within the hour.
LATE_EVERY = 25

NARRATIVES = {
    "highlights": (
        "Les consultations médicales de la clinique mobile ont repris à un rythme normal "
        "après deux semaines de démantèlements. Un foyer de gale a été pris en charge sur "
        "les lieux de vie de Loon-Plage et de Calais (traitement de masse coordonné avec "
        "l'ARS). Les maraudes nocturnes ont rencontré davantage de mineurs non accompagnés."
    ),
    "context": (
        "Expulsions des lieux de vie toutes les 48 heures en moyenne, météo froide et "
        "venteuse en fin de mois, traversées en small boats nombreuses les jours de calme. "
        "Le dispositif hivernal n'est pas encore ouvert."
    ),
    "challenges": (
        "Accès aux lieux de vie restreint les jours d'opérations de police ; manque "
        "d'interprètes en tigrinya et en pachto les après-midi ; saturation des places "
        "d'hébergement d'urgence pour les femmes seules."
    ),
    "next_steps": (
        "Ouverture d'une permanence santé mentale le samedi ; plaidoyer commun avec les "
        "associations du littoral pour l'ouverture anticipée du plan grand froid ; "
        "formation des équipes à l'enregistrement dans la journée (qualité des données)."
    ),
}


def _entry_times() -> None:
    Encounter.objects.update(created_at=F("occurred_at") + timedelta(minutes=40))
    ids = list(Encounter.objects.order_by("pk").values_list("pk", flat=True))[::LATE_EVERY]
    Encounter.objects.filter(pk__in=ids).update(created_at=F("occurred_at") + timedelta(days=10))


def seed_reports(*, today=None, care: bool = True) -> Report | None:
    """Last month's Calais SITREP, validated when Calais has indicators."""
    if not care:
        return None
    _entry_times()
    project = Project.objects.filter(code="CAL").first()
    coordinator = User.objects.filter(username="demo-coordo").first()
    if project is None or coordinator is None:
        return None
    today = today or timezone.localdate()
    period = Period.containing(today, "month").previous()
    subject = Subject(kind="sitrep", project=project)
    report = services.find_report(subject, period)
    if report is not None:
        return report
    report = services.report_save(
        actor=coordinator, subject=subject, period=period, data=NARRATIVES, version=0
    )
    if Indicator.objects.filter(project=project).exists():
        report = services.report_validate(
            actor=coordinator, subject=subject, period=period, version=report.version
        )
    return report
