"""The directory as CSV and GeoJSON, out and in. Reading a file gives
(row number, values) pairs for services.services_import, which checks every
row and saves nothing when one is bad."""

import csv
import io
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parcours.lib.spreadsheets import FORMULA_STARTS, safe_cell
from parcours.network.choices import WEEKDAYS
from parcours.network.hours import day_text

MAX_ROWS = 5000
CSV_COLUMNS = [
    "id",
    "name",
    "type",
    "address",
    "city",
    "latitude",
    "longitude",
    *(f"hours_{day}" for day in WEEKDAYS),
    "languages",
    "eligibility",
    "phone",
    "email",
    "website",
    "contact",
    "notes",
    "last_verified_on",
]


def _properties(service) -> dict:
    return {
        "id": service.pk,
        "name": service.name,
        "type": service.type,
        "type_label": str(service.get_type_display()),
        "address": service.address,
        "city": service.city,
        "opening_hours": service.opening_hours,
        "languages": service.languages,
        "eligibility": service.eligibility,
        "phone": service.phone,
        "email": service.email,
        "website": service.website,
        "contact": service.contact,
        "notes": service.notes,
        "last_verified_on": (
            service.last_verified_on.isoformat() if service.last_verified_on else None
        ),
        "needs_verification": service.needs_verification(),
    }


def feature_collection(services) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946: [longitude, latitude]); an
    entry without coordinates is a feature with a null geometry."""
    features = []
    for service in services:
        geometry = None
        if service.latitude is not None and service.longitude is not None:
            geometry = {
                "type": "Point",
                "coordinates": [float(service.longitude), float(service.latitude)],
            }
        features.append(
            {"type": "Feature", "geometry": geometry, "properties": _properties(service)}
        )
    return {"type": "FeatureCollection", "features": features}


def csv_text(services) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for service in services:
        row = {
            "id": service.pk,
            "latitude": "" if service.latitude is None else str(service.latitude),
            "longitude": "" if service.longitude is None else str(service.longitude),
            "languages": ", ".join(service.languages),
            "eligibility": ", ".join(service.eligibility),
            "last_verified_on": (
                service.last_verified_on.isoformat() if service.last_verified_on else ""
            ),
        }
        for day in WEEKDAYS:
            row[f"hours_{day}"] = day_text(service.opening_hours, day)
        for name in (
            "name",
            "type",
            "address",
            "city",
            "phone",
            "email",
            "website",
            "contact",
            "notes",
        ):
            row[name] = safe_cell(getattr(service, name))
        writer.writerow([row[c] for c in CSV_COLUMNS])
    return out.getvalue()


def _unescape(value: str) -> str:
    """Undo the apostrophe an export puts before text that looks like a formula."""
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def read_csv(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise ValidationError(_("The CSV file needs a header row with at least a “name” column."))
    rows = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationError(_("At most %(n)d entries per file.") % {"n": MAX_ROWS})
        values = {k: _unescape((v or "").strip()) for k, v in row.items() if k}
        if not any(values.values()):
            continue
        values["opening_hours"] = {day: values.pop(f"hours_{day}", "") for day in WEEKDAYS}
        rows.append((number, values))
    return rows


def read_geojson(text: str) -> list[tuple[int, dict]]:
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError(_("The file is not valid JSON.")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(_("The GeoJSON file must hold a FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise ValidationError(_("The FeatureCollection has no list of features."))
    if len(features) > MAX_ROWS:
        raise ValidationError(_("At most %(n)d entries per file.") % {"n": MAX_ROWS})
    rows = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        values = dict(properties) if isinstance(properties, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict):
            coordinates = geometry.get("coordinates")
            if geometry.get("type") != "Point" or not (
                isinstance(coordinates, list) and len(coordinates) >= 2
            ):
                values["latitude"] = "?"
                values["longitude"] = "?"
            else:
                values["longitude"], values["latitude"] = coordinates[0], coordinates[1]
        values.pop("type_label", None)
        values.pop("needs_verification", None)
        rows.append((number, values))
    return rows


def read_upload(upload) -> list[tuple[int, dict]]:
    """(row number, values) of an uploaded CSV or GeoJSON file."""
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file must be UTF-8 text.")) from None
    name = (upload.name or "").lower()
    if name.endswith((".geojson", ".json")) or text.lstrip().startswith("{"):
        return read_geojson(text)
    return read_csv(text)
