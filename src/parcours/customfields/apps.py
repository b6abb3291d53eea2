from django.apps import AppConfig


class CustomFieldsConfig(AppConfig):
    name = "parcours.customfields"
    label = "customfields"
    verbose_name = "Custom fields and forms"

    def ready(self) -> None:
        # care and people name no module above them: the custom fields of a
        # project join their forms through the parts they offer.
        from parcours.care.extensions import register_form_part
        from parcours.customfields.parts import PersonCustomPart, encounter_parts
        from parcours.people.extensions import register_person_form_part

        for part in encounter_parts():
            register_form_part(part)
        register_person_form_part(PersonCustomPart)
