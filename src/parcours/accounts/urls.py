from django.urls import path

from parcours.accounts import grant_views, mfa_views, reset_views, token_views, views
from parcours.lib import url_ids  # noqa: F401  (registers <id:…>)

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/code/", mfa_views.verify, name="mfa_verify"),
    path("two-factor/setup/", mfa_views.enrol, name="mfa_enrol"),
    path("two-factor/", mfa_views.overview, name="mfa"),
    path("two-factor/recovery-codes/", mfa_views.recovery_codes, name="mfa_recovery_codes"),
    path("password/choose/<uidb64>/<token>/", reset_views.choose, name="password_choose"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<id:token_id>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("roles/requests/", grant_views.grant_list, name="grants"),
    path("roles/requests/<id:grant_id>/", grant_views.grant_decide, name="grant_decide"),
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.choose_language, name="language"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
