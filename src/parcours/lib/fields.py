"""Model fields whose values are encrypted at rest (see parcours.lib.crypto).

Every encrypted value is bound to its table, column and row. The row is
identified by the row's *row key* (``RowKeyField``, a random UUID column
named ``row_key``), because an auto-increment id is unknown before the
INSERT that would need it. The row key is drawn in Python when the row is
first written (``save``, ``bulk_create``), so the ciphertext is computed in
the same statement: no second write, and bulk paths keep working.

Reading is lazy: the database value is kept sealed on the instance and
decrypted on first access of the attribute (the row key is then known).
``values()``/``values_list()`` of an encrypted field give ``Sealed`` objects;
read encrypted fields through model instances.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, Transform
from django.db.models.query_utils import DeferredAttribute

from parcours.lib import crypto

ROW_KEY = "row_key"


class RowKeyField(models.UUIDField):
    """The random identity an encrypted value is bound to (see module doc).

    NULL until the row first holds an encrypted value (rows written by raw
    INSERTs that hold none stay NULL); unique, so a row key copied onto
    another row by SQL does not take the original row's values with it
    without breaking that row.
    """

    description = "Row key of encrypted values"

    def __init__(self, *args, **kwargs):
        kwargs.update(null=True, blank=True, unique=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for forced in ("null", "blank", "unique", "editable"):
            kwargs.pop(forced, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # This very statement writes the column: no separate write needed.
        key = model_instance.__dict__.get(ROW_KEY)
        if key is None:
            key = uuid.uuid4()
            setattr(model_instance, ROW_KEY, key)
        return key


def ensure_row_key(instance) -> uuid.UUID:
    """The instance's row key, drawn if it has none yet.

    A row read from the database without one (written before row keys, or
    by a raw INSERT) gets its key written at once: ``save(update_fields=[...])``
    would otherwise store a value bound to a key that is never saved.
    """
    key = instance.__dict__.get(ROW_KEY)
    if key is None and ROW_KEY not in instance.__dict__ and not instance._state.adding:
        key = getattr(instance, ROW_KEY)  # deferred: load it
    if key is not None:
        return key
    key = uuid.uuid4()
    if not instance._state.adding and instance.pk is not None:
        manager = type(instance)._base_manager.using(instance._state.db)
        if not manager.filter(pk=instance.pk, **{f"{ROW_KEY}__isnull": True}).update(
            **{ROW_KEY: key}
        ):
            stored = manager.filter(pk=instance.pk).values_list(ROW_KEY, flat=True).first()
            key = stored or key
    setattr(instance, ROW_KEY, key)
    return key


def row_of(key) -> str | None:
    """The row part of the associated data: the row key as 32 hex digits."""
    if key is None:
        return None
    return key.hex if isinstance(key, uuid.UUID) else uuid.UUID(str(key)).hex


class Sealed:
    """A value as stored, not decrypted yet (its row key is needed)."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed encrypted value>"

    def __str__(self) -> str:
        raise TypeError(
            "an encrypted value read with values()/values_list() cannot be shown: "
            "read encrypted fields through model instances"
        )

    def __eq__(self, other):
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self):
        return hash(self.token)


class SealedText(str):
    """A ciphertext computed with its row, written as it is."""


