"""The demo's data files: staff, sites, weights, codes, notes (YAML, in this folder).

``load("sites")`` reads ``sites.yaml`` once (cached) with ``yaml.safe_load``; YAML
sequences come back as tuples, since the data is shared and only read. What
the planner needs in another shape (keys made of several codes, sets) is made
where it is read: ``parcours.demo.stories.tables`` and ``parcours.demo.notes``.
"""

from functools import cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent


def _frozen(value):
    """Sequences as tuples, all the way down (mappings keep their order)."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


@cache
def load(name: str):
    """The content of ``<name>.yaml`` in this folder."""
    with (FOLDER / f"{name}.yaml").open(encoding="utf-8") as file:
        return _frozen(yaml.safe_load(file))
