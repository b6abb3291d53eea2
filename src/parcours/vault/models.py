from django.db import models

from parcours.lib.fields import EncryptedTextField, RowKeyField


class VaultProbe(models.Model):
    """A known text encrypted when a key becomes current.

    If the key material configured under an id is not the one that encrypted
    this database, the canary no longer decrypts: ``migrate``/``check
    --database default`` and ``rotate_key`` refuse to go on instead of
    writing new data under the wrong key.
    """

    NOT_PERSONAL_DATA_BECAUSE = "holds no personal data, only a canary"

    key_id = models.CharField(max_length=32, unique=True)
    canary = EncryptedTextField()
    row_key = RowKeyField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"canary for key {self.key_id}"
