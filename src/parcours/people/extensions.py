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


# --- values the modules above people keep with a person ------------------------
# One handler per module (``register_person_values``): ``read(user, person) ->
# dict`` (what the reader sees) and ``write(*, actor, person, project, raw)``
# (``project``: the registration's, None when editing; raises
# ValidationError; called in the person's transaction). The API's ``custom``
# key goes through them.

_VALUE_HANDLERS: list = []


def register_person_values(handler) -> None:
    if handler not in _VALUE_HANDLERS:
        _VALUE_HANDLERS.append(handler)


def person_values_read(user, person) -> dict:
    out: dict = {}
    for handler in _VALUE_HANDLERS:
        out.update(handler.read(user, person))
    return out


def person_values_write(*, actor, person, project, raw) -> None:
    for handler in _VALUE_HANDLERS:
        handler.write(actor=actor, person=person, project=project, raw=raw)


# --- columns the modules above people add to the people list export ------------
# A provider (``register_person_export_columns``) is ``columns(user, persons)
# -> (headers, {person id: cells})``: only what the user may export of each
# person; a person without a cell gets empty cells.

_EXPORT_COLUMNS: list = []


def register_person_export_columns(provider) -> None:
    if provider not in _EXPORT_COLUMNS:
        _EXPORT_COLUMNS.append(provider)


def person_export_columns(user, persons) -> tuple[list[str], dict[int, list]]:
    """The extra headers, and each person's extra cells in the same order."""
    headers: list[str] = []
    cells: dict[int, list] = {person.pk: [] for person in persons}
    for provider in _EXPORT_COLUMNS:
        more, values = provider(user, persons)
        for pk, row in cells.items():
            row.extend(values.get(pk) or [""] * len(more))
        headers.extend(more)
    return headers, cells
