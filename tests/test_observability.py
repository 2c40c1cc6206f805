"""One JSON log line per operation (no tokens, no ID numbers) and Prometheus metrics."""

import hashlib
import json
import logging

from tests.factories import id_number
from unionaid.core.observability import JsonFormatter


async def test_metrics_count_operations_and_error_codes(gql, client):
    await gql.ok("query Districts { districts { code } }")
    await gql('query Broken { member(id: "TWVtYmVyOjk5OQ==") { name } }')
    text = (await client.get("/metrics")).text
    assert 'unionaid_graphql_requests_total{operation="Districts",outcome="ok"} 1.0' in text
    assert 'unionaid_graphql_requests_total{operation="Broken",outcome="error"} 1.0' in text
    assert 'unionaid_graphql_errors_total{code="NOT_FOUND"} 1.0' in text
    assert 'unionaid_graphql_seconds_count{operation="Districts"} 1.0' in text


REGISTER = (
    "mutation Register($i: CreateMemberInput!) { createMember(input: $i) { userErrors { code } } }"
)


async def test_log_lines_name_request_user_and_operation_but_no_secrets(gql, caplog):
    number = id_number()
    caplog.set_level(logging.INFO, logger="unionaid.requests")
    await gql(
        REGISTER,
        {"i": {"name": "张三", "idNumber": number, "districtCode": "320206"}},
        **{"X-Request-ID": "req-log-0001"},
    )
    records = [r for r in caplog.records if r.name == "unionaid.requests"]
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["request_id"] == "req-log-0001" and line["operation"] == "Register"
    assert line["user"].startswith("city_admin") and line["codes"] == []
    assert line["document"] == hashlib.sha256(REGISTER.encode()).hexdigest()[:16]
    everything = "".join(JsonFormatter().format(r) for r in caplog.records)
    assert number not in everything and gql.token not in everything
