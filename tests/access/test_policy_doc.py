from pathlib import Path

from django.core.management import call_command
from django.utils import translation

from parcours.access.docs import audit_names, embedded_names, embedded_table, policy_table
from parcours.access.policy import POLICY, allowed
from parcours.access.terms import Action, Category, Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def test_docs_access_md_matches_the_policy_table_in_code():
    with translation.override("en"):
        assert embedded_table(DOC.read_text(encoding="utf-8")) == policy_table()


def test_docs_access_md_lists_the_audit_events_and_reads_in_code():
    with translation.override("en"):
        assert embedded_names(DOC.read_text(encoding="utf-8")) == audit_names()


def test_access_doc_command_check_passes_on_the_committed_document():
    call_command("access_doc", "--check", "--path", str(DOC))


def test_every_role_has_an_entry_and_admin_reads_no_personal_data():
    assert set(POLICY) == set(Role)
    assert POLICY[Role.ADMIN] == {}


def test_meal_and_advocacy_never_view_names():
    for role in (Role.MEAL, Role.ADVOCACY):
        assert not allowed(role, Category.IDENTITY, Action.VIEW)
        assert allowed(role, Category.IDENTITY, Action.AGGREGATE)


def test_unknown_role_category_or_action_is_denied():
    assert not allowed("superhero", Category.IDENTITY, Action.VIEW)
    assert not allowed(Role.MEDICAL, "dreams", Action.VIEW)
    assert not allowed(Role.MEDICAL, Category.MEDICAL, "delete")
