"""The accounts pages added for two-factor sign-in, password links, API tokens
and the approval of roles, for the authorisation matrix
(tests/test_authorisation_matrix.py). Sign-in, sign-out, language,
preferences and password change are listed in the matrix itself."""

from parcours.accounts import services
from parcours.accounts.models import ApiToken
from tests.personas import make_user

ACCOUNTS_ROUTES = {
    # Before sign-in: the code step and the enrolment of a pending sign-in
    # (without one they send back to the sign-in page); the one-time link.
    "accounts:mfa_verify": "public",
    "accounts:mfa_enrol": "public",
    "accounts:password_choose": "public",
    # One's own two-factor page, recovery codes and API tokens.
    "accounts:mfa": "login",
    "accounts:mfa_recovery_codes": "login",
    "accounts:tokens": "login",
    # A token is revoked from this page by its owner only (the target is the doctor's).
    "accounts:token_revoke": "accounts_token_owner",
    # Roles that read clinical content wait for a coordinator or medical
    # referent of the project (the target is a pending grant in Calais).
    "accounts:grants": "accounts_grant_approver",
    "accounts:grant_decide": "accounts_grant_approver",
}

ACCOUNTS_RULES = {
    "accounts_token_owner": {"doctor"},
    "accounts_grant_approver": {"coordinator", "referent"},
}

ACCOUNTS_ROUTE_TARGETS = {
    "accounts:token_revoke": {"token_id": "accounts_token_id"},
    "accounts:grant_decide": {"grant_id": "accounts_grant_id"},
}


def accounts_targets(world) -> dict:
    token, _raw = ApiToken.issue(world.doctor, name="matrix")
    grant = services.membership_grant(
        actor=world.admin, user=make_user("accounts_newcomer"), project=world.calais, role="medical"
    )
    return {"accounts_token_id": token.pk, "accounts_grant_id": grant.pk}
