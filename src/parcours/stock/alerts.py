"""The stock alerts of the home page, for the staff who work the site's
pharmacy (roles that record stock movements: medical staff and logistics)
and, for orders waiting for validation, the medical referent."""

from django.urls import reverse

from parcours.access.module_scopes import order_validate_projects
from parcours.access.scope import projects_where
from parcours.access.terms import Action, Category
from parcours.org.models import Site
from parcours.stock import planning
from parcours.stock.models import Order, OrderStatus, SiteItem


def home_alerts(user) -> dict | None:
    alerts = []
    sites = Site.objects.in_use().filter(
        project_id__in=projects_where(user, Action.CREATE, Category.STOCK),
        pk__in=SiteItem.objects.filter(stocked=True).values("site_id"),
    )
    for site in sites.select_related("project").order_by("project__name", "name"):
        counts = planning.counts([site.pk])
        if any(counts.values()):
            alerts.append({"site": site, **counts, "url": reverse("stock:status", args=[site.pk])})
    waiting = (
        Order.objects.filter(
            status=OrderStatus.WAITING, site__project_id__in=order_validate_projects(user)
        )
        .select_related("site")
        .order_by("created_at")
    )
    orders = [
        {"reference": o.reference, "site": o.site, "url": reverse("stock:order", args=[o.pk])}
        for o in waiting[:20]
    ]
    return {"sites": alerts, "orders": orders} if alerts or orders else None
