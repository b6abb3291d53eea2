from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "parcours.org"
    label = "org"
