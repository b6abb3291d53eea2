from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "parcours.imports"
    label = "imports"
