"""How a dispensing names its person: by the person code to who opens medical
records in the encounter's project, by a pseudonymous reference to anyone
else (pharmacy, logistics, coordinators). The reference is a keyed hash of
the encounter: stable, the same on the page and in the API, and it says
nothing of who the person is, nor links two dispensings to the same person."""

from django.utils.crypto import salted_hmac

from parcours.access.module_scopes import dispensing_person_projects
from parcours.people.models import Enrolment

SALT = "parcours.stock.dispensing"


def pseudonym(encounter_id: int) -> str:
    digest = salted_hmac(SALT, str(encounter_id)).hexdigest()
    return f"C-{digest[:10].upper()}"


class References:
    """For one reader: the reference of each dispensing line shown."""

    def __init__(self, user):
        self.named_projects = dispensing_person_projects(user)

    def codes(self, lines) -> dict[int, dict]:
        """line id → {"reference", "person_code", "encounter_id"} for the lines
        that have an encounter. The code only where the reader opens medical
        records; the person behind it is then returned for the access log."""
        named = [
            line
            for line in lines
            if line.encounter_id and line.encounter.project_id in self.named_projects
        ]
        codes = {}
        if named:
            rows = Enrolment.objects.filter(
                person_id__in={line.encounter.person_id for line in named},
                project_id__in={line.encounter.project_id for line in named},
            ).values_list("person_id", "project_id", "code")
            codes = {(p, pr): c for p, pr, c in rows}
        result = {}
        for line in lines:
            if not line.encounter_id:
                continue
            entry = {"reference": pseudonym(line.encounter_id), "person_code": None}
            if line.encounter.project_id in self.named_projects:
                entry["person_code"] = codes.get(
                    (line.encounter.person_id, line.encounter.project_id)
                )
                entry["person_id"] = line.encounter.person_id
                entry["encounter_id"] = line.encounter_id
            result[line.pk] = entry
        return result
