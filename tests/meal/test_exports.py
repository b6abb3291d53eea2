"""Every export checked by its real validator: libhxl, the ADX schema (lxml),
the documented dataValueSets structure. A missing code: no file."""

import io
import json
import os
from datetime import date
from pathlib import Path

import pytest

from parcours.meal.exports import ExportError, export
from parcours.meal.models import ExportMapping, Indicator, ProjectMapping
from parcours.meal.periods import parse_period
from tests.meal.conftest import local
from tests.meal.fixtures import calais_plan

D = date(2026, 10, 12)
OCT = parse_period("2026-10")
REPO_ROOT = Path(__file__).resolve().parents[2]


def adx_schema_path() -> Path | None:
    candidates = []
    if os.environ.get("PARCOURS_SHARED_DIR"):
        candidates.append(Path(os.environ["PARCOURS_SHARED_DIR"]) / "validators/adx/adx_loose.xsd")
    candidates.append(REPO_ROOT.parent / "shared" / "validators" / "adx" / "adx_loose.xsd")
    # A git worktree lives one level deeper than the main checkout.
    candidates.append(REPO_ROOT.parent.parent / "shared" / "validators" / "adx" / "adx_loose.xsd")
    return next((path for path in candidates if path.exists()), None)


@pytest.fixture
def plan(world, person, encounter):
    ids = calais_plan(world)
    ind = Indicator.objects.get(pk=ids["indicator_id"])
    ExportMapping.objects.create(
        indicator=ind,
        disaggregation={"sex": "female"},
        data_element="deMEDCONS01",
        category_option_combo="cocFEMALE01",
        hxl_tags="+f",
    )
    ExportMapping.objects.create(
        indicator=ind,
        disaggregation={"sex": "male"},
        data_element="deMEDCONS01",
        category_option_combo="cocMALE0001",
    )
    for sex in ["female"] * 7 + ["male"] * 6:
        encounter("medical", local(D), person(sex=sex))
    return ind


def test_hxl_parses_with_libhxl(world, plan):
    import hxl

    content, content_type, name = export("hxl", world.calais, OCT, user=world.meal)
    assert content_type.startswith("text/csv") and name.endswith(".csv")
    dataset = hxl.data(io.BytesIO(content), hxl.InputOptions(allow_local=True))
    tags = [column.display_tag for column in dataset.columns]
    assert "#org" in tags and "#indicator+code" in tags and "#sex" in tags
    rows = list(dataset)
    values = {(r.get("#indicator+code"), r.get("#sex")): r.get("#indicator+value") for r in rows}
    assert values == {
        ("MED-CONS", None): "13",
        ("MED-CONS", "female"): "7",
        ("MED-CONS", "male"): "6",
    }


def _hxl(content: bytes):
    import hxl

    return hxl.data(io.BytesIO(content), hxl.InputOptions(allow_local=True))


def test_hxl_tags_row_carries_each_mappings_attributes(world, plan):
    """A figure's value stands in the value column whose attributes its
    mapping names (``hxl_tags``); the file validates against an HXL schema."""
    import hxl

    content, _type, _name = export("hxl", world.calais, OCT, user=world.meal)
    tags = [column.display_tag for column in _hxl(content).columns]
    assert tags[-2:] == ["#indicator+value+num", "#indicator+value+num+f"]
    by_sex = {
        row.get("#sex"): (row.get("#indicator+value+num", index=0), row.get("#indicator+value+f"))
        for row in _hxl(content)
    }
    # The female cell is mapped "+f"; the male cell and the total have no attributes.
    assert by_sex == {None: ("13", None), "female": ("", "7"), "male": ("6", None)}
    schema = hxl.schema(
        hxl.data(
            [
                ["#valid_tag", "#valid_datatype", "#valid_required"],
                ["#indicator+value", "number", ""],
                ["#indicator+code", "", "true"],
                ["#org", "", "true"],
                ["#date+start", "date", "true"],
            ]
        )
    )
    assert schema.validate(_hxl(content))


