"""Access rules of the imports/ and gdpr/ pages, for the authorisation-matrix test.

"imports": a coordinator, MEAL officer or configuration admin of the batch's
project (the admin sees counts only); "import_rows": coordinators and MEAL
(the rows of the file); "subject_access": coordinators and referents of the
person's project; "erasure": its coordinators; "gdpr_index": anyone with one
of the data-protection tasks; "retention": configuration admins;
"pseudonymised_export": MEAL; "register": admins and coordinators.
"""

from pathlib import Path

IMPORT_ROUTES = {
    "imports:index": "imports",
    "imports:batch": "imports",
    "imports:mapping": "imports",
    "imports:mapping_yaml": "imports",
    "imports:run": "imports",
    "imports:undo": "imports",
    "imports:report": "import_rows",
    "imports:decide": "import_rows",
    "imports:person_data": "identity.view",
    "gdpr:index": "gdpr_index",
    "gdpr:access_request": "subject_access",
    "gdpr:access_export": "subject_access",
    "gdpr:erasure": "erasure",
    "gdpr:legal_hold": "erasure",
    "gdpr:retention": "retention",
    "gdpr:pseudonymised": "pseudonymised_export",
    "gdpr:register": "register",
}

IMPORT_RULES = {
    "imports": {"coordinator", "meal", "admin"},
    "import_rows": {"coordinator", "meal"},
    "subject_access": {"coordinator", "referent"},
    "erasure": {"coordinator"},
    "gdpr_index": {"coordinator", "referent", "meal", "admin"},
    "retention": {"admin"},
    "pseudonymised_export": {"meal"},
    "register": {"admin", "coordinator"},
}


def import_targets(world) -> dict:
    """A finished import batch of the Calais project (its file no longer kept)."""
    from parcours.imports.models import ImportBatch

    batch = ImportBatch.objects.create(
        project=world.calais,
        file_name="data.xlsx",
        stored_path=str(Path("/nonexistent/data.xlsx")),
        dry_run=False,
        status=ImportBatch.Status.DONE,
        mapping={"source": "mano", "columns": {}},
        created_by=world.coordinator,
    )
    return {"batch_id": batch.pk}
