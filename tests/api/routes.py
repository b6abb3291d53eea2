"""Every route of the JSON API and the rule that guards it.

Imported by tests/test_authorisation_matrix.py; tests/api/test_openapi.py
fails when a route of the API is missing here (or listed but gone).

Rules: "public" (no token), "member" (any valid token: the caller's own
projects only), "<category>.<action>" (the access policy decides, per person
or per project).
"""

API_ROUTES = {
    ("GET", "/api/v1/openapi.json"): "public",
    ("GET", "/api/v1/docs"): "public",
    ("POST", "/api/v1/auth/token"): "public",
    ("GET", "/api/v1/projects"): "member",
    ("GET", "/api/v1/sites"): "member",
    ("GET", "/api/v1/persons"): "identity.view",
    ("POST", "/api/v1/persons"): "identity.create",
    ("GET", "/api/v1/persons/{id}"): "identity.view",
    ("PATCH", "/api/v1/persons/{id}"): "identity.edit",
}

# Served by ninja itself, not part of the OpenAPI "paths".
DOCUMENTATION_ROUTES = {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")}
