"""Acceptance: `unionaid serve --demo --port P` prints a token per demo user and answers the members
query for them, scoped to their districts; anonymous requests are refused; health checks are 200."""

import json
import re
import urllib.request

from tests.server import Server

QUERY = "{ members(first: 5) { totalCount edges { node { name idNumber district { code } } } } }"


def test_serve_demo_answers_members_query(tmp_path):
    with Server(tmp_path, "--demo") as server:
        seen = server.up()  # bounded: a server that never comes up fails here
        assert any("GraphiQL: http://127.0.0.1" in line for line in seen), seen
        tokens = dict(re.findall(r"^\s+(\w+)\s+\w+\s+.*Bearer (ua_[\w-]+)", "".join(seen), re.M))
        assert set(tokens) >= {"city_admin", "huishan_admin", "binhu_caseworker", "auditor"}, seen
        base = server.base
        for path in ("/healthz", "/readyz"):
            with urllib.request.urlopen(base + path, timeout=10) as response:
                assert response.status == 200

        def ask(token: str | None) -> dict:
            headers = {"Content-Type": "application/json"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            request = urllib.request.Request(
                base + "/graphql", data=json.dumps({"query": QUERY}).encode(), headers=headers
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())

        assert ask(None)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        members = ask(tokens["city_admin"])["data"]["members"]
        assert members["totalCount"] >= 300
        assert len(members["edges"]) == 5
        node = members["edges"][0]["node"]
        assert node["idNumber"][3:14] == "*" * 11 and node["district"]["code"]
        binhu = ask(tokens["binhu_caseworker"])["data"]["members"]
        assert 0 < binhu["totalCount"] < members["totalCount"]
        assert {e["node"]["district"]["code"] for e in binhu["edges"]} == {"320211"}
