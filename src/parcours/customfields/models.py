"""Custom fields of a project: their definitions and the values people fill in.

Storage: a typed value table (one row per value, one row per selected choice
of a multiple choice), not a JSON column. Why (docs/customfields.md):

- each value carries the access category of its field (``category``), so the
  policy filters values like any other row and the MEAL engine counts them
  per category;
- ``(field, text)``, ``(field, number)``, ``(field, date)`` and
  ``(field, boolean)`` are plain B-tree indexes, used alike by SQLite and
  PostgreSQL for "persons whose field X is Y" (an ``EXISTS`` on the index),
  where a JSON column would need an expression index per field and per
  database;
- retiring a field keeps its values untouched.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parcours.access.terms import Category

PERSON = "person"


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes / no")
    SINGLE = "single_choice", _("Single choice")
    MULTIPLE = "multiple_choice", _("Multiple choice")


NUMERIC_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL})
CHOICE_TYPES = frozenset({FieldType.SINGLE, FieldType.MULTIPLE})
# Where each type's value is stored in CustomValue.
COLUMN = {
    FieldType.TEXT: "text",
    FieldType.LONG_TEXT: "text",
    FieldType.INTEGER: "number",
    FieldType.DECIMAL: "number",
    FieldType.DATE: "date",
    FieldType.YES_NO: "boolean",
    FieldType.SINGLE: "text",
    FieldType.MULTIPLE: "text",
}


def _bilingual(fr: str, en: str) -> str:
    lang = (get_language() or "fr")[:2]
    if lang == "fr":
        return fr or en
    return en or fr


class CustomField(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "a form's definition: labels and choices, nobody's data"

    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    # "person" (the person file) or a discipline code (its encounters).
    target = models.CharField(_("form"), max_length=20)
    code = models.CharField(_("code"), max_length=40)
    type = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    help_fr = models.CharField(_("help (French)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=300, blank=True)
    section = models.CharField(_("section"), max_length=100, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Records created before a field became required are not asked for it.
    required_since = models.DateTimeField(null=True, blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Shown only when that field holds one of these values (choice codes, or
    # "yes"/"no" for a yes/no field).
    relevant_field = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    relevant_values = models.JSONField(default=list, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=[(c, c) for c in Category])
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "target", "code"], name="customfield_code_unique"
            )
        ]
        indexes = [models.Index(fields=["project", "target", "retired_at"])]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return _bilingual(self.label_fr, self.label_en)

    @property
    def help(self) -> str:
        return _bilingual(self.help_fr, self.help_en)

    @property
    def active(self) -> bool:
        return self.retired_at is None

    @property
    def column(self) -> str:
        return COLUMN[FieldType(self.type)]


class CustomChoice(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "a choice of a form's field: a label, nobody's data"

    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(_("code"), max_length=40)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["field", "code"], name="customchoice_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return _bilingual(self.label_fr, self.label_en)


class CustomValue(models.Model):
    """One value of one field for one person or one encounter (one row per
    selected choice of a multiple choice). The category is the field's,
    copied so that the policy and the MEAL engine filter the rows alone."""

    CATEGORY_BY_FIELD = ("category", {c: c for c in Category})

    field = models.ForeignKey(CustomField, on_delete=models.PROTECT, related_name="values")
    category = models.CharField(max_length=20, choices=[(c, c) for c in Category])
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    encounter = models.ForeignKey(
        "care.Encounter", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["field", "text"], name="customvalue_field_text"),
            models.Index(fields=["field", "number"], name="customvalue_field_number"),
            models.Index(fields=["field", "date"], name="customvalue_field_date"),
            models.Index(fields=["field", "boolean"], name="customvalue_field_bool"),
            models.Index(fields=["person", "field"], name="customvalue_person"),
            models.Index(fields=["encounter", "field"], name="customvalue_encounter"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(encounter__isnull=True))
                | (models.Q(person__isnull=True) & models.Q(encounter__isnull=False)),
                name="customvalue_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.field_id}"
