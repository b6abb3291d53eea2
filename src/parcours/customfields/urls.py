from django.urls import path

from parcours.customfields import views

app_name = "customfields"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:project_id>/<str:custom_target>/", views.form_fields, name="form"),
    path("<int:project_id>/<str:custom_target>/new/", views.field_new, name="new"),
    path("<int:project_id>/<str:custom_target>/xlsform/", views.xlsform_import, name="xlsform"),
    path(
        "<int:project_id>/<str:custom_target>/xlsform.xlsx",
        views.xlsform_export,
        name="xlsform_export",
    ),
    path("field/<int:custom_field_id>/", views.field_edit, name="edit"),
    path("field/<int:custom_field_id>/retire/", views.field_retire, name="retire"),
]
