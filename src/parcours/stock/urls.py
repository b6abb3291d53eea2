from django.urls import path

from parcours.stock import catalogue_views, order_views, views

app_name = "stock"

urlpatterns = [
    path("", views.stock_index, name="index"),
    path("site/<int:site_id>/", views.stock_status, name="status"),
    path("site/<int:site_id>/ledger/", views.stock_ledger, name="ledger"),
    path("site/<int:site_id>/movement/<str:kind>/", views.stock_movement, name="movement"),
    path("line/<int:line_id>/receive/", views.transfer_receive, name="transfer_receive"),
    path("line/<int:line_id>/reverse/", views.line_reverse, name="reverse"),
    path("items/", catalogue_views.item_list, name="items"),
    path("items/new/", catalogue_views.item_new, name="item_new"),
    path("items/<int:item_id>/", catalogue_views.item_edit, name="item_edit"),
    path("site/<int:site_id>/item/<int:item_id>/", catalogue_views.site_item, name="site_item"),
    path("site/<int:site_id>/orders/", order_views.order_list, name="orders"),
    path("site/<int:site_id>/orders/new/", order_views.order_new, name="order_new"),
    path("order/<int:order_id>/", order_views.order_detail, name="order"),
    path("order/<int:order_id>/status/", order_views.order_status, name="order_status"),
    path("order/<int:order_id>/receive/", order_views.order_receive, name="order_receive"),
    path("order/<int:order_id>/xlsx/", order_views.order_export_xlsx, name="order_xlsx"),
    path("order/<int:order_id>/pdf/", order_views.order_export_pdf, name="order_pdf"),
]
