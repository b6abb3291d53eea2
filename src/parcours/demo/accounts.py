"""Demo login accounts, one per role, and the system account that seeds data."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from parcours.access.terms import Role
from parcours.accounts.models import Membership, User
from parcours.demo.organisation import ALL_PROJECTS, FRENCH_PROJECTS
from parcours.org.models import Project

DEMO_PASSWORD = "parcours-demo"  # noqa: S105 - printed on screen; demo databases only
# Registers the demo persons. Not a login: its password is unusable.
SEED_USERNAME = "demo-seed"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    projects: tuple[str, ...]


CALAIS = ("CAL",)
# The north-coast psychologist and lawyer also hold sessions in the Dunkerque
# camps: they are in the care team of the sexual-violence survivors there.
NORTH_COAST = ("CAL", "DUN")

DEMO_ACCOUNTS = (
    DemoAccount("demo-admin", "Nicolas", "Lefèvre", Role.ADMIN, CALAIS),
    DemoAccount("demo-coordo", "Claire", "Dubois", Role.COORDINATOR, CALAIS),
    DemoAccount("demo-medecin", "Julien", "Moreau", Role.MEDICAL, CALAIS),
    DemoAccount("demo-psy", "Camille", "Laurent", Role.MENTAL_HEALTH, NORTH_COAST),
    DemoAccount("demo-social", "Sophie", "Girard", Role.SOCIAL_WORKER, CALAIS),
    DemoAccount("demo-juriste", "Thomas", "Mercier", Role.LEGAL_PROTECTION, NORTH_COAST),
    DemoAccount("demo-maraude", "Léa", "Fontaine", Role.OUTREACH, CALAIS),
    DemoAccount("demo-accueil", "Antoine", "Roux", Role.RECEPTION, CALAIS),
    DemoAccount("demo-safeguarding", "Isabelle", "Garnier", Role.SAFEGUARDING, CALAIS),
    DemoAccount("demo-plaidoyer", "Mathilde", "Chevalier", Role.ADVOCACY, CALAIS),
    DemoAccount(
        "demo-referent-medical", "Hélène", "Rousseau", Role.MEDICAL_REFERENT, FRENCH_PROJECTS
    ),
    DemoAccount("demo-meal", "Pierre", "Lambert", Role.MEAL, ALL_PROJECTS),
    DemoAccount("demo-medecin-dunkerque", "Élodie", "Faure", Role.MEDICAL, ("DUN",)),
    DemoAccount("demo-logistique", "Karim", "Benali", Role.LOGISTICS, NORTH_COAST),
)


def _ensure_memberships(user: User, role: str, codes, projects: dict[str, Project]) -> None:
    for code in codes:
        Membership.objects.get_or_create(user=user, project=projects[code], role=role)


def ensure_demo_accounts(projects: dict[str, Project], *, password: str | None = None) -> bool:
    """Create missing demo accounts and memberships; True if any account was created.

    New accounts get ``password`` (or the default); existing ones keep theirs
    unless a password is given explicitly.
    """
    created_any = False
    # One Argon2 hash (~0.5 s on a field laptop) shared by every demo account:
    # the password is public anyway, so a per-account salt protects nothing.
    encoded = None
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "language": "fr",
            },
        )
        if created or password:
            encoded = encoded or make_password(password or DEMO_PASSWORD)
            user.password = encoded
            user.save(update_fields=["password"])
        created_any |= created
        _ensure_memberships(user, account.role, account.projects, projects)
    return created_any


def ensure_seed_account(projects: dict[str, Project]) -> User:
    """The account of every demo project in whose name the persons are registered:
    coordinator, and medical referent and legal officer so that it may record
    every vulnerability flag (each belongs to the category it discloses)."""
    user, created = User.objects.get_or_create(
        username=SEED_USERNAME,
        defaults={"first_name": "Données", "last_name": "de démonstration", "language": "fr"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    for role in (Role.COORDINATOR, Role.MEDICAL_REFERENT, Role.LEGAL_PROTECTION):
        _ensure_memberships(user, role, projects.keys(), projects)
    return user


# Staff of the projects that no listed demo account covers: they author the
# demo's encounters and consents there. Not logins (unusable passwords) and
# not listed, like the seed account.
SEED_STAFF = (
    DemoAccount("demo-seed-medecin-idf", "Anne", "Marchand", Role.MEDICAL, ("IDF",)),
    DemoAccount("demo-seed-psy-idf", "Lucie", "Perrin", Role.MENTAL_HEALTH, ("IDF",)),
    DemoAccount("demo-seed-social-idf", "Nadia", "Benali", Role.SOCIAL_WORKER, ("IDF",)),
    DemoAccount("demo-seed-juriste-idf", "Manon", "Robin", Role.LEGAL_PROTECTION, ("IDF",)),
    DemoAccount("demo-seed-accueil-idf", "Yanis", "Morel", Role.RECEPTION, ("IDF",)),
    DemoAccount("demo-seed-social-dun", "Agathe", "Lemaire", Role.SOCIAL_WORKER, ("DUN",)),
    DemoAccount("demo-seed-accueil-dun", "Inès", "Caron", Role.RECEPTION, ("DUN",)),
    DemoAccount("demo-seed-medecin-mrs", "Karim", "Haddad", Role.MEDICAL, ("MRS",)),
    DemoAccount("demo-seed-psy-mrs", "Aurélie", "Vidal", Role.MENTAL_HEALTH, ("MRS",)),
    DemoAccount("demo-seed-social-mrs", "Julie", "Fabre", Role.SOCIAL_WORKER, ("MRS",)),
    DemoAccount("demo-seed-juriste-mrs", "Hugo", "Blanc", Role.LEGAL_PROTECTION, ("MRS",)),
    DemoAccount("demo-seed-accueil-mrs", "Samia", "Rahmani", Role.RECEPTION, ("MRS",)),
    DemoAccount("demo-seed-medecin-lby", "Khaled", "Ben Amer", Role.MEDICAL, ("LBY",)),
    DemoAccount("demo-seed-psy-lby", "Salma", "Elhadi", Role.MENTAL_HEALTH, ("LBY",)),
    DemoAccount("demo-seed-social-lby", "Omar", "Trabelsi", Role.SOCIAL_WORKER, ("LBY",)),
    DemoAccount("demo-seed-juriste-lby", "Rania", "Gheriani", Role.LEGAL_PROTECTION, ("LBY",)),
    DemoAccount("demo-seed-accueil-lby", "Walid", "Zidan", Role.RECEPTION, ("LBY",)),
)


def ensure_seed_staff(projects: dict[str, Project]) -> dict[str, User]:
    """Every demo account and hidden staff account, by username (created if missing).

    The listed demo accounts are created by ensure_demo_accounts; this only
    adds the hidden ones and returns them all, memberships loaded.
    """
    for account in SEED_STAFF:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "language": "fr",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        _ensure_memberships(user, account.role, account.projects, projects)
    names = [a.username for a in (*DEMO_ACCOUNTS, *SEED_STAFF)] + [SEED_USERNAME]
    return {user.username: user for user in User.objects.filter(username__in=names)}
