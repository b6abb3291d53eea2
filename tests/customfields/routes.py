"""Access rules of the custom-fields pages and API, for the authorisation matrix.

The target form is Calais' person file: designed by its coordinator only
(the medical referent designs the medical forms: tests/customfields/
test_pages.py checks it). Everyone else: 404.
"""

CUSTOMFIELDS_ROUTES = {
    "customfields:index": "custom_fields_anywhere",
    "customfields:form": "custom_fields_person_form",
    "customfields:new": "custom_fields_person_form",
    "customfields:edit": "custom_fields_person_form",
    "customfields:retire": "custom_fields_person_form",
}

CUSTOMFIELDS_RULES = {
    "custom_fields_anywhere": {"coordinator", "referent"},
    "custom_fields_person_form": {"coordinator"},
}


def customfields_targets(world) -> dict:
    from parcours.customfields import services

    field = services.field_create(
        actor=world.coordinator,
        project=world.calais,
        target="person",
        data={"code": "programme", "type": "yes_no", "label_fr": "Programme"},
    )
    return {"custom_field_id": field.pk, "custom_target": "person"}
