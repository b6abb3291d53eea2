from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "parcours.daily"
    label = "daily"
