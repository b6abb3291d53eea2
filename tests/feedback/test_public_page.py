"""The public page: every language renders and accepts a submission, texts
round-trip unchanged, bad input saves nothing and never fails."""

import html

import pytest

from parcours.audit.models import AuditEvent
from parcours.feedback import services
from parcours.feedback.models import Channel, FeedbackItem
from parcours.feedback.public_texts import PUBLIC_LANGUAGES
from parcours.feedback.references import ALPHABET

ARABIC = "شكرا على المساعدة الطبية، لكن الانتظار طويل جدا في المساء."
TIGRINYA = "ብዙሕ ኣመስግን። ሓኪም ጽቡቕ ገይሩ ተቐቢሉና፣ ግን ዝተዋህበና ማይ ውሑድ እዩ።"
TEXTS = {
    "fr": "Merci à l'équipe de l'accueil de jour.",
    "en": "The night shelter was full again.",
    "ar": ARABIC,
    "ti": TIGRINYA,
    "am": "እባካችሁ ስለ ጥገኝነት ጥያቄ መረጃ እፈልጋለሁ።",
    "ps": "زه غواړم د ډاکټر سره وګورم، مننه.",
    "prs": "لطفاً برای ما آب آشامیدنی بیشتر بیاورید.",
    "so": "Waad ku mahadsan tihiin caawimaadda caafimaadka.",
}


@pytest.mark.parametrize("language", list(PUBLIC_LANGUAGES))
def test_each_language_renders_and_accepts_a_submission(world, client, language):
    page = client.get(f"/f/CAL?lang={language}")
    assert page.status_code == 200
    content = page.content.decode()
    direction = PUBLIC_LANGUAGES[language][1]
    assert f'<html lang="{language}" dir="{direction}">' in content
    assert "<script" not in content
    assert len(page.content) < 20_000  # a cheap phone on a slow network
    response = client.post(
        "/f/CAL", {"lang": language, "message": TEXTS[language], "topic": "suggestion"}
    )
    assert response.status_code == 200
    item = FeedbackItem.objects.get()
    assert item.message == TEXTS[language]  # round-trips unchanged
    assert item.language == language
    assert item.channel == Channel.WEB and item.category == "suggestion"
    assert not item.sensitive
    assert item.reference in response.content.decode()
    assert f'dir="{direction}"' in response.content.decode()


def test_reference_is_short_unambiguous_and_random(world, submit):
    refs = {submit(address=f"10.0.0.{i}").reference for i in range(8)}
    assert len(refs) == 8
    for ref in refs:
        assert len(ref) == 9 and ref[4] == "-"
        assert set(ref.replace("-", "")) <= set(ALPHABET)
        assert not set(ref) & set("0O1IL5S8B2Z")


def test_site_page_and_what_happens_next(world, client):
    site = world.calais_day_centre
    page = client.get(f"/f/CAL/{site.pk}?lang=en")
    assert page.status_code == 200
    content = page.content.decode()
    assert site.name in content
    assert "within 7 days" in content and "within 30 days" in content
    client.post(f"/f/CAL/{site.pk}", {"lang": "en", "message": "Hello"})
    assert FeedbackItem.objects.get().site == site


def test_unclassified_and_sensitive_topics_are_sensitive(world, submit):
    assert submit(topic="").sensitive
    assert submit(topic="sea", address="10.0.0.2").sensitive
    assert not submit(topic="positive", address="10.0.0.3").sensitive


def test_audited_without_content(world, submit):
    item = submit(message="Secret words")
    event = AuditEvent.objects.get(subject_id=str(item.pk))
    assert event.actor is None
    assert "Secret" not in str(event.extra) + str(event.changes)


@pytest.mark.parametrize(
    "code", ["XXX", "cal'--", "A" * 300, "%00", "TRI", "ÇAL", "12"], ids=lambda c: c[:10]
)
def test_forged_or_closed_project_code_is_a_clear_404(world, client, code):
    response = client.post(f"/f/{code}", {"lang": "en", "message": "Hello"})
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_forged_site_is_a_404(world, client):
    for site in ["999999", "abc", str(world.dunkerque_camp.pk), "9" * 40]:
        response = client.post(f"/f/CAL/{site}", {"lang": "en", "message": "Hello"})
        assert response.status_code == 404, site
    assert not FeedbackItem.objects.exists()


@pytest.mark.parametrize(
    "message, expected",
    [
        ("", "Please write your message."),
        ("   \n  ", "Please write your message."),
        ("x" * 100_000, "at most 5000 characters (you wrote 100000)"),
        ("abc\x00\x01\x02\xff", "cannot be read"),
        ("\ufffd\ufffd junk", "cannot be read"),
    ],
    ids=["empty", "blank", "100k", "binary", "replacement"],
)
def test_bad_messages_save_nothing_with_a_clear_message(world, client, message, expected):
    response = client.post("/f/CAL", {"lang": "en", "message": message})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_binary_body_is_refused_without_a_500(world, client):
    response = client.post(
        "/f/CAL", data=bytes(range(256)) * 50, content_type="application/octet-stream"
    )
    assert response.status_code == 400
    assert not FeedbackItem.objects.exists()


def test_errors_are_in_the_page_language(world, client):
    response = client.post("/f/CAL", {"lang": "fr", "message": ""})
    assert "Merci d'écrire votre message." in html.unescape(response.content.decode())


def test_unknown_topic_and_long_contact_are_refused(world, client):
    assert client.post("/f/CAL", {"message": "Hi", "topic": "nope"}).status_code == 400
    assert client.post("/f/CAL", {"message": "Hi", "contact": "9" * 500}).status_code == 400
    assert not FeedbackItem.objects.exists()


def test_honeypot_saves_nothing(world, client):
    response = client.post("/f/CAL", {"lang": "en", "message": "Buy now", "website": "http://x"})
    assert response.status_code == 400
    assert not FeedbackItem.objects.exists()


def test_rate_limit_per_address_holds(world, client, settings):
    for i in range(services.RATE_LIMIT):
        assert client.post("/f/CAL", {"message": f"Message {i}"}).status_code == 200
    refused = client.post("/f/CAL", {"lang": "en", "message": "One more"})
    assert refused.status_code == 429
    assert "Too many messages" in refused.content.decode()
    assert FeedbackItem.objects.count() == services.RATE_LIMIT
    # Another address is not held back.
    other = client.post("/f/CAL", {"message": "Hello"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_the_page_reveals_nothing_about_other_submissions(world, client, submit):
    earlier = submit(message="Very private complaint about Mr X", topic="sea")
    page = client.get("/f/CAL?lang=en").content.decode()
    thanks = client.post("/f/CAL", {"message": "Hello"}, REMOTE_ADDR="192.0.2.9").content.decode()
    for content in (page, thanks):
        assert earlier.reference not in content
        assert "private complaint" not in content


def test_address_is_never_stored_in_clear(world, submit):
    from parcours.feedback.models import SubmissionThrottle

    submit(address="203.0.113.5")
    stored = SubmissionThrottle.objects.get().address
    assert "203.0.113.5" not in stored and len(stored) == 64
