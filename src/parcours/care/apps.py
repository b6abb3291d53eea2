from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "parcours.care"
    label = "care"
