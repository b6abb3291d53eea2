"""Running the checks over a project's month, for one reader.

A reader counts a check's findings only for the categories they may count in
the project (``access.module_scopes.countable_categories``); sexual-violence records
are counted by who does not see them in full only when the person consented
to anonymous reporting. Findings are listed (with a link to the record) only
to who may open the record: encounters whose content the reader sees in full
(``access.records.shown_encounters_q``: a clinician sees their own
discipline's), persons for who edits identities in the project. The MEAL
officer gets counts only.

The score of a month is the share of the records checked (encounters of the
month, persons seen in the month) without any finding.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from parcours.access.module_scopes import countable_categories
from parcours.access.records import shown_encounters_q
from parcours.access.scope import may, projects_where
from parcours.access.terms import Action, Category
from parcours.care.choices import DISCIPLINE_CATEGORY, Discipline
from parcours.care.models import Encounter
from parcours.people.models import Enrolment, Person
from parcours.quality.checks import CHECKS, ENCOUNTER, PERSON, Check, Context
from parcours.quality.months import Month

# The categories whose records the checks look at, and who may open the page:
# who aggregates one of them in the project, or sees one of the clinical ones
# in full. Reception, outreach, safeguarding and advocacy do not.
CHECKED_CATEGORIES = (
    Category.MEDICAL,
    Category.MENTAL_HEALTH,
    Category.SOCIAL,
    Category.LEGAL_PROTECTION,
    Category.SV_INCIDENT,
    Category.ACTIVITY,
)
CLINICAL_CATEGORIES = (
    Category.MEDICAL,
    Category.MENTAL_HEALTH,
    Category.SOCIAL,
    Category.LEGAL_PROTECTION,
    Category.SV_INCIDENT,
)
LIST_LENGTH = 200


def quality_projects(user) -> set[int]:
    """Projects whose data-quality page the user may open."""
    ids: set[int] = set()
    for category in CHECKED_CATEGORIES:
        ids |= projects_where(user, Action.AGGREGATE, category)
    for category in CLINICAL_CATEGORIES:
        ids |= projects_where(user, Action.VIEW, category)
    return ids


@dataclass(frozen=True)
class Scope:
    """What one reader counts and lists in one project."""

    categories: frozenset  # categories counted
    viewed: frozenset  # of those, the ones seen in full (no consent filter)
    list_encounters: Q | None = None  # encounters listed with a link
    list_persons: bool = False  # person findings listed with a link

    @property
    def disciplines(self) -> list[str]:
        return [d for d, c in DISCIPLINE_CATEGORY.items() if c in self.categories]

    def counts(self, check: Check) -> bool:
        if check.subject == PERSON:
            return Category.IDENTITY in self.categories
        return check.category is None or check.category in self.categories

    def lists(self, check: Check) -> bool:
        if check.subject == PERSON:
            return self.list_persons
        return self.list_encounters is not None


def full_scope() -> Scope:
    """Everything counted, nothing listed: the management command's."""
    every = frozenset(Category)
    return Scope(categories=every, viewed=every)


def scope_for(user, project) -> Scope:
    countable = countable_categories(user, project)
    viewed = {c for c in countable if may(user, Action.VIEW, c, project)}
    shown = shown_encounters_q(user)
    return Scope(
        categories=frozenset(countable),
        viewed=frozenset(viewed),
        list_encounters=(shown & Q(project_id=project.pk)) if shown is not None else None,
        list_persons=may(user, Action.EDIT, Category.IDENTITY, project),
    )


def _encounters(project, month: Month, scope: Scope, disciplines=None):
    start, end = month.bounds()
    allowed = scope.disciplines
    if disciplines is not None:
        allowed = [d for d in allowed if d in disciplines]
    records = Encounter.objects.filter(
        project=project, occurred_at__gte=start, occurred_at__lt=end, discipline__in=allowed
    )
    if Category.SV_INCIDENT not in scope.viewed and Discipline.SV_INCIDENT in allowed:
        records = records.filter(
            ~Q(discipline=Discipline.SV_INCIDENT) | Q(sv_incident__consent_anonymous_reporting=True)
        )
    return records


def _persons_seen(project, month: Month, scope: Scope):
    seen = _encounters(project, month, scope).filter(person_id=OuterRef("pk"))
    enrolled = Enrolment.objects.filter(person_id=OuterRef("pk"), project=project)
    return Person.objects.current().filter(Exists(enrolled)).filter(Exists(seen))


