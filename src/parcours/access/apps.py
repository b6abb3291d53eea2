from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "parcours.access"
    label = "access"

    def ready(self):
        from parcours.access import checks  # noqa: F401  (registers the system check)
