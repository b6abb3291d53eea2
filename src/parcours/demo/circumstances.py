"""What happens to an invented person besides their name: vulnerabilities,
how to reach them, why they leave the active list.

Probabilities follow the projects' descriptions in the product brief: sexual
violence and pregnancy in Dunkerque, shipwrecks on the north coast, torture
and trafficking among people who crossed Libya.
"""

from datetime import date, timedelta
from random import Random

from parcours.people.models import ExitReason, Flag

# (flag, {project code: probability}) for women and girls, then for men and boys.
_WOMEN_FLAGS = (
    (Flag.SV_SURVIVOR, {"DUN": 0.15, "LBY": 0.2, "IDF": 0.1, "CAL": 0.04, "MRS": 0.02}),
    (Flag.TRAFFICKING, {"DUN": 0.05, "LBY": 0.08, "IDF": 0.06, "CAL": 0.02}),
    (Flag.TORTURE, {"LBY": 0.12, "CAL": 0.03}),
    (Flag.SHIPWRECK, {"CAL": 0.06, "LBY": 0.06, "DUN": 0.02}),
)
_MEN_FLAGS = (
    (Flag.SV_SURVIVOR, {"LBY": 0.05, "CAL": 0.01, "MRS": 0.01}),
    (Flag.TRAFFICKING, {"LBY": 0.05, "MRS": 0.02}),
    (Flag.TORTURE, {"LBY": 0.2, "CAL": 0.06, "MRS": 0.03, "DUN": 0.03}),
    (Flag.SHIPWRECK, {"CAL": 0.09, "LBY": 0.06, "DUN": 0.02}),
)
# Vietnamese on the north coast often travel under debt bondage.
_TRAFFICKING_BY_COUNTRY = {"VN": 0.15}
_PREGNANT = {"DUN": 0.18, "LBY": 0.06, "CAL": 0.04, "IDF": 0.03}

EXIT_REASONS = {
    "CAL": (
        (ExitReason.CROSSED, 45),
        (ExitReason.MOVED_ON, 25),
        (ExitReason.LOST_CONTACT, 20),
        (ExitReason.TRANSFERRED, 5),
        (ExitReason.PLACED, 5),
    ),
    "DUN": (
        (ExitReason.CROSSED, 40),
        (ExitReason.MOVED_ON, 20),
        (ExitReason.PLACED, 15),
        (ExitReason.LOST_CONTACT, 20),
        (ExitReason.NO_LONGER_NEEDED, 5),
    ),
    "IDF": (
        (ExitReason.PLACED, 35),
        (ExitReason.LOST_CONTACT, 25),
        (ExitReason.MOVED_ON, 20),
        (ExitReason.NO_LONGER_NEEDED, 20),
    ),
    "MRS": (
        (ExitReason.PLACED, 30),
        (ExitReason.MOVED_ON, 30),
        (ExitReason.LOST_CONTACT, 30),
        (ExitReason.TRANSFERRED, 10),
    ),
    "LBY": (
        (ExitReason.LOST_CONTACT, 50),
        (ExitReason.OTHER, 30),
        (ExitReason.MOVED_ON, 15),
        (ExitReason.DECEASED, 5),
    ),
}
EXIT_NOTES = {
    ExitReason.CROSSED: ("Passé au Royaume-Uni selon un ami", "Message reçu depuis Douvres", ""),
    ExitReason.PLACED: (
        "Pris en charge par l'ASE après le jugement",
        "Orienté vers un CADA",
        "Hébergé en CHRS",
        "",
    ),
    ExitReason.MOVED_ON: ("Parti vers Paris", "Parti en Allemagne", "A quitté le camp", ""),
    ExitReason.LOST_CONTACT: ("Plus vu depuis plusieurs semaines", ""),
    ExitReason.TRANSFERRED: ("Suivi repris par une autre équipe du projet", ""),
    ExitReason.NO_LONGER_NEEDED: ("Plus de besoin de suivi", ""),
    ExitReason.OTHER: ("Évacué·e par vol humanitaire", "Réinstallation via le HCR"),
    ExitReason.DECEASED: ("Décès signalé par un proche",),
}
CONTACT_NOTES = (
    "Joignable sur WhatsApp",
    "Passe à l'accueil de jour le matin",
    "Numéro d'un compatriote, demander {given}",
    "Pas de téléphone : vient aux distributions du midi",
    "Téléphone souvent déchargé, rappeler le soir",
    "Joignable via l'éducateur référent",
    "Dort sous tente près du canal",
)


def flags_for(rng: Random, *, project: str, country: str, sex: str, age: int) -> list[str]:
    flags = []
    table = _WOMEN_FLAGS if sex == "female" else _MEN_FLAGS
    for flag, by_project in table:
        if age >= 12 and rng.random() < by_project.get(project, 0):
            flags.append(flag)
    if age >= 12 and rng.random() < _TRAFFICKING_BY_COUNTRY.get(country, 0):
        flags.append(Flag.TRAFFICKING)
    if sex == "female" and 16 <= age <= 42 and rng.random() < _PREGNANT.get(project, 0):
        flags.append(Flag.PREGNANT)
    if age >= 18 and rng.random() < 0.04:
        flags.append(Flag.CHRONIC_ILLNESS)
    if rng.random() < 0.02:
        flags.append(Flag.DISABILITY)
    if age >= 60:
        flags.append(Flag.ELDERLY)
    return list(dict.fromkeys(flags))


def phone_number(rng: Random, project: str) -> str:
    if project == "LBY":
        return f"+218 9{rng.choice('1245')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    return f"+33 {rng.choice('67')} {pairs}"


def contact_for(rng: Random, *, project: str, given: str, age: int) -> dict:
    """Phone and how to reach: many have a phone, few a stable one."""
    if age < 14 or rng.random() > 0.4:
        return {}
    contact = {"phone": phone_number(rng, project)}
    if rng.random() < 0.4:
        note = rng.choice(CONTACT_NOTES)
        if "{given}" in note:
            # A friend of the same community usually answers for them.
            note = note.format(given=given)
        contact["contact_notes"] = note
    return contact


def exit_for(rng: Random, *, project: str, today: date) -> tuple[date, str, str]:
    """When and why a person left the active list (within the last ten months)."""
    reasons = EXIT_REASONS[project]
    reason = rng.choices([r for r, _w in reasons], [w for _r, w in reasons])[0]
    note = rng.choice(EXIT_NOTES[reason])
    return today - timedelta(days=rng.randint(3, 300)), str(reason), note
