"""The ``parcours`` console script: Django's manage.py, with the demo's own database.

``parcours demo`` works on ./var/demo.sqlite3 (unless DATABASE_URL is set)
so that demo data never lands in a real installation's database.
"""

import os
import sys
from pathlib import Path


def demo_environment(args: list[str], environ) -> None:
    """What ``parcours demo`` sets before the settings are read (a variable
    already set wins)."""
    if not environ.get("DATABASE_URL"):
        environ.setdefault("PARCOURS_SQLITE_PATH", str(Path.cwd() / "var" / "demo.sqlite3"))
    # Demo accounts sign in with their password only, so that the demo stays
    # two commands; ``parcours demo --mfa`` shows two-factor sign-in at work.
    environ.setdefault("PARCOURS_MFA", "required-for-clinical" if "--mfa" in args else "off")


def main() -> None:
    args = sys.argv
    if len(args) > 1 and args[1] == "demo":
        demo_environment(args, os.environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
