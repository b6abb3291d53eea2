"""The referrals fact of the MEAL engine: counts by kind and service type,
and the accepted / done rates, as the MEAL officer reads them."""

from django.utils import timezone

from parcours.meal.engine import compute
from parcours.meal.models import Indicator, IndicatorKind, Measure
from parcours.meal.periods import Period
from parcours.network import services
from tests.network.routes import give_referral_consent, make_service


def _indicator(world, code, **fields):
    return Indicator.objects.create(
        project=world.calais,
        code=code,
        name_fr=code,
        name_en=code,
        kind=IndicatorKind.COMPUTED,
        **fields,
    )


def test_referrals_by_type_and_rates(world, make_person):
    pass_calais = make_service()
    food = make_service(name="Restos du Coeur Calais", type="food")
    referrals = []
    for index, service in enumerate([pass_calais, pass_calais, food]):
        person = make_person(given_name=f"P{index}")
        give_referral_consent(world, person, organisation=service.name)
        referrals.append(
            services.referral_send(
                actor=world.doctor,
                person=person,
                data={"kind": "external", "service": service.pk, "reason": "Care"},
                confirm_warnings=True,
            )
        )
    internal = services.referral_send(
        actor=world.doctor,
        person=make_person(given_name="P9"),
        data={"kind": "internal", "to_discipline": "social", "reason": "Housing"},
    )
    services.referral_update(
        actor=world.doctor, referral_id=referrals[0].pk, version=1, status="accepted"
    )
    services.referral_update(
        actor=world.doctor, referral_id=referrals[0].pk, version=2, status="done"
    )
    services.referral_update(
        actor=world.doctor, referral_id=referrals[1].pk, version=1, status="accepted"
    )
    services.referral_update(
        actor=world.doctor, referral_id=internal.pk, version=1, status="refused"
    )
    month = Period.containing(timezone.localdate(), "month")

    external_pass = _indicator(
        world,
        "REF-PASS",
        fact="referrals",
        measure=Measure.COUNT,
        filters=[
            {"field": "kind", "op": "eq", "value": "external"},
            {"field": "service_type", "op": "eq", "value": "pass"},
        ],
    )
    assert compute(external_pass, month, user=world.meal).total == 2
    everything = _indicator(world, "REF-ALL", fact="referrals", measure=Measure.COUNT)
    assert compute(everything, month, user=world.meal).total == 4

    def rate(code, statuses):
        return _indicator(
            world,
            code,
            fact="",
            measure=Measure.RATIO,
            numerator={
                "fact": "referrals",
                "measure": "count",
                "filters": [{"field": "status", "op": "in", "value": statuses}],
            },
            denominator={"fact": "referrals", "measure": "count", "filters": []},
        )

    assert compute(rate("REF-ACC", ["accepted", "done"]), month, user=world.meal).total == 50.0
    assert compute(rate("REF-DONE", ["done"]), month, user=world.meal).total == 25.0


def test_referrals_by_age_group_and_minor_adult(world, make_person):
    from datetime import date

    today = timezone.localdate()
    minor = make_person(given_name="Minor", birth_date=date(today.year - 16, 1, 1))
    adult = make_person(given_name="Adult", birth_date=date(today.year - 30, 1, 1))
    for person in (minor, adult, adult):
        services.referral_send(
            actor=world.doctor,
            person=person,
            data={"kind": "internal", "to_discipline": "social", "reason": "Housing"},
        )
    month = Period.containing(today, "month")
    referrals = _indicator(world, "REF-AGE", fact="referrals", measure=Measure.COUNT)
    by_age = compute(referrals, month, user=world.meal, disaggregate=("age_group",))
    by_split = compute(referrals, month, user=world.meal, disaggregate=("minor_adult",))
    assert by_age.total == 3 and by_split.total == 3
    counts = {value["minor_adult"]: value["value"] for value in by_split.values}
    assert counts == {"minor": 1, "adult": 2}
