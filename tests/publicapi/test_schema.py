"""The committed OpenAPI schema: valid OpenAPI 3, the same as the code generates, and true of every real answer.

Every endpoint's actual responses, on a dataset and on its error paths, are validated against the committed
schema with openapi-core (not schemathesis: its generated requests add little to a read-only API whose
parameters are a page number and the series filters, and it pulls in a large dependency tree).
Regenerate the file on PostgreSQL, the production database, with
`python manage.py spectacular --validate --file publicapi/openapi.yaml`: Django takes an integer field's bounds from
the database backend (SQLite says 64 bits for every size), so the drift test compares schemas without them.
"""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate

from tests.dashboard.conftest import build_dataset

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "publicapi" / "openapi.yaml"
COMMITMENT = "1.1"
ANSWERS = [
    "/api/v1/tasks/",
    "/api/v1/tasks/?page=1",
    "/api/v1/tasks/1/",
    "/api/v1/commitments/",
    f"/api/v1/commitments/{COMMITMENT}/",
    "/api/v1/indicators/",
    "/api/v1/indicators/ind-1-1/",
    "/api/v1/indicators/ind-1-1/observations/",
    "/api/v1/indicators/ind-1-1/observations/?geo=USA&geo=CHN&start=2015&end=2020",
    "/api/v1/indicators/ind-1-1/observations/?start=%E2%91%A0",
    "/api/v1/indicators/ind-1-1/observations/?geo=ZZZ",
    "/api/v1/targets/",
    "/api/v1/sources/",
    "/api/v1/sources/test-source/",
]


@pytest.fixture(scope="module")
def committed() -> dict:
    return yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_committed_schema_is_valid_openapi_3(committed):
    assert committed["openapi"].startswith("3.")
    validate(committed)


def _without_backend_integer_bounds(node):
    """The schema with the integer bounds and formats the database backend decides left out."""
    if isinstance(node, dict):
        backend = {"minimum", "maximum", "format"} if node.get("type") == "integer" else set()
        return {key: _without_backend_integer_bounds(value) for key, value in node.items() if key not in backend}
    if isinstance(node, list):
        return [_without_backend_integer_bounds(item) for item in node]
    return node


def test_the_committed_schema_matches_the_code(tmp_path, committed):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", file=str(generated), validate=True)
    code = _without_backend_integer_bounds(yaml.safe_load(generated.read_text(encoding="utf-8")))
    assert code == _without_backend_integer_bounds(committed), (
        "the API changed: regenerate publicapi/openapi.yaml (see this module's docstring)"
    )


def test_the_schema_names_every_resource_of_the_issue(committed):
    assert set(committed["paths"]) >= {
        "/api/v1/tasks/",
        "/api/v1/commitments/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{code}/observations/",
        "/api/v1/targets/",
        "/api/v1/sources/",
    }


@pytest.mark.parametrize("url", ANSWERS)
def test_every_answer_matches_the_committed_schema(client, db, committed, url):
    build_dataset(scale=1)
    openapi = OpenAPI.from_dict(committed)
    response = client.get(url)
    assert response.status_code in (200, 400), response.content
    openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
