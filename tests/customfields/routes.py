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
    "customfields:xlsform": "custom_fields_person_form",
    "customfields:xlsform_export": "custom_fields_person_form",
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


# --- API ---------------------------------------------------------------------------
# The definitions of a form: every member of the project (each field only if
# its category is theirs to see or fill); the XLSForm of Calais' person file:
# its coordinator. Refused: 404 (a project's form is not theirs to see).
CUSTOMFIELDS_API_ROUTES = {
    ("GET", "/api/v1/projects/{id}/custom-fields"): "custom_fields_members",
    ("GET", "/api/v1/projects/{id}/xlsform"): "custom_fields_person_form",
    ("POST", "/api/v1/projects/{id}/xlsform"): "custom_fields_person_form",
}
_CALAIS = {
    "admin",
    "coordinator",
    "doctor",
    "psychologist",
    "social_worker",
    "lawyer",
    "outreach",
    "reception",
    "meal",
    "safeguarding",
    "advocacy",
    "logistics",
}
CUSTOMFIELDS_API_RULES = {
    "custom_fields_members": _CALAIS,
    "custom_fields_person_form": {"coordinator"},
}
CUSTOMFIELDS_NOT_FOUND_WHEN_REFUSED = set(CUSTOMFIELDS_API_ROUTES)
CUSTOMFIELDS_PATH_IDS = {
    route: (lambda world, person: world.calais.pk) for route in CUSTOMFIELDS_API_ROUTES
}


def small_xlsform() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Français (fr)", "label::English (en)"])
    survey.append(["integer", "household_size", "Taille du foyer", "Household size"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsform_post(api, world, person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("form.xlsx", small_xlsform())
    return api.client.post(
        f"/api/v1/projects/{world.calais.pk}/xlsform?target=person&dry_run=true",
        {"file": upload},
        **api.headers,
    )


# (method, path) -> request(api, world, person): routes the JSON client cannot send.
CUSTOMFIELDS_API_REQUESTS = {("POST", "/api/v1/projects/{id}/xlsform"): _xlsform_post}
