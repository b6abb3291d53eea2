from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parcours.accounts"
    label = "accounts"

    def ready(self):
        from parcours.accounts import lockout  # noqa: F401 - records failed sign-ins
