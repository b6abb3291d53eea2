from django.urls import path

from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)
from parcours.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.quality_index, name="index"),
    path("<id:project_id>/", views.project_quality, name="project"),
]
