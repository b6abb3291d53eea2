from django.urls import path

from parcours.agenda import appointment_views, views
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

app_name = "agenda"
urlpatterns = [
    path("", views.agenda_index, name="index"),
    path("site/<id:site_id>/", views.agenda_site, name="site"),
    path("clinician/<id:clinician_id>/", views.agenda_clinician, name="clinician"),
    path("mine.ics", views.agenda_ics_view, name="ics"),
    path("new/<str:discipline>/", appointment_views.appointment_new, name="new"),
    path("<id:appointment_id>/edit/", appointment_views.appointment_edit, name="edit"),
    path("<id:appointment_id>/status/", appointment_views.appointment_status, name="status"),
]
