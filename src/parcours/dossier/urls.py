from django.urls import path

from parcours.dossier import break_glass, care_team, consents, person
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

app_name = "dossier"
urlpatterns = [
    path("people/<id:person_id>/", person.person_detail, name="person"),
    path("people/<id:person_id>/enrol/", person.person_enrol, name="enrol"),
    path("access/persons/<id:person_id>/consents/", consents.consents, name="consents"),
    path("access/persons/<id:person_id>/care-team/", care_team.care_team, name="care_team"),
    path("access/break-glass/", break_glass.break_glass, name="break_glass"),
    path(
        "access/break-glass/review/",
        break_glass.break_glass_review_list,
        name="break_glass_review",
    ),
    path(
        "access/break-glass/<id:opening_id>/review/",
        break_glass.break_glass_mark_reviewed,
        name="break_glass_mark_reviewed",
    ),
    path(
        "access/break-glass/<id:opening_id>/approve/",
        break_glass.break_glass_approve,
        name="break_glass_approve",
    ),
]
