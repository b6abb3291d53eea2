import json

from tests.api.routes import API_ROUTES, DOCUMENTATION_ROUTES

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(schema) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in METHODS
    }


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_openapi_document_is_served_without_a_token_and_lists_every_route(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Parcours API"
    assert "Bearer" in schema["info"]["description"]
    assert _operations(schema) == set(API_ROUTES) - DOCUMENTATION_ROUTES
    components = schema["components"]["schemas"]
    for ref in set(_refs(schema)):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in components, ref
    operation_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_only_the_token_route_is_open_in_the_document(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for method, path in set(API_ROUTES) - DOCUMENTATION_ROUTES:
        operation = schema["paths"][path][method.lower()]
        secured = bool(operation.get("security"))
        assert secured == (API_ROUTES[method, path] != "public"), (method, path)
        assert "401" in operation["responses"] or not secured, (method, path)


def test_person_schema_says_contact_is_optional(db, client):
    person = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["PersonOut"]
    assert "contact" in person["properties"]
    assert "contact" not in person["required"]


def test_docs_page_is_served(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.content.decode()
