"""Parts that the modules above care add to the encounter form (new and edit).

care may not import those modules (the layers forbid it): a module
registers its part from its ``AppConfig.ready()`` with
``register_form_part(PartClass)``. For each discipline in the part's
``disciplines``, the new-encounter page calls ``PartClass.build(user=…,
sites=…, data=…, person=…)`` (``data``: the POST, or None), which returns the
part or None when it has nothing to offer this user. A part that declares
``on_edit = True`` is also on the edit page: ``build(…, encounter=…)``
receives the encounter being edited (its site the only one in ``sites``). The page shows each
part's ``template_name`` under the discipline's fields, saves only when
every part ``is_valid()``, and calls ``part.save(actor=…, encounter=…)`` in
the same transaction as the encounter's recording or update: a ValidationError raised there
cancels the whole recording, and its messages are shown at the top.
"""

from typing import Protocol


class EncounterFormPart(Protocol):
    disciplines: frozenset[str]
    template_name: str

    @classmethod
    def build(cls, *, user, sites, data, person) -> "EncounterFormPart | None": ...

    def is_valid(self) -> bool: ...

    def save(self, *, actor, encounter) -> None: ...


_PARTS: list[type] = []


def register_form_part(part: type) -> None:
    if part not in _PARTS:
        _PARTS.append(part)


def form_parts(discipline: str, *, user, sites, data, person, encounter=None) -> list:
    """The parts of the new-encounter form, or of the edit form of ``encounter``."""
    parts = []
    for part_class in _PARTS:
        if discipline not in part_class.disciplines:
            continue
        if encounter is None:
            part = part_class.build(user=user, sites=sites, data=data, person=person)
        elif getattr(part_class, "on_edit", False):
            part = part_class.build(
                user=user, sites=sites, data=data, person=person, encounter=encounter
            )
        else:
            continue
        if part is not None:
            parts.append(part)
    return parts


# --- values the modules above care keep with an encounter ----------------------
# A module registers one handler (``register_encounter_values``) with
# ``read(user, encounter) -> dict``, ``write(*, actor, encounter, raw)`` (raises
# ValidationError, called in the encounter's transaction) and
# ``decorate_record(record, scope)`` (adds (label, value) pairs to the details
# of the entries shown in full). The API's ``custom`` key and the record
# read through them; care never knows what they hold.

_VALUE_HANDLERS: list = []


def register_encounter_values(handler) -> None:
    if handler not in _VALUE_HANDLERS:
        _VALUE_HANDLERS.append(handler)


def encounter_values_read(user, encounter) -> dict:
    out: dict = {}
    for handler in _VALUE_HANDLERS:
        out.update(handler.read(user, encounter))
    return out


def encounter_values_write(*, actor, encounter, raw) -> None:
    for handler in _VALUE_HANDLERS:
        handler.write(actor=actor, encounter=encounter, raw=raw)


def decorate_record(record, scope) -> None:
    for handler in _VALUE_HANDLERS:
        handler.decorate_record(record, scope)
