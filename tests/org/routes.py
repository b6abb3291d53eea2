"""Every URL name the configuration pages add, for the authorisation-matrix test.

All of them are for configuration administrators only (``is_configuration_admin``):
anyone else signed in gets 404, anonymous visitors are sent to sign in.
"""

CONFIGURATION_ROUTES = {
    "org:index": "configuration",
    "org:mission_list": "configuration",
    "org:mission_create": "configuration",
    "org:mission_edit": "configuration",
    "org:project_list": "configuration",
    "org:project_create": "configuration",
    "org:project_edit": "configuration",
    "org:site_list": "configuration",
    "org:site_create": "configuration",
    "org:site_edit": "configuration",
    "org:activity_type_list": "configuration",
    "org:activity_type_create": "configuration",
    "org:activity_type_edit": "configuration",
    "org:user_list": "configuration",
    "org:user_create": "configuration",
    "org:user_detail": "configuration",
    "org:user_deactivate": "configuration",
    "org:user_reactivate": "configuration",
    "org:user_password": "configuration",
    "org:membership_grant": "configuration",
    "org:membership_revoke": "configuration",
    "org:user_token_revoke": "configuration",
}
