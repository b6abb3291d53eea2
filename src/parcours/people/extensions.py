"""Parts that the modules above people add to the person form.

people may not import those modules (the layers forbid it): a module
registers its part from its ``AppConfig.ready()`` with
``register_person_form_part(PartClass)``. The registration and edit pages
call ``PartClass.build(user=…, projects=…, person=…, data=…)`` (``projects``:
the projects offered at registration, None when editing ``person``;
``data``: the POST, or None), which returns the part or None when it has
nothing to offer this user. The page shows each part's ``template_name``
under the person's fields, saves only when every part ``is_valid()``, and
calls ``part.save(actor=…, person=…, project=…)`` in the same transaction as
the person (``project``: the project of the registration, None when
editing): a ValidationError raised there cancels the whole save.
"""

_PARTS: list[type] = []


def register_person_form_part(part: type) -> None:
    if part not in _PARTS:
        _PARTS.append(part)


def person_form_parts(*, user, projects, person, data) -> list:
    parts = []
    for part_class in _PARTS:
        part = part_class.build(user=user, projects=projects, person=person, data=data)
        if part is not None:
            parts.append(part)
    return parts
