"""What people tells the modules built on it, which it may not import.

person_merged(sender=Person, source, target): the rows of ``source`` that a
module holds must now point to ``target``; a receiver returns
{"<key>": [ids moved]} so that the undo can move them back.
person_unmerged(sender=Person, source, target, moved): the undo; ``moved``
holds what every receiver returned.
"""

from django.dispatch import Signal

person_merged = Signal()
person_unmerged = Signal()
