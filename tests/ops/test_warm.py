"""``parcours serve`` loads views, translations and templates before it forks
its workers, so that no worker pays for them on a user's request."""

import gc

from django.template import engines

from parcours.ops.warm import warm_up


def test_warm_up_compiles_the_templates_without_touching_the_database():
    # No database fixture: a query here would fail the test (pytest-django),
    # as a connection opened in the parent would be shared by every worker.
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    threshold = gc.get_threshold()
    try:
        compiled = warm_up()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 50_000
    finally:  # the test process's own collector as it was
        gc.unfreeze()
        gc.set_threshold(*threshold)
    assert compiled >= 100
    assert any("people/list.html" in str(key) for key in loader.get_template_cache)
