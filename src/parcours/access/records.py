"""What a user may see and do of a person's care record and its encounters.

For every encounter the policy decides one of three levels:
- full: the user's discipline in one of the person's projects (for
  sexual-violence incidents: only the assigned care team and referents), or
  a category opened by break-glass;
- team note only: another discipline, and the person consented to team
  sharing for that category (read now, so a withdrawal hides it at once);
- hidden.
Care disciplines of the person's team are also told what stays hidden
(counts) and which team-sharing consents are in force; nobody else is.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from parcours.access import policy
from parcours.access.memberships import project_ids_for, projects_with_role
from parcours.access.models import CareAssignment, Consent, ConsentKind, ConsentStatus
from parcours.access.scope import (
    break_glass_in_force,
    is_assigned,
    parse_id,
    person_for,
    person_projects,
    visible_persons,
    works_with,
)
from parcours.access.terms import Action, Category

FULL, TEAM_NOTE, HIDDEN = "full", "team_note", "hidden"


def current_consents(person) -> dict[tuple[str, str], Consent]:
    """The decision in force for each (kind, category): the latest one. Read
    from the database on every call: no cached decision outlives a withdrawal."""
    current: dict[tuple[str, str], Consent] = {}
    consents = Consent.objects.filter(person=person).select_related("recorded_by")
    for consent in consents.order_by("decided_at", "id"):
        current[(consent.kind, consent.category)] = consent
    return current


def team_sharing_given(consents: dict[tuple[str, str], Consent]) -> set[str]:
    """Categories whose team notes the person currently agrees to share."""
    return {
        category
        for (kind, category), consent in consents.items()
        if kind == ConsentKind.TEAM_SHARING and consent.status == ConsentStatus.GIVEN
    }


class RecordScope:
    """What one user may see of one person's record, decided per category and
    project. Built once per request; consents are read when first needed."""

    def __init__(self, user, person):
        self.user = user
        self.person = person
        self.person_projects = person_projects(person)
        self.full_projects = {c: project_ids_for(user, c, Action.VIEW) for c in Category}
        self.team_projects = {c: project_ids_for(user, c, Action.VIEW_TEAM_NOTE) for c in Category}
        self.referent_projects = projects_with_role(user, policy.REFERENT_ROLES)
        self._assigned = None
        self._consents = None
        self._shared = None
        self._visible = None
        self.break_glass = getattr(person, "break_glass", None) or break_glass_in_force(
            user, person.pk
        )
        self.break_glass_categories: set[Category] = set()
        if self.break_glass is not None:
            grants = policy.POLICY.get(policy.Role(self.break_glass.role), {})
            self.break_glass_categories = {
                c
                for c, actions in grants.items()
                if Action.VIEW in actions and c not in policy.ASSIGNMENT_REQUIRED
            }

    @property
    def assigned(self) -> bool:
        if self._assigned is None:
            self._assigned = is_assigned(self.user, self.person)
        return self._assigned

    @property
    def consents(self) -> dict[tuple[str, str], Consent]:
        if self._consents is None:
            self._consents = current_consents(self.person)
        return self._consents

    @property
    def shared(self) -> set[str]:
        """Categories whose team notes the person agrees to share, read once."""
        if self._shared is None:
            self._shared = team_sharing_given(self.consents)
        return self._shared

    def _full(self, category: Category, project_id: int) -> bool:
        if project_id in self.full_projects[category]:
            return (
                category not in policy.ASSIGNMENT_REQUIRED
                or project_id in self.referent_projects
                or self.assigned
            )
        return category in self.break_glass_categories

    def level(self, category: str, project_id: int) -> str:
        category = Category(category)
        if self._full(category, project_id):
            return FULL
        if (
            category not in policy.ASSIGNMENT_REQUIRED
            and project_id in self.team_projects[category]
            and category in self.shared
        ):
            return TEAM_NOTE
        return HIDDEN

    def visible_categories(self) -> set[Category]:
        """Categories the user sees in full for this person (no consent needed)."""
        if self._visible is None:
            self._visible = {
                c for c in Category if any(self._full(c, pid) for pid in self.person_projects)
            }
        return self._visible

    @property
    def is_clinician(self) -> bool:
        """A care discipline of the person's team (or opening it by break-glass):
        told what stays hidden and which team-sharing consents are in force."""
        if self.break_glass_categories & policy.CLINICAL_CATEGORIES:
            return True
        return any(self.full_projects[c] & self.person_projects for c in policy.CLINICAL_CATEGORIES)

    def consents_shown(self) -> list[Consent]:
        """The consents in force the user may be told about (clinicians only)."""
        if not self.is_clinician:
            return []
        return [c for _key, c in sorted(self.consents.items())]


def unnamed_when_hidden(category: str) -> bool:
    """Hidden entries of this category are counted without naming it: naming
    it would disclose what the entries are about (sexual violence)."""
    return category in policy.ASSIGNMENT_REQUIRED


def visible_flags(user, person, flags=None, *, scope: RecordScope | None = None) -> list[str]:
    """The person's vulnerability flags (or the given ones) that the user may
    see: those whose category the user sees in full for this person. A page
    that already holds the request's ``scope`` passes it."""
    if flags is None:
        flags = person.flags.values_list("flag", flat=True)
    flags = list(flags)
    if not flags:
        return []
    categories = (scope or record_scope(user, person)).visible_categories()
    return [f for f in flags if policy.FLAG_CATEGORIES.get(f) in categories]


