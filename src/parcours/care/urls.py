from django.urls import path

from parcours.care import summary_views, views
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

app_name = "care"
urlpatterns = [
    path("new/<str:discipline>/", views.encounter_new, name="new"),
    path("icd10/", views.icd10, name="icd10"),
    path("<id:encounter_id>/edit/", views.encounter_edit, name="edit"),
    path("<id:encounter_id>/follow-up-done/", views.follow_up_done, name="follow_up_done"),
    path("<id:encounter_id>/recorded/", views.encounter_recorded, name="recorded"),
    # The clinical summary of a person (medical category).
    path("persons/<id:person_id>/clinical-summary/", summary_views.summary_page, name="summary"),
    path(
        "persons/<id:person_id>/clinical-summary/item/",
        summary_views.summary_item,
        name="summary_item",
    ),
    path(
        "persons/<id:person_id>/clinical-summary/end/",
        summary_views.summary_end,
        name="summary_end",
    ),
]
