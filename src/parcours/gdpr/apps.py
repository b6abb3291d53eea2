from django.apps import AppConfig


class GdprConfig(AppConfig):
    name = "parcours.gdpr"
    label = "gdpr"
