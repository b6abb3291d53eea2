"""XLSForm: import (checked by pyxform, mapped, reported), export, round trip."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from pyxform.xls2xform import convert

from parcours.customfields import services, xlsform
from parcours.customfields.models import CustomField

HEAD = ["type", "name", "label::Français (fr)", "label::English (en)", "relevant", "constraint"]
HEAD += ["required", "appearance", "hint::English (en)", "calculation"]


def book(survey, choices=(), head=HEAD) -> bytes:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "survey"
    sheet.append(head)
    for row in survey:
        sheet.append(row)
    sheet = wb.create_sheet("choices")
    sheet.append(["list_name", "name", "label::Français (fr)", "label::English (en)"])
    for row in choices:
        sheet.append(row)
    sheet = wb.create_sheet("settings")
    sheet.append(["form_title", "form_id"])
    sheet.append(["Test", "test"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FORM = book(
    [
        ["note", "intro", "Questions du programme", "Programme questions"],
        ["select_one yn", "housed", "Logé ?", "Housed?"],
        ["select_one housing", "housing_kind", "Type", "Kind", "${housed} = 'yes'"],
        ["begin_group", "family", "Famille", "Family"],
        ["integer", "children", "Enfants", "Children", "", ". >= 0 and . <= 20", "yes"],
        ["decimal", "income", "Revenu", "Income"],
        ["date", "arrived_on", "Arrivée", "Arrival"],
        ["text", "story", "Récit", "Story", "", "", "", "multiline"],
        ["select_multiple needs", "needs_list", "Besoins", "Needs"],
        ["end_group"],
        ["calculate", "total", "", "", "", "", "", "", "", "${children} + 1"],
        ["begin_repeat", "members", "Membres", "Members"],
        ["text", "member_name", "Nom", "Name"],
        ["end_repeat"],
        ["image", "photo", "Photo", "Photo"],
    ],
    [
        ["yn", "yes", "Oui", "Yes"],
        ["yn", "no", "Non", "No"],
        ["housing", "hotel", "Hôtel", "Hotel"],
        ["housing", "family", "Famille", "Family"],
        ["needs", "food", "Nourriture", "Food"],
        ["needs", "shelter", "Abri", "Shelter"],
    ],
)


def test_import_maps_the_supported_subset_and_reports_the_rest(world):
    report = xlsform.import_form(
        actor=world.coordinator, project=world.calais, target="person", content=FORM, dry_run=False
    )
    assert report["errors"] == []
    assert [c["code"] for c in report["created"]] == [
        "housed",
        "housing_kind",
        "children",
        "income",
        "arrived_on",
        "story",
        "needs_list",
    ]
    fields = {f.code: f for f in CustomField.objects.all()}
    assert fields["housed"].type == "yes_no"
    assert fields["housed"].help_en == "Questions du programme"  # the note before it
    assert fields["housing_kind"].relevant_field == fields["housed"]
    assert fields["housing_kind"].relevant_values == ["yes"]
    assert (fields["children"].min_value, fields["children"].max_value) == (0, 20)
    assert fields["children"].required and fields["children"].section == "Famille"
    assert fields["story"].type == "long_text"
    assert fields["needs_list"].type == "multiple_choice"
    unsupported = {u["name"]: u["reason"] for u in report["unsupported"]}
    assert set(unsupported) == {"total", "members", "member_name", "photo"}
    assert "Repeats" in unsupported["members"]


def test_dry_run_writes_nothing(world):
    report = xlsform.import_form(
        actor=world.coordinator, project=world.calais, target="person", content=FORM, dry_run=True
    )
    assert len(report["created"]) == 7 and not CustomField.objects.exists()


def _errors(world, content) -> list[str]:
    report = xlsform.import_form(
        actor=world.coordinator,
        project=world.calais,
        target="person",
        content=content,
        dry_run=False,
    )
    assert not CustomField.objects.exists()
    return [e["message"] for e in report["errors"]]


def test_bad_files_are_refused_with_a_clear_message_and_change_nothing(world):
    duplicate = book([["text", "a_name", "A", "A"], ["text", "a_name", "B", "B"]])
    assert "unique" in _errors(world, duplicate)[0]
    no_list = book(
        [["select_one nowhere", "colour", "Couleur", "Colour"]], [["yn", "yes", "Oui", "Yes"]]
    )
    assert "nowhere" in _errors(world, no_list)[0]
    bad_relevant = book([["text", "a_name", "A", "A", "${ghost} = 'x'"]])
    assert "ghost" in _errors(world, bad_relevant)[0]
    builtin = book([["date", "birth_date", "Naissance", "Birth"], ["text", "ok_one", "A", "A"]])
    assert "built-in" in _errors(world, builtin)[0]
    assert _errors(world, b"not a spreadsheet")
    # The same name in two groups is fine for ODK, not for one form's codes.
    two_groups = book(
        [
            ["begin_group", "g1", "G1", "G1"],
            ["text", "same", "A", "A"],
            ["end_group"],
            ["begin_group", "g2", "G2", "G2"],
            ["text", "same", "B", "B"],
            ["end_group"],
        ]
    )
    assert "already used" in _errors(world, two_groups)[0]


def test_round_trip_import_export_converts_with_pyxform(world):
    xlsform.import_form(
        actor=world.coordinator, project=world.calais, target="person", content=FORM, dry_run=False
    )
    exported = xlsform.export_form(world.calais, "person")
    result = convert(exported, file_type=".xlsx", form_name="data")
    assert "housing_kind" in result.xform
    # And back again into another project: the same fields.
    other = services.form_fields(world.calais.pk, "person")
    from parcours.accounts.models import Membership, User

    Membership.objects.create(user=world.coordinator, project=world.dunkerque, role="coordinator")
    report = xlsform.import_form(
        actor=User.objects.get(pk=world.coordinator.pk),  # memberships are cached per user object
        project=world.dunkerque,
        target="person",
        content=exported,
        dry_run=False,
    )
    assert report["errors"] == [] and report["unsupported"] == []
    again = services.form_fields(world.dunkerque.pk, "person")
    shape = [(f.code, f.type, f.required, f.relevant_values, f.section) for f in other]
    assert shape == [(f.code, f.type, f.required, f.relevant_values, f.section) for f in again]


def test_api_import_and_export(world, api_as, client):
    api = api_as(world.coordinator)
    url = f"/api/v1/projects/{world.calais.pk}/xlsform?target=person&dry_run=false"
    upload = SimpleUploadedFile("form.xlsx", FORM)
    response = api.client.post(url, {"file": upload}, **api.headers)
    assert response.status_code == 200
    assert len(response.json()["created"]) == 7 and response.json()["dry_run"] is False
    response = api.client.get(
        f"/api/v1/projects/{world.calais.pk}/xlsform?target=person", **api.headers
    )
    assert response.status_code == 200
    convert(response.content, file_type=".xlsx", form_name="data")
    assert (
        api_as(world.referent)
        .client.get(
            f"/api/v1/projects/{world.calais.pk}/xlsform?target=person",
            **api_as(world.referent).headers,
        )
        .status_code
        == 404
    )


def test_import_page_previews_then_imports(world, login):
    client = login(world.coordinator)
    url = f"/custom-fields/{world.calais.pk}/person/xlsform/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("f.xlsx", FORM)})
    page = response.content.decode()
    assert response.status_code == 200 and "housing_kind" in page and "Repeats" in page
    assert not CustomField.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("f.xlsx", FORM), "confirm": "1"})
    assert response.status_code == 302
    assert CustomField.objects.count() == 7
    export = client.get(f"/custom-fields/{world.calais.pk}/person/xlsform.xlsx")
    assert export.status_code == 200
