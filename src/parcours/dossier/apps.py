from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "parcours.dossier"
    label = "dossier"
