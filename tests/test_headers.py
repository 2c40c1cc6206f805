"""HTML pages carry a Content-Security-Policy allowing only their own assets, and every response
carries nosniff and no-framing headers (tests/test_browser.py checks the pages still work under
the policy in headless Chromium)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from unionaid.core import ui

HTML = {"Accept": "text/html"}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def inline_hashes(html: str, tag: str) -> list[str]:
    found = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in found
        if b.strip()
    ]


@pytest.mark.parametrize("path", ["/graphql?console", "/graphql"])
async def test_html_pages_allow_only_their_own_assets(client, path):
    response = await client.get(path, headers=HTML)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = directives(response.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'", *inline_hashes(response.text, "script")]
    assert csp["style-src"] == ["'self'", *inline_hashes(response.text, "style")]
    assert csp["connect-src"] == ["'self'"]
    everything = " ".join(v for values in csp.values() for v in values)
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "blob:"):
        assert loose not in everything.split(), loose
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_console_script_runs_only_by_its_hash(client):
    """Changing one byte of the inline script would make the browser refuse it."""
    page = await client.get("/graphql?console", headers=HTML)
    script = re.search(r"<script>(.*?)</script>", page.text, re.S).group(1)
    tampered = (
        "'sha256-"
        + base64.b64encode(hashlib.sha256((script + " ").encode()).digest()).decode()
        + "'"
    )
    assert tampered not in page.headers["content-security-policy"]


async def test_every_response_says_nosniff_and_never_frame(client, gql):
    answers = [
        await client.get("/healthz"),
        await client.post("/graphql", json={"query": "{ __typename }"}),
        await client.get("/metrics"),
    ]
    if ui.graphiql_built():
        answers.append(await client.get("/graphiql/graphiql.js"))
    for response in answers:
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert response.headers["x-frame-options"] == "DENY", response.url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
