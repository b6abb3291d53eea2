from django.core.checks import Error, Tags, register

from parcours.vault import canary


@register(Tags.database)
def check_encryption_keys(app_configs=None, databases=None, **kwargs):
    """Runs with ``migrate`` and ``check --database default``: a deployment
    with the wrong encryption key fails before it serves a request."""
    errors = []
    for alias in databases or []:
        for problem in canary.verify(alias):
            errors.append(
                Error(
                    f"Encryption keys ({alias}): {problem}",
                    hint="See docs/encryption.md.",
                    id="vault.E001",
                )
            )
    return errors
