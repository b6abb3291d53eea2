from django.urls import path

from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)
from parcours.network import referral_views, views

app_name = "network"
urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("services/map/", views.service_map, name="service_map"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/import/", views.service_import, name="service_import"),
    path("services/export/", views.service_export, name="service_export"),
    path("services/<id:service_id>/", views.service_detail, name="service_detail"),
    path("services/<id:service_id>/edit/", views.service_edit, name="service_edit"),
    path("needs/<id:project_id>/", views.needs, name="needs"),
    path("persons/<id:person_id>/", referral_views.person_referrals_page, name="person_referrals"),
    path("persons/<id:person_id>/new/", referral_views.referral_new, name="referral_new"),
    path("mine/", referral_views.mine, name="mine"),
    path("<id:referral_id>/", referral_views.referral_detail, name="referral_detail"),
    path("<id:referral_id>/status/", referral_views.referral_status, name="referral_status"),
    path("<id:referral_id>/letter.pdf", referral_views.referral_letter_pdf, name="referral_letter"),
]
