"""The SITREP's feedback lines: items by category, % acknowledged and
responded on time and the median time to response equal the figures counted
here item by item; sensitive items are one total, for every reader."""

import re
from datetime import timedelta
from statistics import median

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.feedback import services
from parcours.feedback.models import FeedbackItem
from parcours.reporting.models import Report


@pytest.fixture
def feedback(world, period, on):
    def record(category, day, **data):
        return services.feedback_record(
            actor=world.meal,
            project=world.calais,
            data={
                "channel": "in_person",
                "category": category,
                "message": f"Message about {category} on day {day}",
                "received_at": on(day),
                **data,
            },
        )

    def move(item, to, days, actor=None, **kw):
        item.refresh_from_db()
        return services.feedback_move(
            actor=actor or world.meal,
            item=item,
            version=item.version,
            to_status=to,
            now=min(item.received_at + timedelta(days=days), timezone.now()),
            **kw,
        )

    answer = {"response": "The queue is split in two", "response_method": "in_person"}
    a, b = record("suggestion", 1), record("suggestion", 2, language="ar")
    c = record("service_complaint", 2, site=world.calais_day_centre)
    d = record("info_request", 3)
    record("sea", 2, language="ti", site=world.calais_day_centre)
    e = record("staff_conduct", 3)
    move(a, "acknowledged", 1)
    move(a, "responded", 4, note="Answered at the meeting", **answer)
    move(c, "acknowledged", 10)
    move(c, "responded", 12, note="Answered after a review", **answer)
    move(d, "acknowledged", 2)
    move(e, "acknowledged", 1, actor=world.safeguarding)
    assert b.pk
    return record


def expected(period):
    low, high = period.bounds()
    items = list(FeedbackItem.objects.filter(received_at__gte=low, received_at__lt=high))
    rows = [i for i in items if not i.sensitive]
    today = timezone.localdate()

    def on_time(done, due):
        counted = [i for i in rows if getattr(i, done) or getattr(i, due) < today]
        ok = [
            i
            for i in counted
            if getattr(i, done) and timezone.localtime(getattr(i, done)).date() <= getattr(i, due)
        ]
        return f"{round(100 * len(ok) / len(counted))} % ({len(ok)}/{len(counted)})"

    days = [
        (i.responded_at - i.received_at).total_seconds() / 86400 for i in rows if i.responded_at
    ]
    by_category = {}
    for i in rows:
        by_category[i.category] = by_category.get(i.category, 0) + 1
    return {
        "items": len(items),
        "sensitive": len(items) - len(rows),
        "by_category": by_category,
        "acknowledged": on_time("acknowledged_at", "acknowledge_due"),
        "responded": on_time("responded_at", "respond_due"),
        "median": round(median(days), 1),
    }


def section(body: str) -> str:
    assert 'class="report-feedback"' in body
    return body.split('class="report-feedback"')[1].split("</dl>")[0]


def rate(part: str, name: str) -> str:
    return part.split(f'data-rate="{name}">')[1].split("</dd>")[0].strip()


def sitrep(client, world, period):
    return client.get(
        reverse("reporting:sitrep", args=[world.calais.pk]) + f"?period={period.code}"
    ).content.decode()


def test_sitrep_shows_the_feedback_figures(client, world, period, feedback):
    want = expected(period)
    assert want["sensitive"] == 2 and want["by_category"] == {
        "suggestion": 2,
        "service_complaint": 1,
        "info_request": 1,
    }
    for user in (world.coordinator, world.meal):
        client.force_login(user)
        part = section(sitrep(client, world, period))
        shown = dict(re.findall(r'data-category="(\w*)"><td>[^<]*</td><td>(\d+)</td>', part))
        assert {k: int(v) for k, v in shown.items()} == want["by_category"]
        assert rate(part, "acknowledged") == want["acknowledged"]
        assert rate(part, "responded") == want["responded"]
        assert str(want["median"]).replace(".", ",") in rate(part, "median") or str(
            want["median"]
        ) in rate(part, "median")
        sensitive = part.split('class="report-feedback-sensitive">')[1].split("</span>")[0]
        assert f" {want['sensitive']} " in sensitive
        assert f">{want['items']} " in part


def test_a_sensitive_item_is_only_a_total(client, world, period, feedback):
    """Not its category, language, site or message, even for a safeguarding
    focal point who is also the project's coordinator."""
    from parcours.accounts.models import Membership

    Membership.objects.create(user=world.safeguarding, project=world.calais, role="coordinator")
    for user in (world.coordinator, world.meal, world.safeguarding):
        client.force_login(user)
        body = sitrep(client, world, period)
        part = section(body)
        for code in ("sea", "staff_conduct", "fraud", "data_protection", ""):
            assert f'data-category="{code}"' not in part
        assert "Message about" not in body
        assert "Sexual exploitation" not in body and "Exploitation" not in body


def test_frozen_lines_are_kept_and_shown_only_to_who_counts_feedback(
    client, world, period, feedback
):
    client.force_login(world.coordinator)
    client.post(
        reverse("reporting:sitrep_save", args=[world.calais.pk]),
        {"period": period.code, "version": 0, "highlights": "Feedback month"},
    )
    report = Report.objects.get(project=world.calais, period=period.code)
    client.post(
        reverse("reporting:sitrep_validate", args=[world.calais.pk]),
        {"period": period.code, "version": report.version},
    )
    report.refresh_from_db()
    assert report.is_validated
    before = section(sitrep(client, world, period))
    feedback("positive", 5)  # recorded after the validation
    assert section(sitrep(client, world, period)) == before
    frozen = report.validated
    assert frozen.figures["projects"][0]["feedback"]["sensitive"] == 2
    assert frozen.figures_outside["projects"][0]["feedback"] is None
    for user in (world.referent, world.advocacy):
        client.force_login(user)
        body = sitrep(client, world, period)
        assert 'class="report-feedback"' not in body


def test_downloads_carry_the_feedback_lines(client, world, period, feedback):
    import io

    from docx import Document
    from openpyxl import load_workbook

    client.force_login(world.coordinator)
    world.coordinator.language = "en"
    world.coordinator.save()
    query = f"?period={period.code}"
    word = client.get(reverse("reporting:sitrep_docx", args=[world.calais.pk]) + query)
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    sheet = client.get(reverse("reporting:sitrep_xlsx", args=[world.calais.pk]) + query)
    book = load_workbook(io.BytesIO(sheet.content))
    cells = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row)
    want = expected(period)
    for body in (text, cells):
        assert f"{want['items']} items received, of which {want['sensitive']} sensitive" in body
        assert "Suggestion 2" in body and "Message about" not in body
        assert f"Acknowledged on time: {want['acknowledged']}" in body
    pdf = client.get(reverse("reporting:sitrep_pdf", args=[world.calais.pk]) + query)
    assert pdf.status_code == 200
