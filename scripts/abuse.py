"""Send a battery of abusive requests to a running unionaid server; print one line per case
(HTTP status, error code, time) and whether the server still answers afterwards.

    unionaid serve --demo            # prints tokens
    python scripts/abuse.py --url http://127.0.0.1:8000 --token ua_...

Not a test: it asserts nothing; it shows what the limits do to each request.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.error
import urllib.request


def cases(token: str) -> list[tuple[str, str, bytes | None, dict[str, str]]]:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def gql(query: str, variables: dict | None = None) -> bytes:
        return json.dumps({"query": query, "variables": variables or {}}).encode()

    nested_fragments = (
        "query { ...A } "
        + " ".join(
            f"fragment {chr(65 + i)} on Query {{ districts {{ code }} ...{chr(66 + i)} }}"
            for i in range(24)
        )
        + " fragment Y on Query { districts { code } }"
    )
    return [
        (
            "no token",
            "POST",
            gql("{ members { totalCount } }"),
            {"Content-Type": "application/json"},
        ),
        (
            "forged token",
            "POST",
            gql("{ districts { code } }"),
            {**auth, "Authorization": "Bearer ua_" + "x" * 43},
        ),
        (
            "1,000 aliases",
            "POST",
            gql("{ " + " ".join(f"a{i}: districts {{ code }}" for i in range(1000)) + " }"),
            auth,
        ),
        (
            "deep nesting",
            "POST",
            gql(
                "{ campaigns { edges { node { entitlements { edges { node { member { household "
                "{ dependents { name } } enterprise { district { name } } } } } } } } } }"
                * 1
            ),
            auth,
        ),
        ("fragment chain", "POST", gql(nested_fragments), auth),
        ("100k tokens", "POST", gql("{ districts { " + "code " * 100_000 + "} }"), auth),
        (
            "cost: 100 x 100",
            "POST",
            gql(
                "{ members(first: 100) { edges { node { household { dependents { name birthDate schoolLevel } } enterprise { name uscc district { name } } } } } }"
            ),
            auth,
        ),
        ("page of 10,000", "POST", gql("{ members(first: 10000) { totalCount } }"), auth),
        ("2 MB body", "POST", gql("{ __typename }" + " " * 2_000_000), auth),
        (
            "variables nested 5,000 deep",
            "POST",
            b'{"query": "query($v: JSON) { __typename }", "variables": {"v": '
            + b"[" * 5000
            + b"]" * 5000
            + b"}}",
            auth,
        ),
        ("batch of 100", "POST", json.dumps([{"query": "{ __typename }"}] * 100).encode(), auth),
        ("mutation over GET", "GET", None, auth),
        (
            "money NaN",
            "POST",
            gql(
                'mutation($a: Money!) { contributeToFund(input: {fundId: "RnVuZDox", amount: $a}) { userErrors { code } } }',
                {"a": "NaN"},
            ),
            auth,
        ),
        (
            "money 1e309",
            "POST",
            gql(
                'mutation($a: Money!) { contributeToFund(input: {fundId: "RnVuZDox", amount: $a}) { userErrors { code } } }',
                {"a": "1e309"},
            ),
            auth,
        ),
        (
            "date 20240101",
            "POST",
            gql(
                'mutation($d: Date) { addDependent(input: {memberId: "TWVtYmVyOjE=", name: "x", relation: CHILD, birthDate: $d}) { userErrors { code } } }',
                {"d": "20240101"},
            ),
            auth,
        ),
        (
            "bad ID number",
            "POST",
            gql(
                'mutation { createMember(input: {name: "x", idNumber: "110105194912310021", districtCode: "320206"}) { userErrors { code } } }'
            ),
            auth,
        ),
        (
            "SQL in a search",
            "POST",
            gql('{ members(search: "\' OR 1=1; DROP TABLE member; --") { totalCount } }'),
            auth,
        ),
        ("introspection", "POST", gql("{ __schema { types { name } } }"), auth),
        ("misspelled field", "POST", gql("{ distrcts { code } }"), auth),
        ("malformed JSON", "POST", b'{"query": ', auth),
    ]


def send(
    url: str, method: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, str, float]:
    target = url + "/graphql"
    if method == "GET":
        target += "?query=" + urllib.request.quote("mutation { logout { revoked } }")
    request = urllib.request.Request(target, data=body, headers=headers, method=method)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, text = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read().decode("utf-8", "replace")
    except Exception as exc:  # the point of the script: report, never crash
        return 0, type(exc).__name__, time.perf_counter() - started
    seconds = time.perf_counter() - started
    try:
        parsed = json.loads(text)
        errors = parsed.get("errors") if isinstance(parsed, dict) else None
        code = errors[0].get("extensions", {}).get("code", "-") if errors else "ok"
        if not errors and isinstance(parsed.get("data"), dict):  # a mutation's userErrors
            for payload in parsed["data"].values():
                if isinstance(payload, dict) and payload.get("userErrors"):
                    code = "userErrors: " + payload["userErrors"][0]["code"]
    except (ValueError, AttributeError, IndexError):
        code = text[:40].replace("\n", " ")
    return status, code, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True)
    parser.add_argument("--flood", type=int, default=700, help="requests for the rate limit")
    args = parser.parse_args()
    for name, method, body, headers in cases(args.token):
        status, code, seconds = send(args.url, method, body, headers)
        print(f"{name:<30} HTTP {status:<3} {code:<28} {seconds * 1000:8.1f} ms")
    auth = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    body = json.dumps({"query": "{ __typename }"}).encode()
    started, outcomes = time.perf_counter(), {}
    for _ in range(args.flood):
        status, code, _ = send(args.url, "POST", body, auth)
        outcomes[(status, code)] = outcomes.get((status, code), 0) + 1
    summary = ", ".join(f"HTTP {s} {c} x{n}" for (s, c), n in sorted(outcomes.items()))
    print(f"{'flood of ' + str(args.flood):<30} {summary}  ({time.perf_counter() - started:.1f} s)")
    try:
        with urllib.request.urlopen(args.url + "/healthz", timeout=10) as response:
            alive = response.status == 200
    except Exception:
        alive = False
    print(f"server still answers /healthz afterwards: {'yes' if alive else 'NO'}")


if __name__ == "__main__":
    main()
