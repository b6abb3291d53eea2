from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VaultConfig(AppConfig):
    name = "parcours.vault"
    label = "vault"
    verbose_name = "Encryption at rest"

    def ready(self) -> None:
        from parcours.vault import canary, checks  # noqa: F401  (registers the check)

        post_migrate.connect(canary.record_after_migrate, sender=self)
