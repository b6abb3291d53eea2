"""Exports in the humanitarian formats: HXL CSV, DHIS2 ADX XML, DHIS2
dataValueSets JSON, from the project's indicators and the mapping set in
the app (``ExportMapping``, ``ProjectMapping``).

A file is written whole or not at all: a missing code raises
``ExportError`` naming every missing code. Figures meant to leave the
organisation (``outside=True``) have their small cells suppressed:
suppressed cells are left out of the DHIS2 files and written "<5" in HXL.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.access.module_scopes import figure_categories
from parcours.meal import engine
from parcours.meal.models import (
    ExportMapping,
    Indicator,
    IndicatorKind,
    IndicatorType,
    ProjectMapping,
)
from parcours.meal.periods import Period

# DHIS2's built-in "default" category option combo (an undisaggregated value).
DHIS2_DEFAULT_COC = "HllvX50cXC0"
FORMATS = ("hxl", "adx", "datavaluesets")
ADX_NS = "urn:ihe:qrph:adx:2015"
CONTENT_TYPES = {
    "hxl": "text/csv; charset=utf-8",
    "adx": "application/adx+xml; charset=utf-8",
    "datavaluesets": "application/json",
}
EXTENSIONS = {"hxl": "csv", "adx": "adx.xml", "datavaluesets": "json"}

# HXL hashtag of each dimension (https://hxlstandard.org/standard/dictionary/).
HXL_DIMENSIONS = {
    "sex": "#sex",
    "age_group": "#age",
    "minor_adult": "#age+group",
    "nationality": "#country+code+origin",
    "new_followup": "#indicator+type",
    "site": "#loc+name",
    "activity": "#activity+code",
    "discipline": "#sector",
}


VALUE_TAG = "#indicator+value+num"
_HXL_ATTRIBUTES = re.compile(r"^(\+[a-z][a-z0-9_]*)+$")


def hxl_attributes(text: str) -> str | None:
    """The HXL attributes of a mapping as written in a hashtag ("+f+adult"),
    or None when they are not attributes (the HXL standard: "+", a letter,
    then letters, digits or "_"; case does not matter)."""
    attributes = re.sub(r"\s+", "", text or "").lower()
    if not attributes:
        return ""
    return attributes if _HXL_ATTRIBUTES.match(attributes) else None


class ExportError(ValueError):
    """The export cannot be written; ``missing`` lists what is missing."""

    def __init__(self, message: str, missing: list[str] | None = None):
        self.missing = missing or []
        super().__init__(message)


@dataclass
class Row:
    indicator: Indicator
    cell: dict  # dimension values ({} for the total)
    value: object  # number, or None
    shown: str  # as written where a text is allowed ("<5")
    suppressed: bool
    mapping: ExportMapping | None


def _cell_key(cell: dict) -> tuple:
    return tuple(sorted(cell.items()))


def collect(project, period: Period, *, user, outside=False) -> tuple[list[Row], ProjectMapping]:
    """The rows of an export: every quantitative indicator of the project the
    user may read, its total and the cells its mappings name."""
    exact, small = figure_categories(user, project)
    if not exact and not small:
        raise PermissionDenied
    project_mapping = ProjectMapping.objects.filter(project=project).first() or ProjectMapping(
        project=project
    )
    indicators = [
        ind
        for ind in engine.project_indicators(project)
        if ind.kind in (IndicatorKind.COMPUTED, IndicatorKind.MANUAL)
        and ind.type == IndicatorType.QUANTITATIVE
        and engine.may_read(user, ind)
    ]
    if not indicators:
        raise PermissionDenied
    mappings: dict[int, dict[tuple, ExportMapping]] = {}
    for mapping in ExportMapping.objects.filter(indicator__in=indicators):
        mappings.setdefault(mapping.indicator_id, {})[mapping.key] = mapping
    dims_of = {
        ind.pk: sorted({k for key in mappings.get(ind.pk, {}) for k, _v in key})
        for ind in indicators
    }
    rows: list[Row] = []
    # Counted together; an indicator that cannot be computed is left out.
    for result in engine.compute_many(
        indicators, period, user=user, outside=outside, disaggregate=lambda i: dims_of[i.pk]
    ):
        ind = result.indicator
        own, dims = mappings.get(ind.pk, {}), dims_of[ind.pk]
        rows.append(
            Row(
                ind,
                {},
                result.total,
                result.total_display if result.total is not None or result.total_suppressed else "",
                result.total_suppressed,
                own.get(()),
            )
        )
        for cell in result.values:
            key = tuple(sorted((d, cell[d]) for d in dims))
            if key not in own:
                continue  # a cell the mapping does not ask for
            rows.append(
                Row(
                    ind,
                    {d: cell[d] for d in dims},
                    cell["value"],
                    cell["display"],
                    cell["suppressed"],
                    own[key],
                )
            )
    return rows, project_mapping


def _describe(row: Row) -> str:
    if not row.cell:
        return row.indicator.code
    return f"{row.indicator.code} ({', '.join(f'{k}={v}' for k, v in sorted(row.cell.items()))})"


def _require(missing: list[str]) -> None:
    if missing:
        raise ExportError(
            _("The export needs codes that are not set: %(missing)s.")
            % {"missing": "; ".join(missing[:30]) + ("…" if len(missing) > 30 else "")},
            missing,
        )


def _number_text(value) -> str:
    number = engine._number(value)
    return "" if number is None else str(number)


# --- HXL -------------------------------------------------------------------------


def _value_tags(rows: list[Row]) -> dict[int, str]:
    """{row index: hashtag of the column its value is written in}: the
    value column, with the attributes of the row's mapping (``hxl_tags``,
    e.g. ``#indicator+value+num+f``); ExportError naming any that are not
    HXL attributes."""
    tags, bad = {}, []
    for i, row in enumerate(rows):
        written = row.mapping.hxl_tags if row.mapping is not None else ""
        attributes = hxl_attributes(written)
        if attributes is None:
            bad.append(f"{_describe(row)}: {written}")
            continue
        tags[i] = VALUE_TAG + attributes
    if bad:
        raise ExportError(
            _("These HXL attributes are not valid (e.g. +f+adult): %(bad)s.")
            % {"bad": "; ".join(bad[:30])},
            bad,
        )
    return tags


def to_hxl(rows: list[Row], project_mapping: ProjectMapping, project, period: Period) -> str:
    """One row per figure under a header and a hashtag row; a figure's value
    stands in the value column whose attributes its mapping names (one
    column per set of attributes, the plain value column first)."""
    missing = []
    if not project_mapping.hxl_org:
        missing.append(_("%(project)s: organisation (#org)") % {"project": project.code})
    _require(missing)
    value_tags = _value_tags(rows)
    columns = list(dict.fromkeys([VALUE_TAG, *value_tags.values()]))
    dims = sorted({d for row in rows for d in row.cell})
    header = ["Organisation", "Region", "Project", "Period start", "Period end", "Indicator"]
    header += ["Indicator name", *[str(d) for d in dims]]
    header += ["Value" + tag[len(VALUE_TAG) :].replace("+", " +") for tag in columns]
    tags = ["#org", "#adm1", "#loc+project", "#date+start", "#date+end", "#indicator+code"]
    tags += ["#indicator+name", *[HXL_DIMENSIONS[d] for d in dims], *columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(tags)
    for i, row in enumerate(rows):
        value = row.shown if row.suppressed else _number_text(row.value)
        writer.writerow(
            [
                project_mapping.hxl_org,
                project_mapping.hxl_adm1,
                project.code,
                period.start.isoformat(),
                period.end.isoformat(),
                row.indicator.code,
                row.indicator.name_en or row.indicator.name_fr,
                *[row.cell.get(d, "") for d in dims],
                *[value if tag == value_tags[i] else "" for tag in columns],
            ]
        )
    return out.getvalue()


# --- DHIS2 -------------------------------------------------------------------------


def _dhis2_rows(rows: list[Row], project_mapping: ProjectMapping, project, *, need_coc: bool):
    missing = []
    if not project_mapping.org_unit:
        missing.append(_("%(project)s: organisation unit") % {"project": project.code})
    for row in rows:
        if row.mapping is None:
            if not row.cell:
                missing.append(_("%(what)s: data element") % {"what": _describe(row)})
            continue
        if not (row.mapping.data_element):
            missing.append(_("%(what)s: data element") % {"what": _describe(row)})
        if need_coc and row.cell and not row.mapping.category_option_combo:
            missing.append(_("%(what)s: category option combo") % {"what": _describe(row)})
    _require(missing)
    # Suppressed and empty figures are left out (a DHIS2 value is a number).
    return [
        row
        for row in rows
        if row.mapping is not None and not row.suppressed and row.value is not None
    ]


def to_adx(rows: list[Row], project_mapping: ProjectMapping, project, period: Period) -> bytes:
    if not project_mapping.dataset:
        _require([_("%(project)s: data set") % {"project": project.code}])
    kept = _dhis2_rows(rows, project_mapping, project, need_coc=False)
    if not kept:
        raise ExportError(_("There is no figure to export for this period."))
    ET.register_namespace("", ADX_NS)
    root = ET.Element(
        f"{{{ADX_NS}}}adx", {"exported": timezone.now().replace(microsecond=0).isoformat()}
    )
    group = ET.SubElement(
        root,
        f"{{{ADX_NS}}}group",
        {
            "orgUnit": project_mapping.org_unit,
            "period": period.iso_interval,
            "dataSet": project_mapping.dataset,
        },
    )
    for row in kept:
        attributes = {"dataElement": row.mapping.data_element}
        for dimension, value in sorted(row.cell.items()):
            attributes[dimension.upper()] = str(value)
        if row.mapping.category_option_combo:
            attributes["categoryOptionCombo"] = row.mapping.category_option_combo
        attributes["value"] = _number_text(row.value)
        ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attributes)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_datavaluesets(rows, project_mapping: ProjectMapping, project, period: Period) -> str:
    if period.dhis2 is None:
        raise ExportError(
            _("DHIS2 has no period for a range of days: choose a month, a quarter or a year.")
        )
    kept = _dhis2_rows(rows, project_mapping, project, need_coc=True)
    body = {
        "dataSet": project_mapping.dataset or None,
        "period": period.dhis2,
        "orgUnit": project_mapping.org_unit,
        "dataValues": [
            {
                "dataElement": row.mapping.data_element,
                "period": period.dhis2,
                "orgUnit": row.mapping.org_unit or project_mapping.org_unit,
                "categoryOptionCombo": row.mapping.category_option_combo or DHIS2_DEFAULT_COC,
                "value": _number_text(row.value),
            }
            for row in kept
        ],
    }
    if body["dataSet"] is None:
        del body["dataSet"]
    return json.dumps(body, ensure_ascii=False, indent=1)


def export(fmt: str, project, period: Period, *, user, outside=False) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an export; ExportError when a
    code is missing, PermissionDenied when the user reads no figure there."""
    if fmt not in FORMATS:
        raise ExportError(_("Unknown export format."))
    rows, project_mapping = collect(project, period, user=user, outside=outside)
    if fmt == "hxl":
        content = to_hxl(rows, project_mapping, project, period).encode("utf-8")
    elif fmt == "adx":
        content = to_adx(rows, project_mapping, project, period)
    else:
        content = to_datavaluesets(rows, project_mapping, project, period).encode("utf-8")
    name = f"{project.code}-{period.code.replace('..', '_')}.{EXTENSIONS[fmt]}"
    return content, CONTENT_TYPES[fmt], name
