from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "parcours.ops"
    label = "ops"
    verbose_name = "Operations (backup, restore)"

    def ready(self):
        from parcours.ops import checks  # noqa: F401 - registers the deployment checks
