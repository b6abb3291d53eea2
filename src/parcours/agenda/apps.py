from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "parcours.agenda"
    label = "agenda"

    def ready(self) -> None:
        # Connects the receivers of care (encounters recorded) and people (merges).
        from parcours.agenda import receivers  # noqa: F401
