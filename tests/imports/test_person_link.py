"""The person's page links to the imported data for who sees it, and only
them (the same rule as the imported-data page)."""

import pytest
from django.urls import reverse

from parcours.imports.models import ImportedField
from parcours.people.models import Person
from tests.imports.conftest import MANO_PERSON_HEADER, mano_person, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported_person(run_import, tmp_path):
    """A person imported from Mano with one medical field (health coverage)."""
    path = write_xlsx(
        tmp_path / "data.xlsx",
        {
            "personnes suivies": [
                MANO_PERSON_HEADER,
                mano_person(**{"Couverture(s) médicale(s)": "AME"}),
            ]
        },
    )
    run_import(path)
    assert ImportedField.objects.get().category == "medical"
    return Person.objects.get()


def test_the_person_page_links_to_imported_data_for_who_sees_it(client, world, imported_person):
    link = reverse("imports:person_data", args=[imported_person.pk])
    client.force_login(world.referent)
    page = client.get(reverse("dossier:person", args=[imported_person.pk]))
    assert page.status_code == 200 and link in page.content.decode()
    shown = client.get(link)
    assert shown.status_code == 200 and "AME" in shown.content.decode()


def test_no_link_for_who_does_not_see_the_imported_category(client, world, imported_person):
    link = reverse("imports:person_data", args=[imported_person.pk])
    client.force_login(world.social_worker)
    page = client.get(reverse("dossier:person", args=[imported_person.pk]))
    assert page.status_code == 200 and link not in page.content.decode()
    assert "AME" not in client.get(link).content.decode()


def test_no_link_without_imported_data(client, world, make_person):
    person = make_person(given_name="Hawa")
    client.force_login(world.referent)
    page = client.get(reverse("dossier:person", args=[person.pk]))
    assert reverse("imports:person_data", args=[person.pk]) not in page.content.decode()


def test_who_may_not_see_the_person_gets_no_page(client, world, imported_person):
    client.force_login(world.dunkerque_doctor)
    link = reverse("imports:person_data", args=[imported_person.pk])
    assert client.get(reverse("dossier:person", args=[imported_person.pk])).status_code == 404
    assert client.get(link).status_code == 404
