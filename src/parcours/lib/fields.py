"""Model fields whose values are encrypted at rest (see parcours.lib.crypto)."""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, Transform

from parcours.lib import crypto


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
    current key, bound to ``"<app_label>.<model>.<field>"``. Pass ``context=``
    only to keep reading existing values after renaming the model or field.
    """

    description = "Text encrypted at rest"
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

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value, context=self.context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.context)

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