def test_hxl_attributes_are_checked(world, plan):
    from django.core.exceptions import ValidationError

    from parcours.meal import services

    with pytest.raises(ValidationError) as refused:
        services.mapping_set(
            actor=world.meal,
            indicator=plan,
            disaggregation={"sex": "male"},
            codes={"hxl_tags": "#m"},
        )
    assert "hxl_tags" in refused.value.message_dict
    saved = services.mapping_set(
        actor=world.meal,
        indicator=plan,
        disaggregation={"sex": "male"},
        codes={"data_element": "deMEDCONS01", "hxl_tags": " +M +Adult"},
    )
    assert saved.hxl_tags == "+m+adult"
    # A value stored before the check: the export names it and writes nothing.
    ExportMapping.objects.filter(pk=saved.pk).update(hxl_tags="m adult")
    with pytest.raises(ExportError) as error:
        export("hxl", world.calais, OCT, user=world.meal)
    assert "MED-CONS (sex=male): m adult" in str(error.value)


def test_adx_validates_against_the_schema(world, plan):
    from lxml import etree

    xsd = adx_schema_path()
    if xsd is None:
        pytest.skip("ADX schema not found in ../shared/validators/adx/ nor $PARCOURS_SHARED_DIR")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    content, _type, _name = export("adx", world.calais, OCT, user=world.meal)
    document = etree.fromstring(content)
    schema.assertValid(document)
    ns = {"adx": "urn:ihe:qrph:adx:2015"}
    [group] = document.findall("adx:group", ns)
    assert group.get("period") == "2026-10-01/P1M" and group.get("orgUnit") == "ouCALAIS001"
    values = sorted((v.get("SEX", ""), v.get("value")) for v in group.findall("adx:dataValue", ns))
    assert values == [("", "13"), ("FEMALE", "7"), ("MALE", "6")] or values == [
        ("", "13"),
        ("female", "7"),
        ("male", "6"),
    ]


def test_datavaluesets_structure(world, plan):
    for code, dhis2 in (("2026-10", "202610"), ("2026-Q4", "2026Q4"), ("2026", "2026")):
        content, content_type, _name = export(
            "datavaluesets", world.calais, parse_period(code), user=world.meal
        )
        body = json.loads(content)
        assert set(body) >= {"dataValues"}
        for value in body["dataValues"]:
            assert set(value) == {
                "dataElement",
                "period",
                "orgUnit",
                "categoryOptionCombo",
                "value",
            }
            assert value["period"] == dhis2
            assert all(isinstance(v, str) and v for v in value.values())
            float(value["value"])
        assert len(body["dataValues"]) == 3


def test_outside_the_organisation_small_cells_are_left_out(world, plan, encounter, person):
    content, _type, _name = export("datavaluesets", world.calais, OCT, user=world.advocacy)
    body = json.loads(content)
    # 13 persons: the total is shown; 7 women and 6 men too (none under 5).
    assert len(body["dataValues"]) == 3
    ExportMapping.objects.create(
        indicator=plan, disaggregation={"sex": "other"}, data_element="x", category_option_combo="y"
    )
    for _ in range(2):
        encounter("medical", local(D), person(sex="other"))
    content, _type, _name = export("hxl", world.calais, OCT, user=world.advocacy)
    assert b"<5" in content


def test_missing_code_names_what_is_missing(world, plan):
    ProjectMapping.objects.filter(project=world.calais).update(org_unit="")
    ExportMapping.objects.filter(disaggregation={"sex": "male"}).update(category_option_combo="")
    with pytest.raises(ExportError) as error:
        export("datavaluesets", world.calais, OCT, user=world.meal)
    assert any("organisation unit" in m for m in error.value.missing)
    assert any("sex=male" in m and "category option combo" in m for m in error.value.missing)


def test_missing_code_in_the_api_gives_no_file(world, plan, api_as):
    ProjectMapping.objects.filter(project=world.calais).update(dataset="")
    response = api_as(world.meal).get(
        f"/api/v1/meal/exports/adx?project={world.calais.pk}&period=2026-10"
    )
    assert response.status_code == 409
    assert response.json()["missing"]
    response = api_as(world.meal).get(
        f"/api/v1/meal/exports/hxl?project={world.calais.pk}&period=2026-10"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"#indicator+code" in response.content


def test_range_period_has_no_dhis2_code(world, plan):
    with pytest.raises(ExportError):
        export(
            "datavaluesets", world.calais, parse_period("2026-10-01..2026-10-15"), user=world.meal
        )