def checked_records(check: Check, project, month: Month, scope: Scope):
    if check.subject == PERSON:
        return _persons_seen(project, month, scope)
    return _encounters(project, month, scope, check.disciplines)


def flagged_records(check: Check, project, month: Month, scope: Scope):
    records = check.flagged(
        checked_records(check, project, month, scope), Context(project_id=project.pk)
    )
    if check.counted_without_view is not None and check.category not in scope.viewed:
        records = records.filter(check.counted_without_view)
    return records


@dataclass
class CheckResult:
    check: Check
    checked: int
    found: int

    @property
    def rate(self) -> float | None:
        """Share of the records looked at with this finding, in %."""
        return round(100 * self.found / self.checked, 1) if self.checked else None


@dataclass
class Summary:
    project: object
    month: Month
    checked: int = 0
    with_findings: int = 0
    results: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        """Share of the records checked without any finding, in % (None: nothing checked)."""
        if not self.checked:
            return None
        return round(100 * (self.checked - self.with_findings) / self.checked, 1)

    @property
    def findings(self) -> int:
        return sum(r.found for r in self.results)

    def as_dict(self) -> dict:
        return {
            "project": self.project.code,
            "month": self.month.code,
            "score": self.score,
            "checked": self.checked,
            "with_findings": self.with_findings,
            "checks": {
                r.check.code: {"label": str(r.check.label), "checked": r.checked, "found": r.found}
                for r in self.results
            },
        }


def summarise(project, month: Month, scope: Scope) -> Summary:
    """Counts per check and the month's score, as ``scope`` may count them."""
    summary = Summary(project=project, month=month)
    flagged_ids = {PERSON: set(), ENCOUNTER: set()}
    checked_counts: dict[tuple, int] = {}
    for check in CHECKS:
        if not scope.counts(check):
            continue
        key = (check.subject, check.disciplines)
        if key not in checked_counts:
            checked_counts[key] = checked_records(check, project, month, scope).count()
        ids = set(flagged_records(check, project, month, scope).values_list("pk", flat=True))
        flagged_ids[check.subject] |= ids
        summary.results.append(CheckResult(check, checked_counts[key], len(ids)))
    if Category.IDENTITY in scope.categories:
        summary.checked += checked_counts.get((PERSON, None), 0)
    summary.checked += _encounters(project, month, scope).count()
    summary.with_findings = len(flagged_ids[PERSON]) + len(flagged_ids[ENCOUNTER])
    return summary


@dataclass
class Finding:
    """One record to fix, as shown to who may open it."""

    check: Check
    record_id: int
    when: object = None  # the encounter's date and time
    discipline: str = ""
    person_id: int | None = None
    person_name: str = ""
    person_code: str = ""
    editable: bool = False


def findings(user, check: Check, project, month: Month, scope: Scope) -> tuple[list[Finding], int]:
    """The findings of ``check`` the user may open (at most LIST_LENGTH), and
    how many they are. Nothing for who may not list them."""
    if not scope.counts(check) or not scope.lists(check):
        return [], 0
    records = flagged_records(check, project, month, scope)
    rows: list[Finding] = []
    if check.subject == PERSON:
        total = records.count()
        persons = list(records.order_by("family_name", "given_name", "id")[:LIST_LENGTH])
        codes = _codes(project, [p.pk for p in persons])
        for person in persons:
            rows.append(
                Finding(
                    check=check,
                    record_id=person.pk,
                    person_id=person.pk,
                    person_name=person.display_name,
                    person_code=codes.get(person.pk, ""),
                )
            )
        return rows, total
    records = records.filter(scope.list_encounters)
    total = records.count()
    encounters = list(
        records.select_related("person").order_by("-occurred_at", "-id")[:LIST_LENGTH]
    )
    codes = _codes(project, [e.person_id for e in encounters if e.person_id])
    for encounter in encounters:
        person = encounter.person
        rows.append(
            Finding(
                check=check,
                record_id=encounter.pk,
                when=encounter.occurred_at,
                discipline=encounter.get_discipline_display(),
                person_id=encounter.person_id,
                person_name=person.display_name if person else "",
                person_code=codes.get(encounter.person_id, ""),
                editable=encounter.author_id == user.pk,
            )
        )
    return rows, total


def _codes(project, person_ids) -> dict[int, str]:
    return dict(
        Enrolment.objects.filter(project=project, person_id__in=person_ids).values_list(
            "person_id", "code"
        )
    )
