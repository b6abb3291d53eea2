def test_reception_can_open_a_calais_person(world, make_person, login):
    person = make_person(name_original="ኣማኑኤል")
    response = login(world.reception).get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert "ኣማኑኤል" in response.content.decode()


def test_search_finds_arabic_script_from_latin_spelling(world, make_person, login):
    person = make_person(given_name="محمد", family_name="")
    response = login(world.reception).get("/people/", {"q": "Mohammed"})
    assert f"/people/{person.pk}/" in response.content.decode()
