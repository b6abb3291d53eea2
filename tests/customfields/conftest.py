"""The MEAL tests' fixtures (persons, encounters, indicators) for the custom-field counts."""

from tests.meal.conftest import encounter, indicator, person  # noqa: F401
