"""Feedback at volume: the public page (GET and POST), the staff list and
the statistics page of a project holding --items feedback items.

    uv run python bench/feedback.py --items 20000 [--requests 100] [--only statistics]

Uses its own database (var/bench-feedback.sqlite3, or DATABASE_URL), adds
items in bulk (not through the services: the point is reading them), then
times requests through the whole stack with Django's test client. Prints
the public page's size in each language. Ends with one JSON line.
"""

import argparse
import json
import os
import random
from datetime import timedelta

from common import ROOT, measure, print_results, setup_django, summary, timed

os.environ.setdefault("PARCOURS_SQLITE_PATH", str(ROOT / "var" / "bench-feedback.sqlite3"))


def posted(client, path: str, data: dict) -> tuple[float, float]:
    import sys
    import time

    wall, cpu = time.perf_counter(), time.process_time()
    response = client.post(path, data)
    wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return wall, cpu


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--only", nargs="*", default=(), help="the cases to time (e.g. statistics); all if none"
    )
    return parser.parse_args()


def prepare(items: int):
    from django.core.management import call_command
    from django.utils import timezone

    from parcours.accounts.models import Membership, User
    from parcours.demo.organisation import ensure_organisation
    from parcours.feedback.models import FeedbackCategory, FeedbackItem, is_sensitive_category
    from parcours.feedback.references import new_reference

    call_command("migrate", verbosity=0)
    projects = ensure_organisation()
    calais = projects["CAL"]
    user, _created = User.objects.get_or_create(username="bench-meal")
    Membership.objects.get_or_create(user=user, project=calais, role="meal")
    have = FeedbackItem.objects.filter(project=calais).count()
    rng = random.Random(1)
    now = timezone.now()
    batch = []
    for _ in range(max(0, items - have)):
        category = rng.choice([*FeedbackCategory.values, ""])
        received = now - timedelta(days=rng.randint(0, 360), hours=rng.randint(0, 23))
        acknowledged = received + timedelta(days=rng.randint(0, 12)) if rng.random() < 0.8 else None
        responded = received + timedelta(days=rng.randint(3, 45)) if acknowledged else None
        item = FeedbackItem(
            reference=new_reference(),
            project=calais,
            channel=rng.choice(["web", "phone", "in_person", "suggestion_box"]),
            language=rng.choice(["fr", "ar", "ti", "ps", "prs", "so", "en", "am"]),
            category=category,
            sensitive=is_sensitive_category(category),
            message="Un message de retour assez ordinaire, chiffré au repos.",
            status="responded" if responded else ("acknowledged" if acknowledged else "received"),
            received_at=received,
            acknowledge_due=(received + timedelta(days=7)).date(),
            respond_due=(received + timedelta(days=30)).date(),
            acknowledged_at=acknowledged,
            responded_at=responded,
        )
        item.record_times()  # what services.feedback_move stores
        batch.append(item)
        if len(batch) == 2000:
            FeedbackItem.objects.bulk_create(batch)
            batch = []
    FeedbackItem.objects.bulk_create(batch)
    return calais, user


def main():
    args = parse_args()
    setup_django()
    from django.test import Client

    from parcours.feedback import services
    from parcours.feedback.public_texts import PUBLIC_LANGUAGES

    calais, user = prepare(args.items)
    services.RATE_LIMIT = 10**9  # the benchmark sends from one address
    anonymous, staff = Client(), Client()
    staff.force_login(user)
    sizes = {code: len(anonymous.get(f"/f/CAL?lang={code}").content) for code in PUBLIC_LANGUAGES}
    print("public page size (bytes):", sizes)
    cases = {
        "trivial": ("health check", lambda: timed(anonymous, "/health/")),
        "public_get": ("public page, Arabic", lambda: timed(anonymous, "/f/CAL?lang=ar")),
        "public_post": (
            "public submission",
            lambda: posted(anonymous, "/f/CAL", {"lang": "ti", "message": "ሰላም"}),
        ),
        "list": ("staff list (200 latest)", lambda: timed(staff, "/feedback/")),
        "statistics": ("statistics, 12 months", lambda: timed(staff, "/feedback/statistics/")),
    }
    if args.only:
        cases = {k: v for k, v in cases.items() if k in args.only or k == "trivial"}
    results = {key: measure(args.requests, args.warmup, call) for key, (_l, call) in cases.items()}
    print_results(cases, results)
    print(json.dumps(summary(results, items=args.items, max_page_bytes=max(sizes.values()))))


if __name__ == "__main__":
    main()
