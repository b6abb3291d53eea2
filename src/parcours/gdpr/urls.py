from django.urls import path

from parcours.gdpr import views

app_name = "gdpr"

urlpatterns = [
    path("", views.index, name="index"),
    path("person/<int:person_id>/access/", views.access_request, name="access_request"),
    path("person/<int:person_id>/access/export/", views.access_export, name="access_export"),
    path("person/<int:person_id>/erasure/", views.erasure, name="erasure"),
    path("person/<int:person_id>/legal-hold/", views.legal_hold, name="legal_hold"),
    path("retention/", views.retention, name="retention"),
    path("pseudonymised/", views.pseudonymised_export, name="pseudonymised"),
    path("register.pdf", views.register, name="register"),
]
