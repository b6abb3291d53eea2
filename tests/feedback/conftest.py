import pytest

from parcours.feedback import services


@pytest.fixture
def submit(world):
    """A public submission in Calais from one address."""

    def _submit(message="Merci pour les soins", topic="", language="fr", address="10.0.0.1", **kw):
        return services.public_submit(
            project=kw.pop("project", world.calais),
            language=language,
            message=message,
            topic=topic,
            address=address,
            **kw,
        )

    return _submit


@pytest.fixture
def staff_item(world):
    def _item(category="service_complaint", actor=None, project=None, **data):
        return services.feedback_record(
            actor=actor or world.reception,
            project=project or world.calais,
            data={
                "channel": "in_person",
                "category": category,
                "message": "The queue is too long",
                **data,
            },
        )

    return _item
