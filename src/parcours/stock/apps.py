from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "parcours.stock"
    label = "stock"

    def ready(self) -> None:
        # The consultation form offers dispensing from the site's pharmacy:
        # care names no module above it, so stock registers its part there.
        from parcours.care.extensions import register_form_part
        from parcours.stock.dispensing_part import DispensingPart

        register_form_part(DispensingPart)
