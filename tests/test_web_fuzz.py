"""Schemathesis drives the API from its own OpenAPI description: no input may cause a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from bluehelmet.web.app import create_app


def test_no_input_is_a_server_error(built_db):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(built_db))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    for operation in operations:
        @given(case=operation.as_strategy())
        # derandomised: the same 60 cases per route on every run, so CI cannot flake; a new
        # finding comes from raising max_examples locally
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def fuzz(case):  # type: ignore[no-untyped-def]
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text[:300])

        fuzz()
