"""Short reference codes a person can read out on the phone.

22 letters and digits that are not confused with one another (no 0/O,
1/I/L, 2/Z, 5/S, 8/B, G/6), eight of them: about 5·10^10 codes, drawn at
random, so a reference says nothing about any other submission and is not
guessed by trying."""

import secrets

ALPHABET = "ACDEFHJKMNPQRTUVWXY347"
LENGTH = 8


def new_reference(prefix: str = "") -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{prefix}{code[:4]}-{code[4:]}"


def normalise(value: str) -> str:
    """A reference as typed (spaces, lower case, no dash) in its stored form."""
    plain = "".join(c for c in (value or "").upper() if c.isalnum())
    if len(plain) == LENGTH + 1 and plain[0] in "FT":
        return f"{plain[0]}{plain[1:5]}-{plain[5:]}"
    return f"{plain[:4]}-{plain[4:]}" if len(plain) == LENGTH else plain
