from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "parcours.quality"
    label = "quality"
