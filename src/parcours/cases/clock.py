"""Deadlines of pathway steps, in aware datetimes.

Elapsed hours are absolute (PEP within 72 h is 72 real hours, whatever the
clock change in between); days and weeks are calendar days at the same
wall-clock time in the server's time zone (a follow-up "in 21 days" at
10:00 stays at 10:00 across the change).
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcours.cases.definitions import Deadline


def due_at(deadline: Deadline, anchor: datetime) -> datetime:
    """The deadline, in UTC. (Python subtracts and compares two datetimes of
    the same zone by their wall-clock times: every computation here is done
    in UTC, and only the display converts to local time.)"""
    if timezone.is_naive(anchor):
        raise ValueError("an anchor is an aware datetime")
    if deadline.unit == "hours":
        return anchor.astimezone(UTC) + deadline.delta()
    local = timezone.localtime(anchor)
    wall = local.replace(tzinfo=None) + deadline.delta()
    return timezone.make_aware(wall).astimezone(UTC)


def time_left(due: datetime, now: datetime) -> timedelta:
    """Real time left (negative: overdue), whatever the zones given."""
    return due.astimezone(UTC) - now.astimezone(UTC)


def describe(due: datetime | None, now: datetime) -> str:
    """'41 h left', '3 days left', '5 h overdue'…"""
    if due is None:
        return ""
    left = time_left(due, now)
    seconds = left.total_seconds()
    overdue = seconds < 0
    seconds = abs(seconds)
    hours = int(seconds // 3600)
    if hours < 72:
        if hours == 0:
            minutes = int(seconds // 60)
            if overdue:
                return ngettext("%(n)d min overdue", "%(n)d min overdue", minutes) % {"n": minutes}
            return ngettext("%(n)d min left", "%(n)d min left", minutes) % {"n": minutes}
        if overdue:
            return _("%(n)d h overdue") % {"n": hours}
        return _("%(n)d h left") % {"n": hours}
    days = hours // 24
    if overdue:
        return ngettext("%(n)d day overdue", "%(n)d days overdue", days) % {"n": days}
    return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
