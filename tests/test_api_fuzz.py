"""Every GET endpoint in the OpenAPI schema answers hostile path and query values with a
2xx or a 4xx in the common error format — never a 5xx (RELIABILITY B1, B4)."""

import re

import pytest

HOSTILE = ["0", "-1", "999999999999999999999", "x", "<script>", "%00", "1e3", "' OR 1=1 --"]
QUERY = {
    "page": "-5",
    "per_page": "1000000000",
    "q": "<script>alert(1)</script>\x00",
    "territory": "'",
    "subtree": "maybe",
}


def get_paths(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return [path for path, item in schema["paths"].items() if "get" in item]


@pytest.mark.django_db
def test_every_get_endpoint_survives_hostile_input(client, organization_factory):
    organization_factory()  # something to find, so list endpoints do real work
    paths = get_paths(client)
    assert len(paths) >= 10
    failures = []
    for path in paths:
        for value in HOSTILE if "{" in path else [None]:
            url = re.sub(r"\{[^}]+\}", value, path) if value else path
            response = client.get(url, QUERY)
            if response.status_code >= 500:
                failures.append((url, response.status_code))
            elif response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
                body = response.json()
                if "error" not in body or not {"code", "message"} <= set(body["error"]):
                    failures.append((url, "error format", body))
    assert failures == []


@pytest.mark.django_db
def test_the_error_format_is_the_same_for_a_missing_object(client):
    body = client.get("/api/v1/organizations/999999").json()
    assert body == {"error": {"code": "not_found", "message": "Not found.", "details": []}}
