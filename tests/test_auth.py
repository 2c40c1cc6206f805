"""Bearer tokens and sign-in: every way a credential can be bad is UNAUTHENTICATED; passwords are
checked with argon2 and failed sign-ins are throttled. Time comes from an injected clock."""

import datetime as dt

import httpx
import pytest

from tests.conftest import GQL
from tests.factories import ACTOR
from unionaid.core.app import create_app
from unionaid.core.models import ApiToken, AuditEntry, User
from unionaid.core.services import accounts

ME = "{ me { username role districts { code } allDistricts permissions } }"
LOGIN = """mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
  token expiresAt viewer { username role } userErrors { code message } } }"""
T0 = dt.datetime(2026, 11, 29, 1, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
async def web(settings, host, orm, clock):
    app = create_app(settings, host, manage_db=False, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def make_user(username="zhang", password=PASSWORD, role="caseworker", districts=("320206",)):
    await accounts.create_user(
        ACTOR, accounts.NewUser(username, role, list(districts), password=password)
    )


def code_of(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_anonymous_reaches_only_public_fields(web):
    anonymous = GQL(web)
    body = await anonymous("{ members { totalCount } }")
    assert code_of(body) == "UNAUTHENTICATED" and body["data"] is None
    assert code_of(await anonymous("{ __typename me { username } }")) == "UNAUTHENTICATED"
    assert code_of(
        await anonymous("query { ...F } fragment F on Query { districts { code } }")
    ) == ("UNAUTHENTICATED")
    assert (await anonymous.ok("{ __typename }")) == {"__typename": "Query"}


@pytest.mark.parametrize(
    "header",
    [
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-token",
        "Bearer ua_" + "A" * 43,  # well-formed, never issued (forged)
        "ua_" + "A" * 43,  # no scheme
    ],
)
async def test_bad_credentials_are_unauthenticated(web, header):
    body = await GQL(web)(ME, Authorization=header)
    assert code_of(body) == "UNAUTHENTICATED"
    # A bad token is refused even for the public sign-in field.
    body = await GQL(web)(LOGIN, {"u": "x", "p": "y"}, Authorization=header)
    assert code_of(body) == "UNAUTHENTICATED"


async def test_expired_revoked_and_deactivated_tokens_are_refused(web, clock):
    await make_user()
    issued = await accounts.issue_token(ACTOR, "zhang", dt.timedelta(hours=1), T0)
    client = GQL(web, issued.token)
    me = (await client.ok(ME))["me"]
    assert me == {
        "username": "zhang",
        "role": "caseworker",
        "districts": [{"code": "320206"}],
        "allDistricts": False,
        "permissions": sorted(me["permissions"]),
    }
    assert "read_full_id" in me["permissions"] and "read_audit" not in me["permissions"]
    clock.now = T0 + dt.timedelta(hours=1)
    assert code_of(await client(ME)) == "UNAUTHENTICATED"  # expired at the instant

    clock.now = T0
    other = await accounts.issue_token(ACTOR, "zhang", dt.timedelta(days=1), T0)
    assert (await GQL(web, other.token).ok(ME))["me"]["username"] == "zhang"
    await accounts.revoke_tokens(ACTOR, T0, token_id=other.id)
    assert code_of(await GQL(web, other.token)(ME)) == "UNAUTHENTICATED"

    third = await accounts.issue_token(ACTOR, "zhang", dt.timedelta(days=1), T0)
    await accounts.set_active(ACTOR, "zhang", False)
    assert code_of(await GQL(web, third.token)(ME)) == "UNAUTHENTICATED"
    assert await ApiToken.filter(revoked_at__isnull=True).count() == 0


async def test_tokens_are_stored_only_hashed(web):
    await make_user()
    issued = await accounts.issue_token(ACTOR, "zhang", dt.timedelta(hours=1), T0)
    stored = await ApiToken.get(id=issued.id)
    assert issued.token not in (stored.token_hash, stored.prefix)
    assert stored.token_hash == accounts.token_digest(issued.token)
    user = await User.get(username="zhang")
    assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash


async def test_login_issues_a_short_lived_personal_token(web, clock):
    await make_user()
    data = (await GQL(web).ok(LOGIN, {"u": "zhang", "p": PASSWORD}))["login"]
    assert data["userErrors"] == [] and data["viewer"] == {
        "username": "zhang",
        "role": "caseworker",
    }
    assert dt.datetime.fromisoformat(data["expiresAt"]) == T0 + accounts.SESSION_TTL
    session = GQL(web, data["token"])
    assert (await session.ok(ME))["me"]["username"] == "zhang"
    clock.now = T0 + accounts.SESSION_TTL
    assert code_of(await session(ME)) == "UNAUTHENTICATED"

    clock.now = T0
    again = (await GQL(web).ok(LOGIN, {"u": "zhang", "p": PASSWORD}))["login"]["token"]
    out = await GQL(web, again).ok("mutation { logout { revoked } }")
    assert out == {"logout": {"revoked": True}}
    assert code_of(await GQL(web, again)(ME)) == "UNAUTHENTICATED"
    logins = await AuditEntry.filter(operation="login", outcome="ok").count()
    assert logins == 2


async def test_wrong_password_and_unknown_user_look_the_same(web):
    await make_user()
    wrong = (await GQL(web).ok(LOGIN, {"u": "zhang", "p": "wrong password!"}))["login"]
    unknown = (await GQL(web).ok(LOGIN, {"u": "nobody", "p": "wrong password!"}))["login"]
    assert wrong == unknown
    assert wrong["token"] is None and wrong["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    assert await AuditEntry.filter(operation="login", outcome="refused").count() == 2


async def test_failed_logins_are_throttled(web, clock):
    await make_user()
    for _ in range(accounts.MAX_FAILURES_PER_USER):
        body = await GQL(web).ok(LOGIN, {"u": "zhang", "p": "guess guess guess"})
        assert body["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
        clock.now += dt.timedelta(seconds=30)
    locked = (await GQL(web).ok(LOGIN, {"u": "zhang", "p": PASSWORD}))["login"]
    assert locked["token"] is None
    assert locked["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    # The lock lifts when the oldest counted failure leaves the window.
    clock.now = T0 + accounts.WINDOW
    opened = (await GQL(web).ok(LOGIN, {"u": "zhang", "p": PASSWORD}))["login"]
    assert opened["userErrors"] == [] and opened["token"]


async def test_a_city_admin_cannot_hold_districts_and_roles_are_validated(orm):
    from unionaid.core.errors import DomainError, DomainErrors

    with pytest.raises((DomainError, DomainErrors)):
        await make_user("a1", role="city_admin", districts=("320206",))
    with pytest.raises((DomainError, DomainErrors)):
        await make_user("a2", role="approver", districts=())
    with pytest.raises((DomainError, DomainErrors)):
        await make_user("a3", role="superuser")
    assert await User.all().count() == 0
