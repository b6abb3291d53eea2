from parcours.access.checks import check_categories
from parcours.people.models import Alias


def test_all_models_holding_personal_data_declare_a_category():
    assert check_categories() == []


def test_a_model_about_a_person_without_category_fails_the_system_check(monkeypatch):
    monkeypatch.setattr(Alias, "ACCESS_CATEGORY", None)
    errors = check_categories()
    assert [e.id for e in errors] == ["parcours.E001"]
    assert "people.Alias" in errors[0].msg
