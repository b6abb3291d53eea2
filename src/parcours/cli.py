"""The ``parcours`` console script: Django's manage.py, with the demo's own database.

``parcours demo`` works on ./var/demo.sqlite3 (unless DATABASE_URL is set)
so that demo data never lands in a real installation's database.
"""

import os
import sys
from pathlib import Path


def main() -> None:
    args = sys.argv
    if len(args) > 1 and args[1] == "demo" and not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("PARCOURS_SQLITE_PATH", str(Path.cwd() / "var" / "demo.sqlite3"))
    if len(args) > 1 and args[1] == "demo":
        # Demo accounts sign in with their password only, so that the demo stays
        # two commands; ``parcours demo --mfa`` shows two-factor sign-in at work.
        os.environ.setdefault("PARCOURS_MFA", "required-for-clinical" if "--mfa" in args else "off")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
