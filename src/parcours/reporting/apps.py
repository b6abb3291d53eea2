from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "parcours.reporting"
    label = "reporting"
