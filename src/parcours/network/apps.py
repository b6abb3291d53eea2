from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "parcours.network"
    label = "network"
    verbose_name = "Service directory and referrals"
