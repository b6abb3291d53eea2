"""The MEAL plan of a project: its logframe, its indicators and their values.

The logframe (cadre logique) is a tree: one general objective, specific
objectives (operational or influence/advocacy), expected results and
activities. Indicators attach to any level. A computed indicator is defined
by data (a fact, a measure, filters, allowed disaggregations) and counted by
``parcours.meal.engine``; manual and narrative indicators keep what people
type per period. None of these rows is about a person: no name, no person id.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    GOAL = "goal", _("General objective")
    SPECIFIC = "specific", _("Specific objective")
    RESULT = "result", _("Expected result")
    ACTIVITY = "activity", _("Activity")


# The level a child of each level has.
CHILD_LEVEL = {
    Level.GOAL: Level.SPECIFIC,
    Level.SPECIFIC: Level.RESULT,
    Level.RESULT: Level.ACTIVITY,
}
LEVEL_ORDER = [Level.GOAL, Level.SPECIFIC, Level.RESULT, Level.ACTIVITY]


class ObjectiveKind(models.TextChoices):
    NONE = "", _("—")
    OPERATIONAL = "operational", _("Operational")
    INFLUENCE = "influence", _("Influence / advocacy")


class Objective(models.Model):
    """One box of the logframe."""

    NOT_PERSONAL_DATA_BECAUSE = "a project's plan: no person"

    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ObjectiveKind.choices, blank=True, default=""
    )
    code = models.CharField(_("code"), max_length=20)
    narrative = models.TextField(_("narrative"))
    assumptions = models.TextField(_("assumptions"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "order", "code", "id"]
        verbose_name = _("logframe objective")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="meal_objective_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.narrative[:60]}"


class IndicatorType(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the records")
    MANUAL = "manual", _("Value typed per period")
    NARRATIVE = "narrative", _("Text per period")


class Measure(models.TextChoices):
    COUNT = "count", _("Number of records")
    PERSONS = "persons", _("Number of distinct persons")
    SUM = "sum", _("Sum of a field")
    RATIO = "ratio", _("Ratio (numerator / denominator, as %)")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Indicator(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "a definition and its figures: no person"

    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("logframe level"),
    )
    code = models.CharField(
        _("code"), max_length=24, help_text=_("Capitals, digits and dashes, e.g. MED-CONS.")
    )
    # One of the two names at least (the services check it).
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    type = models.CharField(
        _("type"), max_length=12, choices=IndicatorType.choices, default=IndicatorType.QUANTITATIVE
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.COMPUTED
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    source = models.CharField(_("source of verification"), max_length=200, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    owner = models.CharField(_("responsible"), max_length=120, blank=True)
    # --- the computed definition (kind = computed) ---
    fact = models.CharField(_("what is counted"), max_length=40, blank=True)
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, blank=True, default=Measure.COUNT
    )
    field = models.CharField(_("field summed"), max_length=60, blank=True)
    # [{"field": "morbidity", "op": "eq", "value": "scabies"}, …]
    filters = models.JSONField(_("filters"), default=list, blank=True)
    # For a ratio: {"fact", "measure", "field", "filters"} each.
    numerator = models.JSONField(_("numerator"), default=dict, blank=True)
    denominator = models.JSONField(_("denominator"), default=dict, blank=True)
    disaggregations = models.JSONField(_("allowed disaggregations"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "order", "code"]
        verbose_name = _("indicator")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="meal_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en"):
            return self.name_en or self.name_fr
        return self.name_fr or self.name_en

    @property
    def is_computed(self) -> bool:
        return self.kind == IndicatorKind.COMPUTED

    @property
    def is_ratio(self) -> bool:
        return self.is_computed and self.measure == Measure.RATIO

    def definition_dict(self) -> dict:
        """The computed definition as data (what the engine reads)."""
        return {
            "fact": self.fact,
            "measure": self.measure,
            "field": self.field,
            "filters": list(self.filters or []),
            "numerator": dict(self.numerator or {}),
            "denominator": dict(self.denominator or {}),
        }


class Target(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "a planned figure"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("period"), max_length=24)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="meal_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"


class ManualValue(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "a figure typed for a period"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_values")
    period = models.CharField(_("period"), max_length=24)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="meal_manual_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"


class NarrativeValue(models.Model):
    NOT_PERSONAL_DATA_BECAUSE = "a text about a period, written without names"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="narrative_values"
    )
    period = models.CharField(_("period"), max_length=24)
    text = models.TextField(_("text"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="meal_narrative_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}"


class ExportMapping(models.Model):
    """External codes of an indicator, or of one of its disaggregation cells.

    ``disaggregation`` is {} for the indicator's total, else the cell's
    dimension values, e.g. {"sex": "female", "age_group": "18-59"}.
    """

    NOT_PERSONAL_DATA_BECAUSE = "codes of an external system"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="mappings")
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    data_element = models.CharField(_("DHIS2 data element"), max_length=40, blank=True)
    category_option_combo = models.CharField(
        _("DHIS2 category option combo"), max_length=40, blank=True
    )
    org_unit = models.CharField(_("DHIS2 organisation unit"), max_length=40, blank=True)
    dataset = models.CharField(_("ADX data set"), max_length=40, blank=True)
    hxl_tags = models.CharField(
        _("HXL attributes"), max_length=120, blank=True, help_text=_("e.g. +code or +f+adult")
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["indicator", "id"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.disaggregation}"

    @property
    def key(self) -> tuple:
        return tuple(sorted((self.disaggregation or {}).items()))


class ProjectMapping(models.Model):
    """A project's codes in the external systems (one per project)."""

    NOT_PERSONAL_DATA_BECAUSE = "codes of an external system"

    project = models.OneToOneField(
        "org.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    org_unit = models.CharField(_("DHIS2 organisation unit"), max_length=40, blank=True)
    dataset = models.CharField(_("ADX / DHIS2 data set"), max_length=40, blank=True)
    hxl_org = models.CharField(_("organisation (#org)"), max_length=120, blank=True)
    hxl_adm1 = models.CharField(_("region (#adm1)"), max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.project_id} {self.org_unit}"


# --- figures kept between requests (meal/cache.py) ------------------------------


class MonthStamp(models.Model):
    """A project-month's stamp: a fresh token each time a record counted in
    that month is written (meal/invalidation.py). A kept figure is valid
    while the tokens of its months are those it was counted under."""

    NOT_PERSONAL_DATA_BECAUSE = "a project, a month and a random token"

    project = models.ForeignKey("org.Project", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the local month
    token = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="meal_monthstamp_unique")
        ]


class KeptCount(models.Model):
    """Aggregate cells of one counted side (fact, measure, filters) for one
    project and one past period: dimension codes and numbers, never a
    person. Read only through the engine, after its access decisions."""

    NOT_PERSONAL_DATA_BECAUSE = "aggregate counts per dimension code"

    key = models.CharField(max_length=64, unique=True)  # sha256 of what was counted
    project = models.ForeignKey("org.Project", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()  # first day of the first month counted
    stamps = models.CharField(max_length=64)  # digest of the months' tokens then
    cells = models.JSONField()  # [[dimension codes…, value, persons], …]
    counted_at = models.DateTimeField(auto_now=True)
