from django.urls import include, path

from parcours import views
from parcours.accounts import configuration_urls as accounts_configuration_urls
from parcours.api.api import api
from parcours.ops.health import healthz
from parcours.org import urls as org_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("parcours.accounts.urls")),
    path("", include("parcours.dossier.urls")),
    path("people/", include("parcours.people.urls")),
    path("care/", include("parcours.care.urls")),
    path("agenda/", include("parcours.agenda.urls")),
    path("daily/", include("parcours.daily.urls")),
    path("quality/", include("parcours.quality.urls")),
    path("reports/", include("parcours.reporting.urls")),
    path("meal/", include("parcours.meal.urls")),
    path("stock/", include("parcours.stock.urls")),
    path("", include("parcours.feedback.urls")),
    path("imports/", include("parcours.imports.urls")),
    path("gdpr/", include("parcours.gdpr.urls")),
    path("referrals/", include("parcours.network.urls")),
    path("cases/", include("parcours.cases.urls")),
    path("custom-fields/", include("parcours.customfields.urls")),
    path("ops/", include("parcours.ops.urls")),
    # One "org" namespace for every configuration page: the organisation's
    # (org) and the users and roles (accounts), which sits above org.
    path(
        "configuration/",
        include(
            (
                org_urls.urlpatterns + accounts_configuration_urls.urlpatterns,
                org_urls.app_name,
            )
        ),
    ),
    path("api/v1/", api.urls),
]
