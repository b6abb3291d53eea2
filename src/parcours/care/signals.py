"""What care tells the modules built on it, which it may not import.

encounter_recorded(sender=Encounter, encounter, actor, appointment, renumbered):
sent by
``services.encounter_record`` inside its transaction, once the encounter and
its details are saved. ``appointment`` is the id of the appointment the
encounter was recorded from, as the page received it (None when none): care
does not read appointments, the agenda checks it and closes the appointment,
and books the follow-up date as an appointment. ``renumbered``: the ids of the
person's encounters whose first-visit flag the recording moved (written in
bulk, without model signals; MEAL renews their months). A receiver that
raises cancels the recording.

encounter_updated(sender=Encounter, encounter, actor, changed, renumbered):
sent by ``services.encounter_update`` inside its transaction; ``changed``
names the common fields that changed (the agenda moves the follow-up
appointment); ``renumbered`` as above.
"""

from django.dispatch import Signal

encounter_recorded = Signal()
encounter_updated = Signal()
