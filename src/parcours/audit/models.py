"""Append-only audit trail (writes) and access log (reads of personal data).

The application never updates or deletes these rows: the model and its
queryset refuse to, database triggers refuse UPDATE and DELETE (migration
0003), and every row is sealed into a hash chain (``audit.chain``) that
``parcours audit verify`` recomputes, so a change made behind the
application's back is found. The one way to remove rows is the retention
purge of expired access-log rows (``audit.integrity.purge_access_log``).
"""

from django.conf import settings
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.audit import chain
from parcours.audit.events import read_label


class AppendOnlyError(Exception):
    pass


class ChainHead(models.Model):
    """The last link of one chain: row 1 for the audit trail, row 2 for the
    access log. Every append locks its chain's row, so that concurrent writers
    extend a chain one after the other.

    Two rows, not one: a write that records an audit event holds its chain's
    head until it commits, and page views, which only append to the access
    log, must not wait for it. Every transaction that holds both heads took
    the audit trail's first (``locked``), so two of them never wait for each
    other in a circle.

    After a retention purge, verification starts from the anchor: the hash
    of the last purged row."""

    ROWS = {"audit_event": 1, "access_log": 2}

    id = models.PositiveSmallIntegerField(primary_key=True)
    last = models.CharField(max_length=64, default=chain.GENESIS)
    anchor = models.CharField(max_length=64, default=chain.GENESIS)
    purged_through = models.BigIntegerField(default=0)
    purged_rows = models.BigIntegerField(default=0)

    @classmethod
    def of(cls, table: str, using=None) -> "ChainHead":
        """The head of ``table``'s chain as it stands (not locked)."""
        pk = cls.ROWS[table]
        return cls.objects.using(using).filter(pk=pk).first() or cls(pk=pk)

    @classmethod
    def locked(cls, table: str, using=None, *, alone: bool = False) -> "ChainHead":
        """The head of ``table``'s chain, locked until the transaction ends.

        ``alone``: the transaction was opened for this append only. An
        access-log append inside a wider transaction (which may go on to
        record an audit event) locks the audit trail's head first, to keep
        the one order."""
        if table == "access_log" and not alone:
            cls._lock("audit_event", using)
        return cls._lock(table, using)

    @classmethod
    def _lock(cls, table: str, using) -> "ChainHead":
        head, _created = (
            cls.objects.using(using).select_for_update().get_or_create(pk=cls.ROWS[table])
        )
        return head


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows are append-only")

    def delete(self):
        raise AppendOnlyError("audit rows are append-only")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not objs:
            return objs
        alone = not connections[self.db].in_atomic_block
        with transaction.atomic(using=self.db):
            head = ChainHead.locked(self.model.CHAIN, self.db, alone=alone)
            last = head.last
            for obj in objs:
                last = obj.seal(last)
            created = super().bulk_create(objs, *args, **kwargs)
            head.last = last
            head.save(update_fields=["last"])
        return created


class AppendOnlyModel(models.Model):
    # Which chain (ChainHead.ROWS) this table's rows extend.
    CHAIN = ""
    CHAINED_FIELDS: tuple[str, ...] = ()

    chain_hash = models.CharField(max_length=64, editable=False, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows are append-only")
        using = kwargs.get("using") or "default"
        alone = not connections[using].in_atomic_block
        with transaction.atomic(using=using):
            head = ChainHead.locked(self.CHAIN, using, alone=alone)
            head.last = self.seal(head.last)
            super().save(*args, **kwargs)
            head.save(update_fields=["last"])

    def chain_content(self) -> bytes:
        return chain.content({name: getattr(self, name) for name in self.CHAINED_FIELDS})

    def seal(self, previous: str) -> str:
        """Link this new row to ``previous``; returns its own hash."""
        self.chain_hash = chain.link(previous, self.chain_content())
        return self.chain_hash

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are append-only")


class AuditEvent(AppendOnlyModel):
    CHAIN = "audit_event"
    CHAINED_FIELDS = chain.AUDIT_EVENT_FIELDS

    # Set when the row is built (not on save) so that the sealed value is the stored one.
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    event = models.CharField(_("event"), max_length=60)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    project = models.ForeignKey(
        "org.Project", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # {"field": [before, after]} for updates; the created values for creations.
    changes = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.subject_type}#{self.subject_id}"


class AccessLog(AppendOnlyModel):
    NOT_PERSONAL_DATA_BECAUSE = "it records who read a record, shown only under the audit action"

    class Channel(models.TextChoices):
        WEB = "web", _("web page")
        API = "api", _("API")
        EXPORT = "export", _("export")

    CHAIN = "access_log"
    CHAINED_FIELDS = chain.ACCESS_LOG_FIELDS

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("what"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    break_glass = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} read {self.what} of {self.person_id}"

    @property
    def what_label(self) -> str:
        return read_label(self.what)
