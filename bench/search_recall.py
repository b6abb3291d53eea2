"""People search recall: does search find a person under every spelling staff write?

    uv run python bench/search_recall.py [--crowd 3000] [--at <commit>] [--misses]

Registers the persons of tests/people/search_recall_data.py through the
service in a throw-away database (var/search_recall.sqlite3, recreated on
each run), among ``--crowd`` invented persons of every nationality (the
``generate`` code), then runs every query of the set through
``people.search.search`` and prints recall@5 (the person among the first
five results) per naming tradition and per query script, and the exact
full-name queries that did not rank their person first.

``--at <commit>`` runs the same evaluation with people/names.py and
people/search.py as they were at that commit (the figures before a change).
Ends with one JSON line.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import types

from common import ROOT

DB_PATH = ROOT / "var" / "search_recall.sqlite3"
MODULES = ("names", "search")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crowd", type=int, default=3000, help="invented persons around the set")
    parser.add_argument("--at", default="", help="use people/names.py and search.py of this commit")
    parser.add_argument("--misses", action="store_true", help="list every query that missed")
    return parser.parse_args()


def source_at(commit: str, module: str) -> str:
    path = f"src/parcours/people/{module}.py"
    command = ["git", "show", f"{commit}:{path}"]
    # The developer's own git, on the commit they name.
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603


def install_module(commit: str, module: str) -> None:
    """Replace parcours.people.<module> by its source at ``commit``."""
    import parcours.people

    name = f"parcours.people.{module}"
    replacement = types.ModuleType(name)
    replacement.__file__ = f"{commit}:{module}.py"
    replacement.__package__ = "parcours.people"
    sys.modules[name] = replacement
    setattr(parcours.people, module, replacement)
    exec(compile(source_at(commit, module), replacement.__file__, "exec"), replacement.__dict__)  # noqa: S102


def setup(at: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        path = DB_PATH.with_name(DB_PATH.name + suffix)
        if path.exists():
            path.unlink()
    os.environ["PARCOURS_SQLITE_PATH"] = str(DB_PATH)
    os.environ.setdefault("PARCOURS_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    sys.path.insert(0, str(ROOT))
    if at:
        install_module(at, "names")  # before anything imports it
    import django

    django.setup()
    if at:
        install_module(at, "search")
        # Modules imported during set-up hold the names of the new modules.
        import parcours.people.services as services

        services.person_name_keys = sys.modules["parcours.people.names"].person_name_keys
        import parcours.demo.generate as generate

        generate.person_name_keys = sys.modules["parcours.people.names"].person_name_keys


def main() -> None:
    args = parse_args()
    setup(args.at)
    from django.core.management import call_command

    from parcours.demo.generate import top_up
    from parcours.people.models import Person
    from parcours.people.search import search
    from tests.people import search_recall_data as data
    from tests.personas import build_world

    call_command("migrate", interactive=False, verbosity=0)
    world = build_world()
    chosen = data.targets()
    ids, names = data.register(world.coordinator, world.calais, chosen)
    if args.crowd:
        top_up(Person.objects.count() + args.crowd)
    everyone = Person.objects.all()

    def ranked(query: str) -> list[int]:
        return list(search(everyone, query)[0].ids)

    names.update(
        (pk, (given, family))
        for pk, given, family in everyone.exclude(pk__in=names).values_list(
            "pk", "given_name", "family_name"
        )
    )
    started = time.perf_counter()
    outcomes = data.evaluate(ranked, chosen, ids, names)
    seconds = time.perf_counter() - started
    full_names = {t.key: t.full_name for t in chosen}
    misranked = data.exact_misranked(outcomes, full_names)
    variants = [o for o in outcomes if not o.query.exact]

    label = f"names.py and search.py at {args.at}" if args.at else "working tree"
    print(
        f"\n{len(chosen)} persons, {len(outcomes)} queries ({len(variants)} variants and "
        f"{len(outcomes) - len(variants)} exact names) among {Person.objects.count():,} persons; "
        f"{label}; {1000 * seconds / len(outcomes):.1f} ms per search.\n"
    )
    print(f"{'':<22}{'queries':>8}{'recall@5':>10}")
    print(f"{'all':<22}{len(outcomes):>8}{data.recall(outcomes):>10.3f}")
    summary = {"queries": len(outcomes), "recall_at_5": round(data.recall(outcomes), 3)}
    for attribute in ("tradition", "script"):
        for group, members in sorted(data.by(outcomes, attribute).items()):
            print(f"{attribute + ' ' + group:<22}{len(members):>8}{data.recall(members):>10.3f}")
            summary[f"{attribute}_{group}"] = round(data.recall(members), 3)
    print(f"\nexact full names not ranked first: {len(misranked)}")
    for outcome in misranked:
        print(f"  {outcome.query.text!r}: rank {outcome.rank}, behind {outcome.ahead}")
    summary["exact_not_first"] = len(misranked)
    misses = [o for o in outcomes if not o.hit]
    if args.misses:
        print(f"\nmisses: {len(misses)}")
        for outcome in misses:
            print(
                f"  [{outcome.query.tradition}] {outcome.query.text!r} → "
                f"{full_names[outcome.query.target]}: rank {outcome.rank}, behind {outcome.ahead}"
            )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
