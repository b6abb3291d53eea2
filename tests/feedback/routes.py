"""Access rules of the feedback and testimony pages, for the
authorisation-matrix test (tests/test_authorisation_matrix.py).

"public": the public feedback page (no sign-in). "feedback.<action>": the
policy decides on the target item, which is not sensitive (coordinator and
MEAL); sensitive items are for safeguarding only (tests/feedback/
test_sensitive.py). "testimony.<action>": the policy decides (the protection
team records and edits, advocacy reads reviewed public-use testimonies and
exports them). The conditional rules list who passes them among the personas.
"""

from datetime import date

FEEDBACK_ROUTES = {
    "feedback:public": "public",
    "feedback:public_site": "public",
    "feedback:index": "feedback_handler",
    "feedback:record": "feedback_recorder",
    "feedback:statistics": "feedback_counter",
    "feedback:item": "feedback.view",
    "feedback:edit": "feedback.edit",
    "feedback:step": "feedback.edit",
    "feedback:settings": "feedback.edit",
    "feedback:qr": "feedback_handler",
    "feedback:poster": "feedback_handler",
    "feedback:testimonies": "testimony.view",
    "feedback:testimony_new": "testimony.create",
    "feedback:testimony_export_csv": "testimony.export",
    "feedback:testimony_export_docx": "testimony.export",
    "feedback:testimony": "testimony.view",
    "feedback:testimony_edit": "testimony.edit",
    "feedback:testimony_review": "testimony_review",
    # Last: it takes the target testimony out of use.
    "feedback:testimony_withdraw": "testimony.edit",
}

FEEDBACK_CONDITIONAL_RULES = {
    # Who reads some feedback items in the project (feedback or safeguarding view).
    "feedback_handler": {"coordinator", "meal", "safeguarding"},
    # Every team member records what people tell them (not the administrator).
    "feedback_recorder": {
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
        "referent",
        "dunkerque_doctor",
    },
    # Who counts feedback (aggregate on feedback or safeguarding).
    "feedback_counter": {"coordinator", "meal", "safeguarding"},
    "testimony_review": {"lawyer"},
}


def feedback_targets(world) -> dict:
    """A feedback item that is not sensitive and a reviewed anonymous
    testimony agreed for anonymised public use, both in Calais."""
    from parcours.feedback import services, testimonies

    item = services.feedback_record(
        actor=world.reception,
        project=world.calais,
        data={"channel": "in_person", "category": "service_complaint", "message": "Long queue"},
    )
    testimony = testimonies.testimony_record(
        actor=world.lawyer,
        project=world.calais,
        data={
            "date": date(2026, 10, 3),
            "text": "They took our tents at dawn.",
            "use": "anonymised_public",
            "violence_types": ["destruction"],
        },
    )
    testimonies.testimony_review(actor=world.lawyer, testimony=testimony, version=1)
    return {
        "item_id": item.pk,
        "testimony_id": testimony.pk,
        "code": world.calais.code,
        "site_id": world.calais_day_centre.pk,
    }
