from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "parcours.imports"
    label = "imports"

    def ready(self) -> None:
        from parcours.dossier.extensions import register_person_link
        from parcours.imports.person_links import imported_data_link

        register_person_link(imported_data_link)