def editable_flags(user, *, person=None, project=None) -> set[str]:
    """Flags the user may set or clear: on a person, those of categories they
    see in full and may edit there; at registration in ``project``, those of
    categories they may create there (sexual violence: referents only, as
    nobody is assigned to a person not yet registered)."""
    if person is not None:
        categories = record_scope(user, person).visible_categories()
        projects = person_projects(person)
        return {
            f
            for f, c in policy.FLAG_CATEGORIES.items()
            if c in categories
            and any(project_ids_for(user, c, a) & projects for a in (Action.EDIT, Action.CREATE))
        }
    pid = getattr(project, "pk", project)
    referent = pid in projects_with_role(user, policy.REFERENT_ROLES)
    return {
        f
        for f, c in policy.FLAG_CATEGORIES.items()
        if pid in project_ids_for(user, c, Action.CREATE)
        and pid in project_ids_for(user, c, Action.VIEW)
        and (c not in policy.ASSIGNMENT_REQUIRED or referent)
    }


def record_scope(user, person) -> RecordScope:
    """The user's scope on the person's record, read now: consents, care-team
    assignments and break-glass openings are never cached across calls."""
    return RecordScope(user, person)


def visible_categories(user, person) -> set[Category]:
    """Categories of ``person``'s information that ``user`` sees in full."""
    return record_scope(user, person).visible_categories()


def _consent_shown(user, person_projects_: set[int]):
    """Team sharing of a category is shown only to who works with that
    category (it tells that such care exists); the other kinds to who records
    them."""

    def shown(consent: Consent) -> bool:
        if consent.kind == ConsentKind.TEAM_SHARING:
            needed = (Action.VIEW, Action.VIEW_TEAM_NOTE, Action.CONSENT)
            return any(
                project_ids_for(user, consent.category, a) & person_projects_ for a in needed
            )
        return bool(project_ids_for(user, Category.IDENTITY, Action.CONSENT) & person_projects_)

    return shown


def visible_consents(user, person) -> list[Consent]:
    """The decisions in force that the user may see, by (kind, category)."""
    shown = _consent_shown(user, person_projects(person))
    return [c for _key, c in sorted(current_consents(person).items()) if shown(c)]


def visible_consent_history(user, person) -> list[Consent]:
    """Every decision recorded that the user may see, latest first."""
    shown = _consent_shown(user, person_projects(person))
    rows = Consent.objects.filter(person=person).select_related("recorded_by", "project")
    return [c for c in rows.order_by("-decided_at", "-id") if shown(c)]


def consent_category(kind: str, category: str = "") -> Category:
    """The category whose CONSENT action allows recording this consent."""
    if kind == ConsentKind.TEAM_SHARING:
        return Category(category)
    return Category.IDENTITY


def may_record_consent(user, person, kind: str, category: str = "") -> bool:
    try:
        needed = consent_category(kind, category)
    except ValueError:
        return False
    return bool(project_ids_for(user, needed, Action.CONSENT) & person_projects(person))


def consent_projects(user, person, kind: str, category: str = "") -> list[int]:
    """The person's projects in which the user may record this consent."""
    needed = consent_category(kind, category)
    return sorted(project_ids_for(user, needed, Action.CONSENT) & person_projects(person))


def may_record_any_consent(user, person) -> bool:
    projects = person_projects(person)
    return works_with(user, person) and any(
        project_ids_for(user, c, Action.CONSENT) & projects for c in Category
    )


# --- encounters --------------------------------------------------------------


