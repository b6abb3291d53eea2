"""Access rules of the periodic-jobs pages (``/ops/``), for the authorisation matrix.

Configuration administrators only (``is_configuration_admin``, the same
check as the configuration pages): anyone else signed in gets 404,
anonymous visitors are sent to sign in.
"""

OPS_ROUTES = {
    "ops:jobs": "ops_configuration",
    "ops:job_run": "ops_configuration",
}

OPS_RULES = {"ops_configuration": {"admin"}}
