from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "parcours.care"
    label = "care"

    def ready(self) -> None:
        # Connects the receivers that move care history along a merge.
        from parcours.care import merging  # noqa: F401
