"""Staff pages under /feedback/, and the public page at /f/<project code>
(one include at the root of the site)."""

from django.urls import path

from parcours.feedback import exports, public, testimony_views, views
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

app_name = "feedback"
urlpatterns = [
    # Public, no sign-in: short enough to type from a poster.
    path("f/<str:code>", public.public_page, name="public"),
    path("f/<str:code>/<str:site_id>", public.public_page, name="public_site"),
    path("feedback/", views.item_list, name="index"),
    path("feedback/new/", views.record, name="record"),
    path("feedback/statistics/", views.statistics, name="statistics"),
    path("feedback/<id:item_id>/", views.item_page, name="item"),
    path("feedback/<id:item_id>/edit/", views.item_edit, name="edit"),
    path("feedback/<id:item_id>/step/", views.item_step, name="step"),
    path("feedback/project/<id:project_id>/settings/", views.project_settings, name="settings"),
    path("feedback/project/<id:project_id>/qr.svg", views.qr_code, name="qr"),
    path("feedback/project/<id:project_id>/poster.pdf", views.poster, name="poster"),
    path("testimonies/", testimony_views.testimony_list, name="testimonies"),
    path("testimonies/new/", testimony_views.testimony_new, name="testimony_new"),
    path("testimonies/export.csv", exports.export_csv, name="testimony_export_csv"),
    path("testimonies/export.docx", exports.export_docx, name="testimony_export_docx"),
    path("testimonies/<id:testimony_id>/", testimony_views.testimony_page, name="testimony"),
    path(
        "testimonies/<id:testimony_id>/edit/",
        testimony_views.testimony_edit,
        name="testimony_edit",
    ),
    path(
        "testimonies/<id:testimony_id>/review/",
        testimony_views.testimony_review,
        name="testimony_review",
    ),
    path(
        "testimonies/<id:testimony_id>/withdraw/",
        testimony_views.testimony_withdraw,
        name="testimony_withdraw",
    ),
]
