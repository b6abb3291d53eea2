"""People search by POST: the searched name stays out of URLs (address bar,
history, Referer) and the server's access log; paging, the export and the
Back button work on a token kept in the session."""

import pytest

from parcours.ops.management.commands.serve import ACCESS_LOG_FORMAT


@pytest.fixture
def people(make_person):
    for i in range(30):
        make_person(given_name="Mohammed", family_name=f"Ali{i:02d}")
    make_person(given_name="Amanuel", family_name="Tesfay")


def test_search_posts_and_lands_on_a_neutral_address(world, login, people, settings):
    settings.PARCOURS_PAGE_SIZE = 25
    client = login(world.reception)
    response = client.post("/people/", {"q": "Mohamed"})
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith("/people/?s=") and "Moham" not in location
    page = client.get(location).content.decode().lower()
    assert "ali00" in page and "tesfay" not in page
    assert "mohamed" in page  # the search field shows what was searched
    assert "q=" not in page.split('id="results"')[1]  # links carry the token, not the name
    second = client.get(f"{location}&page=2").content.decode().lower()
    assert "ali29" in second or "ali25" in second
    export = client.get(f"/people/export.xlsx?{location.split('?')[1]}")
    assert export.status_code in (200, 404)  # reception may not export; never a 500


def test_htmx_search_pushes_the_token_not_the_name(world, login, people):
    client = login(world.reception)
    response = client.post("/people/", {"q": "Amanuel"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"].startswith("/people/?s=")
    assert "Amanuel" not in response["HX-Push-Url"]
    assert "tesfay" in response.content.decode().lower()


def test_an_unknown_token_gives_the_plain_list(world, login, people):
    response = login(world.reception).get("/people/?s=forgotten")
    assert response.status_code == 200 and "ali00" in response.content.decode().lower()


def test_the_forms_post_and_the_access_log_has_no_query_string(world, login):
    client = login(world.reception)
    for url in ("/", "/people/"):
        page = client.get(url).content.decode()
        assert 'method="post" action="/people/"' in page, url
    assert "%(U)s" in ACCESS_LOG_FORMAT and "%(q)s" not in ACCESS_LOG_FORMAT
    assert "%(r)s" not in ACCESS_LOG_FORMAT
