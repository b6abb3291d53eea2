"""Demo login accounts, one per role, and the system account that seeds data."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from parcours.access.policy import Role
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

DEMO_ACCOUNTS = (
    DemoAccount("demo-admin", "Nicolas", "Lefèvre", Role.ADMIN, CALAIS),
    DemoAccount("demo-coordo", "Claire", "Dubois", Role.COORDINATOR, CALAIS),
    DemoAccount("demo-medecin", "Julien", "Moreau", Role.MEDICAL, CALAIS),
    DemoAccount("demo-psy", "Camille", "Laurent", Role.MENTAL_HEALTH, CALAIS),
    DemoAccount("demo-social", "Sophie", "Girard", Role.SOCIAL_WORKER, CALAIS),
    DemoAccount("demo-juriste", "Thomas", "Mercier", Role.LEGAL_PROTECTION, CALAIS),
    DemoAccount("demo-maraude", "Léa", "Fontaine", Role.OUTREACH, CALAIS),
    DemoAccount("demo-accueil", "Antoine", "Roux", Role.RECEPTION, CALAIS),
    DemoAccount("demo-safeguarding", "Isabelle", "Garnier", Role.SAFEGUARDING, CALAIS),
    DemoAccount("demo-plaidoyer", "Mathilde", "Chevalier", Role.ADVOCACY, CALAIS),
    DemoAccount(
        "demo-referent-medical", "Hélène", "Rousseau", Role.MEDICAL_REFERENT, FRENCH_PROJECTS
    ),
    DemoAccount("demo-meal", "Pierre", "Lambert", Role.MEAL, ALL_PROJECTS),
    DemoAccount("demo-medecin-dunkerque", "Élodie", "Faure", Role.MEDICAL, ("DUN",)),
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
    """The coordinator of every demo project in whose name the data is registered."""
    user, created = User.objects.get_or_create(
        username=SEED_USERNAME,
        defaults={"first_name": "Données", "last_name": "de démonstration", "language": "fr"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _ensure_memberships(user, Role.COORDINATOR, projects.keys(), projects)
    return user