def may_edit_encounter(user, encounter) -> bool:
    """Its author, or a referent of the project, with edit rights on the category."""
    if encounter.project_id not in project_ids_for(user, encounter.category, Action.EDIT):
        return False
    if encounter.author_id == user.pk:
        return True
    return encounter.project_id in projects_with_role(user, policy.REFERENT_ROLES)


def encounter_for(user, encounter_id, action: str = Action.VIEW, *, read: str = "", request=None):
    """The encounter if ``user`` may take ``action`` on it, else 404.

    VIEW: its content is shown to the user in full (or, for an anonymous
    tally, the user wrote it or sees the project's activities). EDIT: the
    same, and the user is its author or a referent with edit rights.
    With ``read``, the person's access-log row is written here.
    """
    Encounter = apps.get_model("care", "Encounter")
    encounter = (
        Encounter.objects.select_related("person", "site", "project")
        .filter(pk=parse_id(encounter_id))
        .first()
    )
    if encounter is None:
        raise Http404
    if action == Action.EDIT and not may_edit_encounter(user, encounter):
        raise Http404
    if encounter.person_id is None:
        if not (
            encounter.author_id == user.pk
            or encounter.project_id in project_ids_for(user, Category.ACTIVITY, Action.VIEW)
        ):
            raise Http404
        return encounter
    person = person_for(user, encounter.person_id, read=read, request=request)
    if record_scope(user, person).level(encounter.category, encounter.project_id) != FULL:
        raise Http404
    encounter.person = person
    return encounter


def recording_projects(user, category: str, person=None) -> set[int]:
    """Projects where the user may record ``category``; for a person, only the
    person's own projects (recording never enrols a person anywhere)."""
    ids = project_ids_for(user, category, Action.CREATE)
    if person is not None:
        ids &= person_projects(person)
    return ids


def recording_sites(user, category: str, person=None):
    """Sites in use, in open projects, where the user may record ``category``
    (about ``person`` when given)."""
    Site = apps.get_model("org", "Site")
    return (
        Site.objects.in_use()
        .filter(project_id__in=recording_projects(user, category, person))
        .select_related("project")
        .prefetch_related("activity_types")
        .order_by("project__name", "name", "id")
    )


def shown_encounters_q(user) -> Q | None:
    """Encounters about a person whose content the user sees in full, as a
    filter on Encounter (None: none at all)."""
    Encounter = apps.get_model("care", "Encounter")
    _field, discipline_category = Encounter.CATEGORY_BY_FIELD
    referent = projects_with_role(user, policy.REFERENT_ROLES)
    assigned = Exists(
        CareAssignment.objects.filter(
            person=OuterRef("person_id"), user=user, ended_at__isnull=True
        )
    )
    allowed = Q()
    for discipline, category in discipline_category.items():
        ids = project_ids_for(user, category, Action.VIEW)
        if not ids:
            continue
        shown = Q(discipline=discipline, project_id__in=ids)
        if category in policy.ASSIGNMENT_REQUIRED:
            shown &= Q(project_id__in=ids & referent) | Q(assigned)
        allowed |= shown
    if not allowed:
        return None
    return allowed & Q(person__in=visible_persons(user))


# --- a category of the person's record ----------------------------------------


def may_see_category(user, person, category: str, *, scope: RecordScope | None = None) -> bool:
    """Does ``user`` see ``category`` in full for ``person``: in one of the
    person's projects, or by an open break-glass? (A page that already holds
    the request's ``scope`` passes it.)"""
    return Category(category) in (scope or record_scope(user, person)).visible_categories()


def category_person_for(
    user, person_id, category: str, action: str = Action.VIEW, *, read: str = "", request=None
):
    """The person if ``user`` sees ``category`` in full for them and, for
    another action than VIEW, may take it on ``category`` in one of the
    person's projects (never through break-glass); else 404, for "no such
    person" and "not yours to see" alike. With ``read``, the access-log row
    is written once the check has passed."""
    from parcours.access.scope import log_reads

    person = person_for(user, person_id)
    if not may_see_category(user, person, category):
        raise Http404
    if action != Action.VIEW and not (
        project_ids_for(user, category, action) & person_projects(person)
    ):
        raise Http404
    if read:
        log_reads(request, [person], read)
    return person


def category_write_projects(user, person, category: str) -> set[int]:
    """The person's projects in which ``user`` may create or edit ``category``."""
    projects = person_projects(person)
    return (
        project_ids_for(user, category, Action.CREATE)
        | project_ids_for(user, category, Action.EDIT)
    ) & projects
