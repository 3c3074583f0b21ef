"""Schemathesis over the app's OpenAPI schema, against a real uvicorn process: no request gets a 5xx.

Every operation of the schema (REST, SPARQL, Graph Store, page) is fuzzed with a bounded number of
examples, with the write token so the write paths run too. The server holds the sample events.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api_sample import TOKEN, serve, write_sample
from polkg.api.app import create_app
from polkg.api.settings import Settings

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("POLKG_FUZZ_EXAMPLES", "25"))  # more for a deeper local run


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("fuzz") / "store"
    write_sample(store)
    with serve(store, POLKG_QUERY_TIMEOUT="5") as base:
        yield base


# The same schema the server publishes at /openapi.json (building it opens no store).
schema = schemathesis.openapi.from_dict(create_app(Settings(store="memory")).openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error(case: schemathesis.Case, live: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = case.call(base_url=live, headers=headers, timeout=120)
    case.validate_response(response, checks=[not_a_server_error], headers=headers)
