"""schemathesis over the hub's OpenAPI document: whatever it sends, the sync API and the ATS
read API answer < 500.

Each operation's cases come from schemathesis' hypothesis strategy and are sent to the real app
in-process, with a valid token (a kiosk's for the sync API, an ATS token for the ATS API;
schemathesis also drops or mangles it, which must be a 4xx).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from tests.integration.hub.support import hub_settings

from hub.app import create_app
from hub.container import build_hub
from hub.views import PortalUser


def test_the_sync_api_never_answers_with_a_server_error(tmp_path: Path) -> None:
    hub = build_hub(
        hub_settings(tmp_path, max_blob_bytes=4096, key_misses_per_minute=1000, api_docs=True)
    )
    org_id = hub.accounts.ensure_organisation("Acme")
    token = hub.enrolment.enrol(hub.enrolment.issue_code(org_id, "t").code, "k").token
    admin = PortalUser("a", "admin@acme.test", "admin", org_id, "Acme")
    ats_token = hub.api_tokens.create(admin, "fuzz", None).token
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(hub=hub))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    assert {o.label for o in operations} >= {
        "GET /api/v1/ats/sessions",
        "GET /api/v1/ats/sessions/{session_id}",
        "GET /api/v1/ats/sessions/{session_id}/report.pdf",
    }
    tried: dict[str, int] = {}
    for operation in operations:
        label = operation.label
        bearer = ats_token if label.split(" ")[1].startswith("/api/v1/ats/") else token

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def fuzz(case: schemathesis.Case) -> None:
            headers = case.headers or {}
            if "Authorization" not in headers:
                case.headers = {**headers, "Authorization": f"Bearer {bearer}"}  # noqa: B023
            case.call_and_validate(checks=[not_a_server_error])
            tried[label] = tried.get(label, 0) + 1  # noqa: B023 - run before the loop moves on

        try:
            fuzz()
        except Exception as error:
            pytest.fail(f"{label}: {error}")
    print("\nschemathesis cases per operation:", tried)
    hub.close()
