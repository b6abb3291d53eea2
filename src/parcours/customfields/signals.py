"""What customfields tells the modules built on it, which it may not import.

values_saved(sender=CustomValue, person=None, encounter=None): the custom
values of one record were written (in bulk: no model signals); the MEAL
engine forgets the figures of the months they count in.
"""

from django.dispatch import Signal

values_saved = Signal()
