from django.apps import AppConfig


class MealConfig(AppConfig):
    name = "parcours.meal"
    label = "meal"
    verbose_name = "MEAL"

    def ready(self):
        # The care records' facts, then each installed app's ``meal_facts``
        # module (one place per module declares what it counts).
        from django.utils.module_loading import autodiscover_modules

        from parcours.meal import facts_care  # noqa: F401

        autodiscover_modules("meal_facts")

        # Kept figures of past months are forgotten when their records change.
        from parcours.meal import invalidation

        invalidation.connect()
