"""Small builders of custom fields for the tests."""

from parcours.customfields import services


def field(world, target="person", actor=None, choices=(), **data):
    """A field of the Calais project (coordinator by default; the medical
    referent for medical forms)."""
    if actor is None:
        medical = target in ("medical", "sv_incident") or data.get("category") in (
            "medical",
            "sv_incident",
        )
        actor = world.referent if medical else world.coordinator
    data.setdefault("label_fr", data["code"].replace("_", " "))
    data.setdefault("label_en", data["code"].replace("_", " "))
    return services.field_create(
        actor=actor,
        project=world.calais,
        target=target,
        data=data,
        choices=[
            {"code": c, "label_fr": c.upper(), "label_en": c.capitalize()}
            if isinstance(c, str)
            else c
            for c in choices
        ],
    )
