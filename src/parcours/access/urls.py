from django.urls import path

from parcours.access import views

app_name = "access"
urlpatterns = [
    path("persons/<int:person_id>/consents/", views.consents, name="consents"),
    path("persons/<int:person_id>/care-team/", views.care_team, name="care_team"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/review/", views.break_glass_review_list, name="break_glass_review"),
    path(
        "break-glass/<int:opening_id>/review/",
        views.break_glass_mark_reviewed,
        name="break_glass_mark_reviewed",
    ),
]
