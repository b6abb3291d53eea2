"""The statistics page: counts by category, channel, language, month and
site, on-time rates and the median time to response, for who may count."""

from datetime import date, timedelta

from django.utils import timezone, translation

from parcours.feedback import services, stats


def test_figures(world, staff_item, submit):
    now = timezone.now()
    a = staff_item(category="suggestion", received_at=now - timedelta(days=40), language="ar")
    b = staff_item(
        category="suggestion", received_at=now - timedelta(days=20), site=world.calais_day_centre
    )
    c = staff_item(category="info_request", received_at=now - timedelta(days=2))
    submit(topic="positive", language="ti")
    staff_item(category="sea")  # sensitive: a total only for MEAL
    # a: acknowledged late (after 7 days), answered on time after 10 days
    services.feedback_move(
        actor=world.meal, item=a, version=1, to_status="acknowledged", now=now - timedelta(days=30)
    )
    a.refresh_from_db()
    services.feedback_move(
        actor=world.meal,
        item=a,
        version=a.version,
        to_status="responded",
        note="Answered at the community meeting",
        response="More places on Thursday",
        response_method="community_meeting",
        now=now - timedelta(days=30),
    )
    # b: acknowledged on time, never answered, deadline not passed (20 < 30)
    services.feedback_move(
        actor=world.meal, item=b, version=1, to_status="acknowledged", now=now - timedelta(days=19)
    )
    today = timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    with translation.override("en"):
        f = stats.figures(world.meal, world.calais, start, today, today=today)
    assert f.total == 5 and f.detailed == 4 and f.sensitive_total == 1
    assert dict(f.by_category)["Suggestion"] == 2
    assert dict(f.by_channel)["Public web page"] == 1
    assert dict(f.by_site)[world.calais_day_centre.name] == 1
    assert sum(n for _m, n in f.by_month) == 4
    # Acknowledgement: a (late), b (on time) done; c not due yet; the public one not due yet.
    assert f.acknowledged_on_time == (1, 2)
    # Response: a done on time; b, c, public not due.
    assert f.responded_on_time == (1, 1)
    assert f.median_days_to_response == 10.0
    assert c.pk  # counted, not yet due


def test_statistics_page_access_and_bad_parameters(world, client):
    client.force_login(world.coordinator)
    assert client.get("/feedback/statistics/").status_code == 200
    assert client.get("/feedback/statistics/?from=garbage&to=9999-99").status_code == 200
    assert client.get(f"/feedback/statistics/?project={world.dunkerque.pk}").status_code == 404
    assert client.get("/feedback/statistics/?project=abc").status_code == 404
    client.force_login(world.doctor)
    assert client.get("/feedback/statistics/").status_code == 404
