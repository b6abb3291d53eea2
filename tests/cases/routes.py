"""Access rules of the cases/ pages, for the authorisation-matrix test
(tests/test_authorisation_matrix.py imports CASES_ROUTES, CASES_RULES and
cases_targets).

The target pathway is a safe-abortion pathway (medical) of the Calais
person, started by the doctor; the target case is opened by the social
worker (its worker), with a task owned by the psychologist and a
conference where the social worker and the psychologist took part.
"""

CASES_ROUTES = {
    "cases:person": "identity.view",
    # Starting a pathway: who records its category and sees it in full for
    # the person (safe abortion: medical; sexual violence: the care team).
    "cases:pathway_start": "medical.create",
    "cases:pathway": "medical.view",
    "cases:step_done": "medical.edit",
    "cases:pathway_close": "medical.edit",
    # The project's open pathways: rows filtered per category (see views).
    "cases:pathways": "identity.view",
    "cases:case_open": "case_manager",
    "cases:case": "case_team",
    "cases:case_edit": "case_manager",
    "cases:case_close": "case_manager",
    "cases:goal_add": "case_manager",
    "cases:task_add": "case_manager",
    "cases:conference_new": "case_manager",
    "cases:contribute": "conference_participant",
    "cases:task_update": "case_team",
    "cases:caseload": "caseload",
    "cases:protocols": "project_member",
    "cases:protocol": "project_member",
    "cases:protocol_download": "project_member",
    "cases:protocol_new": "protocol_editor",
    "cases:protocol_version": "protocol_editor",
    "cases:lessons": "lessons",
    "cases:lesson_new": "lessons",
    "cases:lessons_xlsx": "lessons",
    "cases:lessons_docx": "lessons",
}

_CASE_MANAGERS = {"coordinator", "social_worker", "referent"}
_EVERY_MEMBER = {
    "admin", "coordinator", "doctor", "psychologist", "social_worker", "lawyer", "outreach",
    "reception", "meal", "safeguarding", "advocacy", "referent", "dunkerque_doctor",
    "logistics",
}  # fmt: skip

# Rules that are not one policy cell: who passes them among the personas.
CASES_RULES = {
    "case_manager": _CASE_MANAGERS,
    # The managers of the project, and who takes part (the task's owner).
    "case_team": _CASE_MANAGERS | {"psychologist"},
    "conference_participant": {"social_worker", "psychologist"},
    "caseload": {"coordinator", "referent"},
    "project_member": _EVERY_MEMBER,
    "protocol_editor": {"coordinator", "referent"},
    # Every member of the project except the system administrator.
    "lessons": _EVERY_MEMBER - {"admin", "dunkerque_doctor"},
}


def cases_targets(world, person) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from parcours.cases import casework, library, pathways

    pathway = pathways.pathway_start(
        actor=world.doctor,
        person=person,
        kind="safe_abortion",
        project=world.calais,
        event_at=timezone.now() - timedelta(hours=2),
        gestational_weeks=9,
    )
    case = casework.case_open(
        actor=world.social_worker,
        person=person,
        project=world.calais,
        worker=world.social_worker,
        risk_level="high",
        needs=["housing"],
    )
    task = casework.task_create(
        actor=world.social_worker,
        case=case,
        title="Follow-up",
        owner=world.psychologist,
        due_on=timezone.localdate(),
    )
    conference = casework.conference_record(
        actor=world.social_worker,
        case=case,
        held_on=timezone.localdate(),
        participants=[world.social_worker, world.psychologist],
        decisions="Shelter",
    )
    protocol = library.protocol_create(
        actor=world.referent,
        code="safe-abortion-sop",
        title="Safe abortion SOP",
        owner=world.referent,
        valid_from=timezone.localdate(),
        review_on=timezone.localdate() + timedelta(days=365),
        body="# SOP",
    )
    return {
        "pathway_id": pathway.pk,
        "key": "information",
        "case_id": case.pk,
        "task_id": task.pk,
        "conference_id": conference.pk,
        "protocol_id": protocol.pk,
        "version_id": protocol.current.pk,
    }


# --- the API (merged into tests/api/routes.py) ---------------------------------------

CASES_API_ROUTES = {
    # A list of the pathways the caller sees (empty for who does not see them).
    ("GET", "/api/v1/persons/{id}/pathways"): "identity.view",
    ("GET", "/api/v1/cases"): "member",
    ("POST", "/api/v1/persons/{id}/cases"): "case_manager",
    ("PATCH", "/api/v1/cases/{id}"): "case_manager",
    ("GET", "/api/v1/tasks"): "member",
    ("POST", "/api/v1/cases/{id}/tasks"): "case_manager",
    # The task's owner (the psychologist) or a case manager.
    ("PATCH", "/api/v1/tasks/{id}"): "case_team",
}
# Who passes the rules that are not one policy cell (personas of the API test).
CASES_API_RULES = {
    "case_manager": {"coordinator", "social_worker"},
    "case_team": {"coordinator", "social_worker", "psychologist"},
}
# Routes about a case or a task: refused with 404 (not theirs to see) even to
# who sees the person.
CASES_NOT_FOUND_WHEN_REFUSED = {
    ("PATCH", "/api/v1/cases/{id}"),
    ("POST", "/api/v1/cases/{id}/tasks"),
    ("PATCH", "/api/v1/tasks/{id}"),
}


def _open_case(world, person):
    from parcours.cases import casework
    from parcours.cases.models import Case

    case = Case.objects.filter(person=person, status="open").first()
    if case is None:
        case = casework.case_open(
            actor=world.social_worker,
            person=person,
            project=world.calais,
            worker=world.social_worker,
            risk_level="moderate",
            needs=["housing"],
        )
    return case


def _task_id(world, person) -> int:
    from django.utils import timezone

    from parcours.cases import casework

    return casework.task_create(
        actor=world.social_worker,
        case=_open_case(world, person),
        title="Domiciliation",
        owner=world.psychologist,
        due_on=timezone.localdate(),
    ).pk


def _due_today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


CASES_API_BODIES = {
    ("POST", "/api/v1/persons/{id}/cases"): lambda world, person: {
        "project": world.calais.pk,
        "worker": world.social_worker.pk,
        "risk_level": "high",
        "needs": ["housing", "food"],
    },
    ("PATCH", "/api/v1/cases/{id}"): lambda world, person: {
        "version": _open_case(world, person).version,
        "risk_level": "critical",
    },
    ("POST", "/api/v1/cases/{id}/tasks"): lambda world, person: {
        "title": "AME application",
        "owner": world.social_worker.pk,
        "due_on": _due_today(),
    },
    ("PATCH", "/api/v1/tasks/{id}"): lambda world, person: {"version": 1, "status": "in_progress"},
}
CASES_PATH_IDS = {
    ("PATCH", "/api/v1/cases/{id}"): lambda world, person: _open_case(world, person).pk,
    ("POST", "/api/v1/cases/{id}/tasks"): lambda world, person: _open_case(world, person).pk,
    ("PATCH", "/api/v1/tasks/{id}"): _task_id,
}
