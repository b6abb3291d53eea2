"""Audit event names and access-log reads come from parcours.audit.events:
an unknown name raises at the call, no call passes a bare string, and no
name is listed without being used."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

import parcours
from parcours.audit import services as audit
from parcours.audit.events import Event, Read, event_label, read_label
from parcours.audit.models import AccessLog, AuditEvent

SRC = Path(parcours.__file__).resolve().parent
EVENTS_PY = SRC / "audit" / "events.py"
# Parameter names that carry an event or a read (record, log_access, and wrappers).
NAMED = {"event": Event, "what": Read, "read": Read}


def source_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def parsed() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"), str(p))) for p in source_files()]


def callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def named_positions(trees) -> dict[str, set[int]]:
    """Function name → positions of its ``event``/``what``/``read`` parameter,
    for every function of src taking one (log_web_read and any wrapper)."""
    positions: dict[str, set[int]] = {}
    for _path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                params = [a.arg for a in node.args.posonlyargs + node.args.args]
                if params and params[0] in ("self", "cls"):
                    params = params[1:]
                for index, name in enumerate(params):
                    if name in NAMED:
                        positions.setdefault(node.name, set()).add(index)
    return positions


def is_str(node: ast.AST) -> bool:
    """A non-empty string literal ("" is how a caller says "log nothing")."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value != ""


def test_record_refuses_an_unknown_event_name():
    with pytest.raises(ValueError, match="person.teleport"):
        audit.record(actor=None, event="person.teleport", subject=object())


def test_log_access_and_log_web_read_refuse_an_unknown_read():
    with pytest.raises(ValueError, match="diary"):
        audit.log_access(user=None, persons=[], what="diary", channel="web")
    with pytest.raises(ValueError, match="diary"):
        audit.log_web_read(request=None, person=None, what="diary")


def test_rows_store_the_unchanged_values(world, make_person):
    person = make_person()
    row = audit.record(actor=world.coordinator, event=Event.PERSON_ENROL, subject=person)
    audit.log_access(
        user=world.coordinator, persons=[person], what=Read.IDENTITY_SUMMARY, channel="api"
    )
    assert AuditEvent.objects.filter(pk=row.pk, event="person.enrol").exists()
    assert AccessLog.objects.get(person=person).what == "identity-summary"


def test_every_member_has_a_label_and_unknown_stored_names_show_as_is():
    for member in [*Event, *Read]:
        assert str(member.label).strip(), member
    with translation.override("en"):
        assert event_label(Event.CARE_ASSIGN) == "Assigned to the care team"
        assert read_label("identity") == "Identity"
    with translation.override("fr"):
        assert read_label(Read.IDENTITY) == "Identité"
    assert event_label("legacy.name") == "legacy.name"
    assert read_label("legacy") == "legacy"


def test_no_call_passes_an_event_or_read_as_a_bare_string():
    trees = parsed()
    positions = named_positions(trees)
    values = {e.value for e in Event}
    offences: dict[int, str] = {}  # id of the string node → where and what
    for path, tree in trees:
        where = path.relative_to(SRC)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg in NAMED and is_str(keyword.value):
                        offences[id(keyword.value)] = (
                            f"{where}:{node.lineno} {keyword.arg}={keyword.value.value!r}"
                        )
                for index in positions.get(callee(node) or "", ()):
                    if index < len(node.args) and is_str(node.args[index]):
                        offences[id(node.args[index])] = (
                            f"{where}:{node.lineno} {node.args[index].value!r}"
                        )
            elif path != EVENTS_PY and is_str(node) and node.value in values:
                # an event name spelt out (a filter, a label dict…): use Event.X
                offences.setdefault(id(node), f"{where}:{node.lineno} {node.value!r}")
    assert not offences, (
        "Pass parcours.audit.events.Event / Read members, not strings:\n  "
        + "\n  ".join(sorted(set(offences.values())))
    )


def test_every_event_and_read_is_used_in_src():
    used: set[tuple[str, str]] = set()
    for path, tree in parsed():
        if path == EVENTS_PY:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                used.add((node.value.id, node.attr))
    dead = [f"{cls.__name__}.{m.name}" for cls in (Event, Read) for m in cls]
    dead = [name for name in dead if tuple(name.split(".")) not in used]
    assert not dead, f"listed in parcours/audit/events.py but never used: {dead}"


def test_the_scan_sees_the_calls():
    """Guards the scans above against looking at nothing."""
    trees = parsed()
    assert 2 in named_positions(trees)["log_web_read"]
    keywords = [
        keyword.arg
        for _path, tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg in NAMED
    ]
    assert keywords.count("event") >= len(Event)
    assert keywords.count("what") >= 2
