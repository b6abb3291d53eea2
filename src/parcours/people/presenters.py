"""What a user may see of a person, built before anything is rendered.

Templates and API schemas receive these plain structures, already narrowed
by the policy; they never get a Person to decide themselves what to hide.
"""

from dataclasses import dataclass, field
from datetime import date

from parcours.access.records import visible_flags
from parcours.access.scope import may_on_person, projects_where, visible_persons
from parcours.access.terms import Action, Category
from parcours.lib.languages import language_name
from parcours.people.ages import age_group
from parcours.people.models import Flag, GroupMember, Person


@dataclass
class Contact:
    phone: str
    notes: str


@dataclass
class PersonCard:
    id: int
    codes: list[str]
    projects: list[dict]
    given_name: str
    family_name: str
    display_name: str
    name_original: str
    aliases: list[str]
    sex: str
    sex_label: str
    birth_date: date | None
    birth_date_precision: str
    birth_date_precision_label: str
    age: int | None
    age_group: str | None
    minority_appeal: str
    minority_appeal_label: str
    assessed_age: int | None
    assessed_on: date | None
    declared_age_at_assessment: int | None
    nationality: str
    nationality_name: str
    languages: list[dict]
    interpreter_needed: bool
    flags: list[dict]
    is_active: bool
    exit_date: date | None
    exit_reason: str
    exit_reason_label: str
    exit_note: str
    merged_into_id: int | None
    version: int
    contact: Contact | None = None
    groups: list[dict] = field(default_factory=list)
    may_edit: bool = False
    may_merge: bool = False
    may_audit: bool = False


def codes_seen(person: Person, seen_projects: set[int]) -> list[str]:
    """The person's codes in the projects the reader sees: a code of another
    project would tell that the person is followed there."""
    return [e.code for e in person.enrolments.all() if e.project_id in seen_projects]


def person_card(user, person: Person, *, today: date | None = None, scope=None) -> PersonCard:
    """``scope``: the request's access.records.RecordScope, when the page has one."""
    today = today or date.today()
    enrolments = list(person.enrolments.select_related("project"))
    seen_projects = projects_where(user, Action.VIEW, Category.IDENTITY)
    flag_labels = dict(Flag.choices)
    card = PersonCard(
        id=person.pk,
        codes=[e.code for e in enrolments if e.project_id in seen_projects],
        projects=[
            {"id": e.project_id, "name": e.project.name, "code": e.code}
            for e in enrolments
            if e.project_id in seen_projects
        ],
        given_name=person.given_name,
        family_name=person.family_name,
        display_name=person.display_name,
        name_original=person.name_original,
        aliases=list(person.aliases.values_list("name", flat=True)),
        sex=person.sex,
        sex_label=person.get_sex_display(),
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        birth_date_precision_label=person.get_birth_date_precision_display(),
        age=person.age(today),
        age_group=age_group(person.birth_date, today),
        minority_appeal=person.minority_appeal,
        minority_appeal_label=person.get_minority_appeal_display(),
        assessed_age=person.assessed_age,
        assessed_on=person.assessed_on,
        declared_age_at_assessment=person.declared_age_at_assessment(),
        nationality=str(person.nationality or ""),
        nationality_name=str(person.nationality.name) if person.nationality else "",
        languages=[{"code": c, "name": language_name(c) or c} for c in person.languages],
        interpreter_needed=person.interpreter_needed,
        flags=[
            {"code": f, "label": flag_labels.get(f, f)}
            for f in visible_flags(user, person, scope=scope)
        ],
        is_active=person.is_active,
        exit_date=person.exit_date,
        exit_reason=person.exit_reason,
        exit_reason_label=person.get_exit_reason_display(),
        exit_note=person.exit_note,
        merged_into_id=person.merged_into_id,
        version=person.version,
    )
    if may_on_person(user, Action.VIEW, Category.CONTACT, person):
        card.contact = Contact(phone=person.phone, notes=person.contact_notes)
    links = list(person.group_links.select_related("group"))
    member_ids = GroupMember.objects.filter(group__in=[link.group_id for link in links]).values(
        "person_id"
    )
    visible_members = set(
        visible_persons(user).filter(pk__in=member_ids).values_list("pk", flat=True)
    )
    card.groups = [
        {
            "id": link.group_id,
            "name": link.group.name,
            "kind": link.group.get_kind_display(),
            "relation": link.get_relation_display(),
            "members": [
                {
                    "id": m.person_id,
                    "name": m.person.display_name,
                    "relation": m.get_relation_display(),
                }
                for m in link.group.members.select_related("person")
                if m.person_id != person.pk and m.person_id in visible_members
            ],
        }
        for link in links
    ]
    card.may_edit = may_on_person(user, Action.EDIT, Category.IDENTITY, person)
    card.may_merge = may_on_person(user, Action.MERGE, Category.IDENTITY, person)
    card.may_audit = may_on_person(user, Action.AUDIT, Category.IDENTITY, person)
    return card
