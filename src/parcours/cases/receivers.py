"""Steps complete themselves from the encounters that record them.

care sends ``encounter_recorded`` and ``encounter_updated`` inside the
transaction that saves the encounter and its details; these receivers mark
the matching steps of the person's open pathways as done (time of the
encounter, its author, a link to it), in the same transaction.
"""

from django.dispatch import receiver

from parcours.care.signals import encounter_recorded, encounter_updated
from parcours.cases.pathways import complete_from_encounter


@receiver(encounter_recorded, dispatch_uid="cases_pathway_steps_recorded")
def steps_from_recorded(sender, encounter, actor, **kwargs):
    complete_from_encounter(encounter, actor)


@receiver(encounter_updated, dispatch_uid="cases_pathway_steps_updated")
def steps_from_updated(sender, encounter, actor, **kwargs):
    complete_from_encounter(encounter, actor)