class EncryptedAttribute(DeferredAttribute):
    """Decrypts the stored value on first access, with the row's key."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(value.token, getattr(instance, ROW_KEY))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        # A data descriptor (DeferredAttribute alone is not): otherwise the
        # instance's __dict__ would answer reads and bypass __get__.
        instance.__dict__[self.field.attname] = value


def read_enc1() -> bool:
    return getattr(settings, "PARCOURS_ENCRYPTION_READ_ENC1", True)


class Ciphertext(Transform):
    """``<field>__ciphertext``: the stored token itself, as plain text.

    For maintenance code only (key rotation, audits of the raw column): it
    bypasses decryption and the lookup restriction, e.g.
    ``.exclude(note__ciphertext__startswith="enc1:k2:")`` or
    ``.values_list("note__ciphertext")``.
    """

    lookup_name = "ciphertext"
    output_field = models.TextField()

    def as_sql(self, compiler, connection):
        return compiler.compile(self.lhs)


class EmptyOnlyExact(Exact):
    """Encryption is randomised: equality with a plaintext can never match,
    so only "is empty" is a meaningful comparison."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.describe()} is encrypted: it can only be compared "
                "with '' or None"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A TextField stored as AES-256-GCM ciphertext.

    ``""`` and ``None`` are stored as they are (an absent note costs nothing
    and "has a note" stays queryable); any other value is encrypted under the
    current key, bound to ``"<app_label>.<model>.<field>"`` and the row's row
    key (the model needs a ``row_key = RowKeyField()``). Pass ``context=``
    only to keep reading existing values after renaming the model or field.

    Values are written by ``save()`` and ``bulk_create()`` (which know the
    row); ``QuerySet.update()``/``bulk_update()`` with a plaintext are refused.
    """

    description = "Text encrypted at rest"
    descriptor_class = EncryptedAttribute
    _allowed_lookups = frozenset({"exact", "isnull"})

    def __init__(self, *args, context: str | None = None, **kwargs):
        self._explicit_context = context
        self.context = context
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        self.context = self._explicit_context or f"{cls._meta.label_lower}.{self.name}"

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self._explicit_context:
            kwargs["context"] = self._explicit_context
        return name, path, args, kwargs

    def describe(self) -> str:
        return f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else self.name

    # --- values ---------------------------------------------------------------

    def seal(self, text: str, row_key) -> SealedText:
        return SealedText(crypto.encrypt(text, context=self.context, row=row_of(row_key)))

    def open(self, token: str, row_key) -> str:
        return crypto.decrypt(
            token, context=self.context, row=row_of(row_key), allow_enc1=read_enc1()
        )

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None or value == "" or isinstance(value, SealedText):
            return value
        return self.seal(self.to_python(value), ensure_row_key(model_instance))

    def get_prep_value(self, value):
        if isinstance(value, Sealed):
            return value.token
        value = super().get_prep_value(value)
        if value is None or value == "" or isinstance(value, SealedText):
            return None if value is None else str(value)
        raise crypto.EncryptionError(
            f"{self.describe()} is encrypted with its row: write it with save() or "
            "bulk_create(), not QuerySet.update() or bulk_update()"
        )

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return Sealed(value)

    # --- queries --------------------------------------------------------------

    def get_lookup(self, lookup_name):
        if lookup_name in self._allowed_lookups:
            return super().get_lookup(lookup_name)
        if lookup_name == Ciphertext.lookup_name:
            return None  # let the query builder take it as a transform
        raise self._refuse(lookup_name)

    def get_transform(self, lookup_name):
        if lookup_name == Ciphertext.lookup_name:
            return super().get_transform(lookup_name)
        raise self._refuse(lookup_name)

    def _refuse(self, lookup_name: str) -> FieldError:
        return FieldError(
            f"{self.describe()} is encrypted and cannot be filtered with '{lookup_name}'; "
            "only isnull and exact '' are supported (search a non-confidential field instead)"
        )

    # --- checks ---------------------------------------------------------------

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        row_key = next((f for f in self.model._meta.fields if f.name == ROW_KEY), None)
        if not isinstance(row_key, RowKeyField):
            errors.append(
                checks.Error(
                    f"{self.describe()} is encrypted with its row: the model needs "
                    f"`{ROW_KEY} = RowKeyField()`.",
                    obj=self,
                    id="vault.E011",
                )
            )
        if self.unique or self.primary_key:
            errors.append(
                checks.Error(
                    "EncryptedTextField cannot be unique or a primary key: every "
                    "encryption of the same text differs.",
                    obj=self,
                    id="vault.E010",
                )
            )
        return errors


EncryptedTextField.register_lookup(EmptyOnlyExact)
EncryptedTextField.register_lookup(Ciphertext)


def seal_raw_rows(model, columns: list[str], rows: list[tuple], connection):
    """For INSERTs written without the ORM (``imports.bulk``): the columns and
    rows with each encrypted value sealed under a row key drawn for its row
    (the ``row_key`` column is added). Values are given as for the database."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    sealed = [i for i, c in enumerate(columns) if isinstance(fields[c], EncryptedTextField)]
    if not sealed:
        return columns, rows
    key_field = model._meta.get_field(ROW_KEY)
    out = []
    for row in rows:
        values = list(row)
        # Rows without an encrypted value keep a NULL row key (cheaper, and
        # ``ensure_row_key`` gives them one if a value comes later).
        key = uuid.uuid4() if any(values[i] for i in sealed) else None
        for i in sealed:
            if values[i]:
                values[i] = str(fields[columns[i]].seal(values[i], key))
        values.append(None if key is None else key_field.get_db_prep_save(key, connection))
        out.append(tuple(values))
    return [*columns, key_field.column], out


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (e.g. a list of codes) stored encrypted like an
    EncryptedTextField: the JSON text is the plaintext. An empty list or
    dict is stored as ``""`` (its presence is not secret) and read back as
    the field's empty value; ``None`` stays ``NULL``."""

    description = "JSON encrypted at rest"

    def _empty(self):
        return self.get_default() if self.has_default() else None

    def to_python(self, value):
        return value  # already a Python value; forms validate the items

    def open(self, token: str, row_key):
        return json.loads(super().open(token, row_key))

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None or isinstance(value, SealedText):
            return value
        if value in ([], {}, ""):
            return ""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return self.seal(text, ensure_row_key(model_instance))

    def from_db_value(self, value, expression, connection):
        if value == "":
            return self._empty()
        return super().from_db_value(value, expression, connection)

    def get_prep_value(self, value):
        if isinstance(value, list | dict) and not value:
            return ""
        return super().get_prep_value(value)

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)

    def formfield(self, **kwargs):
        from django import forms

        return forms.JSONField(**kwargs)
