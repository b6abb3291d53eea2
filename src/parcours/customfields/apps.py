from django.apps import AppConfig


class CustomFieldsConfig(AppConfig):
    name = "parcours.customfields"
    label = "customfields"
    verbose_name = "Custom fields and forms"

    def ready(self) -> None:
        # care and people name no module above them: the custom fields of a
        # project join their forms through the parts they offer.
        from parcours.care.extensions import register_encounter_values, register_form_part
        from parcours.customfields.display import export_columns
        from parcours.customfields.handlers import EncounterValues, PersonValues
        from parcours.customfields.parts import PersonCustomPart, encounter_parts
        from parcours.people.extensions import (
            register_person_export_columns,
            register_person_form_part,
            register_person_values,
        )

        for part in encounter_parts():
            register_form_part(part)
        register_person_form_part(PersonCustomPart)
        register_encounter_values(EncounterValues)
        register_person_values(PersonValues)
        register_person_export_columns(export_columns)
