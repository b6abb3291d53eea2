"""A model that holds personal information and says nothing about its
category cannot be served: Django's system check fails at start-up."""

from django.apps import apps
from django.core.checks import Error, register

from parcours.access.policy import FLAG_CATEGORIES
from parcours.access.terms import Category


def _points_to_person(model) -> bool:
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if field.many_to_one and related is not None and related._meta.label == "people.Person":
            return True
    return model._meta.label == "people.Person"


@register()
def check_categories(app_configs=None, **kwargs):
    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("parcours."):
            continue
        category = getattr(model, "ACCESS_CATEGORY", None)
        by_field = getattr(model, "CATEGORY_BY_FIELD", None)
        if by_field is not None:
            field_name, mapping = by_field
            choices = {value for value, _label in model._meta.get_field(field_name).choices}
            if set(mapping) != choices or not set(mapping.values()) <= set(Category):
                errors.append(
                    Error(
                        f"{model._meta.label}.CATEGORY_BY_FIELD must map every {field_name} to a Category",
                        id="parcours.E003",
                    )
                )
            continue
        exempt = getattr(model, "NOT_PERSONAL_DATA_BECAUSE", None)
        if category is not None and category not in set(Category):
            errors.append(
                Error(f"{model._meta.label}.ACCESS_CATEGORY is not a Category", id="parcours.E002")
            )
        if _points_to_person(model) and category is None and not exempt:
            errors.append(
                Error(
                    f"{model._meta.label} holds data about a person but declares no ACCESS_CATEGORY",
                    hint="Set ACCESS_CATEGORY = Category.<X>, CATEGORY_BY_FIELD, or NOT_PERSONAL_DATA_BECAUSE.",
                    id="parcours.E001",
                )
            )
    return errors


@register()
def check_flag_categories(app_configs=None, **kwargs):
    """A vulnerability flag without a category could not be shown to anyone
    rightly: every flag the people registry offers must have one."""
    PersonFlag = apps.get_model("people", "PersonFlag")
    offered = {value for value, _label in PersonFlag._meta.get_field("flag").choices}
    missing = sorted(offered - set(FLAG_CATEGORIES))
    if missing:
        return [
            Error(
                f"vulnerability flags without a category in access.policy.FLAG_CATEGORIES: {missing}",
                id="parcours.E004",
            )
        ]
    return []
