"""The people list pages by key: every person once, in order, forward and
back, on the page and in the API; a cursor that is not the user's gives the
first page."""

from django.urls import reverse

from parcours.people.models import Person


def _names(response) -> list[str]:
    return [row["person"].given_name for row in response.context["rows"]]


def _register(make_person, n=60):
    # Zero-padded so that alphabetical order is the creation order.
    return [make_person(given_name=f"P{i:03d}", family_name="Same") for i in range(n)]


def test_walking_next_then_previous_shows_everyone_once_in_order(world, make_person, login):
    persons = _register(make_person)
    client = login(world.reception)
    seen, params, pages = [], {}, []
    while True:
        response = client.get(reverse("people:list"), params)
        page = response.context["page"]
        pages.append((page.previous_before, page.next_after))
        seen += _names(response)
        if not page.has_next:
            break
        params = {"after": page.next_after}
    assert seen == [p.given_name for p in persons]
    assert len(pages) == 3 and response.context["total"] == 60
    # Back from the last page.
    back = client.get(reverse("people:list"), {"before": pages[-1][0]})
    assert _names(back) == [p.given_name for p in persons[25:50]]
    assert back.context["page"].has_previous and back.context["page"].has_next


def test_filters_are_kept_when_paging(world, make_person, login):
    _register(make_person, 30)
    for i in range(30):
        make_person(given_name=f"W{i:03d}", family_name="Other", sex="female")
    client = login(world.reception)
    first = client.get(reverse("people:list"), {"sex": "female"})
    assert f"after={first.context['page'].next_after}" in first.content.decode()
    assert "sex=female" in first.context["query_string"]
    second = client.get(
        reverse("people:list"), {"sex": "female", "after": first.context["page"].next_after}
    )
    assert _names(second) == [f"W{i:03d}" for i in range(25, 30)]


def test_a_cursor_outside_the_users_list_gives_the_first_page(world, make_person, login):
    persons = _register(make_person, 30)
    elsewhere = make_person(project=world.dunkerque, actor=world.referent, given_name="Zed")
    client = login(world.reception)
    for cursor in (elsewhere.pk, "abc", "99999999999999999999", Person.objects.count() + 50):
        response = client.get(reverse("people:list"), {"after": cursor})
        assert response.status_code == 200
        assert _names(response) == [p.given_name for p in persons[:25]], cursor


def test_api_pages_by_key_too(world, make_person, api_as):
    persons = _register(make_person, 30)
    api = api_as(world.reception)
    first = api.get("/api/v1/persons", {"page_size": 20}).json()
    assert [r["given_name"] for r in first["results"]] == [p.given_name for p in persons[:20]]
    second = api.get("/api/v1/persons", {"page_size": 20, "after": first["next_after"]}).json()
    assert [r["given_name"] for r in second["results"]] == [p.given_name for p in persons[20:]]
    assert second["next_after"] is None and second["count"] == 30
