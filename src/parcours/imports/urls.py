from django.urls import path

from parcours.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:batch_id>/", views.batch_detail, name="batch"),
    path("<int:batch_id>/mapping/", views.mapping, name="mapping"),
    path("<int:batch_id>/mapping.yaml", views.mapping_yaml, name="mapping_yaml"),
    path("<int:batch_id>/run/", views.run, name="run"),
    path("<int:batch_id>/report.xlsx", views.report, name="report"),
    path("<int:batch_id>/undo/", views.undo, name="undo"),
    path("<int:batch_id>/decide/", views.decide, name="decide"),
    path("person/<int:person_id>/", views.person_data, name="person_data"),
]
