"""Fixed test keys, switched through the ``settings`` fixture: no test touches
the developer's var/encryption.keys."""

import pytest

from parcours.lib import crypto

OLD = crypto.generate_key("t-old")
NEW = crypto.generate_key("t-new")
# Same id as OLD, other key material: what a typo in a key file looks like.
OLD_MISTYPED = crypto.generate_key("t-old")


class Keys:
    def __init__(self, settings):
        self._settings = settings

    def use(self, *entries: str) -> None:
        self._settings.PARCOURS_ENCRYPTION_KEYS = list(entries)


@pytest.fixture
def keys(settings):
    """keys.use(NEW, OLD) → the ring the code sees; starts with OLD alone."""
    ring = Keys(settings)
    ring.use(OLD)
    return ring


@pytest.fixture
def vault(keys):
    """The vault table emptied of the canary ``migrate`` recorded under the
    development key, so that only this test's rows and keys are in play."""
    from parcours.vault.models import VaultProbe

    VaultProbe.objects.all().delete()
    return VaultProbe
