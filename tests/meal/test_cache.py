"""Figures of past months kept between requests (meal/cache.py): a kept
figure equals the live count, every kind of write forgets exactly the
project-months it changes, the current month is counted live, readers
without rights get nothing, and no kept row holds anything about a person."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from parcours.care import models as care
from parcours.care import services as care_services
from parcours.customfields import services as custom_services
from parcours.meal import cache, engine, warming
from parcours.meal.definitions import offered_dimensions
from parcours.meal.models import KeptCount, Measure, MonthStamp
from parcours.meal.periods import current_month, parse_period, trend
from parcours.people import merging
from parcours.people import services as people_services
from parcours.people.models import Person
from tests.customfields.helpers import field
from tests.meal.conftest import local

OCT = parse_period("2026-10")
D = date(2026, 10, 12)
SEPT = date(2026, 9, 8)
SV = [{"field": "sv_care", "op": "eq", "value": True}]


@pytest.fixture
def plan(world, person, encounter, indicator):
    women = [person(sex="female") for _ in range(6)]
    men = [person(sex="male", birth_date=date(2010, 1, 1), nationality="AF") for _ in range(3)]
    for i, p in enumerate(women):
        encounter("medical", local(D), p, morbidity="scabies" if i < 3 else "wound")
        encounter("medical", local(D, 15), p, first=False, sv_care=i < 4, pep_given=i < 2)
    for p in men:
        encounter("medical", local(SEPT), p, morbidity="rti_upper")
        encounter("medical", local(D), p, first=False)
        encounter("shelter", local(D), p, nights=3)
    return [
        indicator("MED-CONS"),
        indicator("MED-SCAB", filters=[{"field": "morbidity", "op": "eq", "value": "scabies"}]),
        indicator(
            "MED-NEW",
            measure=Measure.PERSONS,
            filters=[{"field": "is_first_visit", "op": "eq", "value": True}],
        ),
        indicator(
            "SV-PEP",
            measure=Measure.RATIO,
            fact="",
            numerator={
                "fact": "medical",
                "measure": "persons",
                "filters": [*SV, {"field": "pep_given", "op": "eq", "value": True}],
            },
            denominator={"fact": "medical", "measure": "persons", "filters": SV},
        ),
        indicator("SHEL-NIGHTS", fact="shelter", measure=Measure.SUM, field="nights"),
    ]


def _dims(ind):
    return offered_dimensions(ind.definition_dict(), ind.disaggregations or None)


def figures(plan, user, period=OCT):
    """What a dashboard and the disaggregation tables read."""
    plan = [type(i).objects.get(pk=i.pk) for i in plan]
    results = engine.compute_many(plan, period, user=user, disaggregate=_dims)
    totals = engine.compute_many(plan, period, user=user)
    trends = engine.trend_many(plan, trend(period, 12), user=user)
    return [r.as_dict() for r in results + totals], trends


def live(plan, user, period=OCT):
    with cache.disabled():
        return figures(plan, user, period)


def _reads_encounters(queries) -> bool:
    return any("care_encounter" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("reader", ["meal", "advocacy", "coordinator"])
def test_a_kept_figure_equals_the_live_count(world, plan, reader):
    user = getattr(world, reader)
    first = figures(plan, user)
    assert KeptCount.objects.filter(project=world.calais).exists()
    with CaptureQueriesContext(connection) as queries:
        second = figures(plan, user)
    assert not _reads_encounters(queries)  # read from the kept figures
    assert first == second == live(plan, user)


def _tokens(project):
    return dict(MonthStamp.objects.filter(project=project).values_list("month", "token"))


def _change_morbidity(world, plan, person, encounter):
    enc = care.Encounter.objects.filter(medical__morbidity="wound").first()
    enc.medical.morbidity = "scabies"
    enc.medical.save()


def _record_for_a_woman(world, when, morbidity: str) -> None:
    """A medical encounter recorded today through the service, dated ``when``."""
    care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=Person.objects.filter(sex="female").first(),
        data={"occurred_at": when},
        details={"morbidity": morbidity},
    )


def _new_encounter_in_a_past_month(world, plan, person, encounter):
    _record_for_a_woman(world, local(D, 11), "scabies")  # backdated, in October


def _new_first_visit_a_month_earlier(world, plan, person, encounter):
    # Backdated before her first visit (October): the first-visit flag moves
    # to September, a bulk write that only the renumbering tells MEAL about.
    _record_for_a_woman(world, local(SEPT, 20), "wound")


def _move_to_another_month(world, plan, person, encounter):
    enc = care.Encounter.objects.filter(medical__morbidity="scabies").first()
    enc.occurred_at = local(SEPT, 9)
    enc.save()


def _delete_an_encounter(world, plan, person, encounter):
    care.Encounter.objects.filter(medical__sv_care=True).first().delete()


def _change_sex(world, plan, person, encounter):
    p = Person.objects.filter(sex="female").first()
    data = {f: getattr(p, f) for f in people_services.PERSON_FIELDS}
    people_services.person_update(
        actor=world.coordinator,
        person_id=p.pk,
        version=p.version,
        data={**data, "sex": "male"},
    )


def _change_age_group(world, plan, person, encounter):
    p = Person.objects.filter(sex="male").first()
    p.birth_date = date(1960, 1, 1)
    p.save()


def _merge(world, plan, person, encounter):
    keep, duplicate = Person.objects.filter(sex="female").order_by("pk")[:2]
    merging.person_merge(actor=world.coordinator, keep=keep, duplicate=duplicate)


def _custom_value(world, plan, person, encounter):
    referred = field(
        world, target="medical", code="referred_to", type="single_choice", choices=["pass", "no"]
    )
    plan.append(
        type(plan[0]).objects.create(
            project=world.calais,
            code="MED-PASS",
            name_fr="MED-PASS",
            name_en="MED-PASS",
            fact="medical",
            measure=Measure.COUNT,
            filters=[{"field": "custom.referred_to", "op": "eq", "value": "pass"}],
        )
    )
    figures(plan, world.meal)  # kept with no value yet
    enc = care.Encounter.objects.filter(discipline="medical", occurred_at__gte=local(D)).first()
    custom_services.values_save(
        actor=world.referent,
        fields=[referred],
        values={referred.pk: "pass"},
        project=world.calais,
        encounter=enc,
    )


WRITES = {
    "detail edited": (_change_morbidity, {"2026-10"}),
    "backdated encounter recorded": (_new_encounter_in_a_past_month, {"2026-10"}),
    "encounter backdated before the first visit": (
        _new_first_visit_a_month_earlier,
        {"2026-09", "2026-10"},
    ),
    "encounter moved to another month": (_move_to_another_month, {"2026-09", "2026-10"}),
    "encounter deleted": (_delete_an_encounter, {"2026-10"}),
    "person's sex changed": (_change_sex, {"2026-10"}),
    "person's age group changed": (_change_age_group, {"2026-09", "2026-10"}),
    "persons merged": (_merge, {"2026-10"}),
    "custom field value": (_custom_value, {"2026-10"}),
}


@pytest.mark.tokens_on_commit
@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_forgets_exactly_its_project_months(
    world, plan, person, encounter, write, django_capture_on_commit_callbacks
):
    change, months = WRITES[write]
    before = figures(plan, world.meal)
    tokens = _tokens(world.calais)
    other = _tokens(world.dunkerque)
    # Tokens are renewed once the write commits (the test's own transaction
    # never does: its commit callbacks are run here).
    with django_capture_on_commit_callbacks(execute=True):
        change(world, plan, person, encounter)
    after = figures(plan, world.meal)
    assert after == live(plan, world.meal)
    assert after != before
    now = _tokens(world.calais)
    touched = {m.strftime("%Y-%m") for m in now if now[m] != tokens.get(m)}
    # The months of the records written, never another project's.
    assert months <= touched
    assert touched <= months | {cache.this_month().strftime("%Y-%m")}
    assert _tokens(world.dunkerque) == other


def test_the_current_month_is_counted_live(world, plan, person, encounter):
    this = current_month()
    figures(plan, world.meal, this)
    assert not KeptCount.objects.filter(start__gte=cache.this_month()).exists()
    # Rows written in bulk (no signal at all) still show this month.
    p = Person.objects.first()
    care.Encounter.objects.bulk_create(
        [
            care.Encounter(
                discipline="medical",
                person=p,
                project=world.calais,
                site=world.calais_day_centre,
                occurred_at=local(this.start + timedelta(days=1)),
                author=world.doctor,
            )
        ]
    )
    after = figures(plan, world.meal, this)
    assert after == live(plan, world.meal, this)
    med_cons = next(r for r in after[0] if r["indicator"]["code"] == "MED-CONS")
    assert med_cons["total"] == 1


def test_readers_without_rights_get_no_kept_figure(world, plan, login):
    figures(plan, world.meal)
    assert KeptCount.objects.exists()
    for user in (world.nobody, world.dunkerque_doctor):
        with pytest.raises(PermissionDenied):
            engine.compute_project(world.calais, OCT, user=user)
    for user in (world.nobody, world.reception, world.dunkerque_doctor):
        shown = engine.compute_many(plan, OCT, user=user)
        # Reception counts shelter nights (activity), never medical figures.
        assert {r.indicator.code for r in shown} <= {"SHEL-NIGHTS"}
        assert set(engine.trend_many(plan, trend(OCT, 12), user=user)) == {
            r.indicator.pk for r in shown
        }
    response = login(world.dunkerque_doctor).get(
        f"/meal/project/{world.calais.pk}/", {"period": "2026-10"}
    )
    assert response.status_code in (403, 404)
    # Advocacy reads the kept counts with small cells suppressed, as live.
    kept = figures(plan, world.advocacy)
    assert kept == live(plan, world.advocacy)
    assert any(r["suppressed"] for r in kept[0])


def test_kept_rows_hold_no_person_data(world, plan):
    figures(plan, world.meal)
    figures(plan, world.advocacy)
    fields = {f.name: f for f in KeptCount._meta.get_fields()}
    assert {f.related_model._meta.label for f in fields.values() if f.is_relation} == {
        "org.Project"
    }
    persons = list(Person.objects.all())
    codes = set()
    for row in KeptCount.objects.all():
        text = json.dumps(row.cells)
        for p in persons:
            assert p.given_name not in text and p.family_name not in text
        for key, value, persons_count in row.cells:
            codes |= set(key)
            assert isinstance(persons_count, int)
            assert isinstance(value, int | float | dict)
    periods = {p.code for p in trend(OCT, 12)}
    allowed = periods | {
        "female",
        "male",
        "unknown",
        "ER",
        "AF",
        "18-59",
        "12-17",
        "minor",
        "adult",
        "new",
        "follow_up",
        "medical",
        "shelter",
        world.calais_day_centre.name,
    }
    assert codes <= allowed, codes - allowed


def test_warm_keeps_what_the_dashboard_reads(world, plan, login):
    assert warming.warm(world.calais, [OCT, current_month()]) == 1
    client = login(world.meal)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/meal/project/{world.calais.pk}/", {"period": "2026-10"})
    assert response.status_code == 200
    assert not _reads_encounters(queries)
    with cache.disabled():
        again = client.get(f"/meal/project/{world.calais.pk}/", {"period": "2026-10"})
    assert _page(again) == _page(response)


def _page(response) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())  # CSRF tokens


@pytest.mark.tokens_on_commit
def test_rows_written_in_bulk_are_forgotten_when_told(
    world, plan, django_capture_on_commit_callbacks
):
    from parcours.meal import invalidation

    before = figures(plan, world.meal)
    created = care.Encounter.objects.bulk_create(
        [
            care.Encounter(
                discipline="medical",
                person=Person.objects.first(),
                project=world.calais,
                site=world.calais_day_centre,
                occurred_at=local(D, 8),
                author=world.doctor,
            )
        ]
    )
    # No signal yet: the kept figure stands (what the modules writing in
    # bulk must call rows_changed for).
    assert figures(plan, world.meal) == before
    with django_capture_on_commit_callbacks(execute=True):
        invalidation.rows_changed(care.Encounter, [e.pk for e in created])
    after = figures(plan, world.meal)
    assert after == live(plan, world.meal) != before


@pytest.mark.tokens_on_commit
def test_tokens_are_renewed_only_once_the_write_commits(
    world, plan, person, encounter, django_capture_on_commit_callbacks
):
    """The token row is written after the commit, never inside the writer's
    transaction (a hot row locked there deadlocked against the audit chain's
    head under load), and not at all if the write rolls back."""
    figures(plan, world.meal)
    tokens = _tokens(world.calais)
    with django_capture_on_commit_callbacks(execute=False) as renewals:
        _change_morbidity(world, plan, person, encounter)
        assert _tokens(world.calais) == tokens  # not yet: the write has not committed
    assert renewals
    for renew in renewals:
        renew()
    assert _tokens(world.calais) != tokens


@pytest.mark.tokens_on_commit
def test_a_write_renews_all_its_months_in_one_statement(
    world, plan, person, encounter, django_capture_on_commit_callbacks
):
    """The encounter, its details and the first-visit flags each touch
    months; they are renewed together once the write commits."""
    figures(plan, world.meal)
    tokens = _tokens(world.calais)
    with django_capture_on_commit_callbacks(execute=False) as renewals:
        _new_first_visit_a_month_earlier(world, plan, person, encounter)
    with CaptureQueriesContext(connection) as queries:
        for renew in renewals:
            renew()
    upserts = [q for q in queries.captured_queries if "meal_monthstamp" in q["sql"]]
    assert len(upserts) == 1
    now = _tokens(world.calais)
    assert {m.strftime("%Y-%m") for m in now if now[m] != tokens.get(m)} >= {"2026-09", "2026-10"}


def _sept_morbidity_changed():
    enc = care.Encounter.objects.filter(medical__morbidity="rti_upper").first()
    enc.medical.morbidity = "wound"
    enc.medical.save()


@pytest.mark.tokens_on_commit
def test_months_touched_by_rolled_back_work_are_not_renewed_later(
    world, plan, person, encounter, django_capture_on_commit_callbacks
):
    figures(plan, world.meal)
    tokens = _tokens(world.calais)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _change_morbidity(world, plan, person, encounter)  # October
            raise RuntimeError("the write fails: nothing of it is kept")
        _sept_morbidity_changed()  # a later write that commits
    now = _tokens(world.calais)
    assert {m.strftime("%Y-%m") for m in now if now[m] != tokens.get(m)} == {"2026-09"}
