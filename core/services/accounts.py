"""Users, passwords, bearer tokens and sign-in.

Tokens are 256 random bits, given out once and stored only as their SHA-256: a stolen database
holds no usable token. Passwords are hashed with argon2. Failed sign-ins are counted in the
database, so throttling holds across several server processes."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError, Words, one_of
from unionaid.core.global_ids import to_global_id
from unionaid.core.models import (
    ApiToken,
    District,
    Enterprise,
    LoginAttempt,
    Role,
    User,
    UserDistrict,
)
from unionaid.core.policy import CITY_ROLES, DISTRICT_ROLES
from unionaid.core.principal import Principal
from unionaid.core.services import audit
from unionaid.core.services.validation import Problems, screen

TOKEN_PREFIX = "ua_"
SESSION_TTL = dt.timedelta(hours=8)  # a working day; sign in again after
DEFAULT_API_TTL = dt.timedelta(days=30)
MAX_TTL = dt.timedelta(days=366)
MIN_PASSWORD = 10
# Throttling: this many failures in the window locks the user name (or the client address).
WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20

_USERNAME = re.compile(r"[A-Za-z0-9_.@-]{2,64}")
_TTL = re.compile(r"(\d+)([mhd])")
_TOKEN = re.compile(r"ua_[A-Za-z0-9_-]{43}")


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verified against when the user does not exist, so timing does not reveal user names.
    return _hasher().hash(secrets.token_hex(16))


def parse_ttl(text: str) -> dt.timedelta:
    """``90m``, ``12h``, ``30d``."""
    match = _TTL.fullmatch(text.strip())
    if not match or int(match[1]) == 0:
        raise DomainError(
            Code.INVALID_INPUT,
            "ttl",
            detail=Words("如 90m、12h 或 30d", "use e.g. 90m, 12h or 30d"),
        )
    amount, unit = int(match[1]), match[2]
    ttl = {"m": dt.timedelta(minutes=amount), "h": dt.timedelta(hours=amount)}.get(
        unit, dt.timedelta(days=amount)
    )
    if ttl > MAX_TTL:
        raise DomainError(Code.INVALID_INPUT, "ttl", detail=Words("最长 366d", "at most 366d"))
    return ttl


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- users -------------------------------------------------------------------------------------


@dataclass
class NewUser:
    username: str
    role: str
    district_codes: list[str]
    enterprise_uscc: str | None = None
    display_name: str = ""
    password: str | None = None


async def create_user(actor: Principal, new: NewUser) -> User:
    problems = Problems()
    if not _USERNAME.fullmatch(new.username):
        problems.add(
            Code.INVALID_INPUT,
            "username",
            detail=Words("2 至 64 个字母、数字或 _.@-", "2-64 letters, digits or _.@-"),
        )
    elif await User.exists(username=new.username):
        problems.add(Code.DUPLICATE, "username", detail=new.username)
    try:
        role = Role(new.role)
    except ValueError:
        problems.add(Code.INVALID_INPUT, "role", detail=one_of([r.value for r in Role]))
        problems.raise_if_any()
        raise
    codes = sorted(set(new.district_codes))
    if role in DISTRICT_ROLES and not codes:
        problems.add(
            Code.REQUIRED,
            "district",
            detail=Words(f"{role} 须指定所属区", f"{role} works in named districts"),
        )
    if (role in CITY_ROLES or role == Role.ENTERPRISE) and codes:
        problems.add(
            Code.INVALID_INPUT,
            "district",
            detail=Words(f"{role} 不能指定 --district", f"{role} takes no --district"),
        )
    known = set(await District.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            problems.add(Code.NOT_FOUND, "district", what=Words(f"区 {code}", f"district {code}"))
    enterprise = None
    if role == Role.ENTERPRISE:
        if not new.enterprise_uscc:
            problems.add(
                Code.REQUIRED,
                "enterprise",
                detail=Words(
                    "企业联系人须指定 --enterprise", "enterprise contacts need --enterprise"
                ),
            )
        else:
            enterprise = await Enterprise.get_or_none(uscc=new.enterprise_uscc)
            if enterprise is None:
                problems.add(Code.NOT_FOUND, "enterprise", what=Words("企业", "enterprise"))
    elif new.enterprise_uscc:
        problems.add(
            Code.INVALID_INPUT,
            "enterprise",
            detail=Words("仅用于企业联系人", "only for the enterprise role"),
        )
    if new.password is not None:
        _check_password(new.password, problems)
    problems.raise_if_any()
    async with in_transaction():
        user = await User.create(
            username=new.username,
            display_name=new.display_name,
            role=role,
            enterprise_id=enterprise.id if enterprise else None,
            password_hash=_hasher().hash(new.password) if new.password else None,
        )
        for code in codes:
            await UserDistrict.create(user_id=user.id, district_id=code)
        await audit.record(
            actor,
            "createUser",
            object_type="User",
            object_id=to_global_id("User", user.id),
            changes=audit.diff(
                None,
                {
                    "username": user.username,
                    "role": role,
                    "districts": ",".join(codes) or None,
                    "enterprise": enterprise.uscc if enterprise else None,
                    "password": "set" if new.password else None,
                },
            ),
        )
    return user


def _check_password(password: str, problems: Problems) -> None:
    if len(password) < MIN_PASSWORD:
        problems.add(
            Code.INVALID_INPUT,
            "password",
            detail=Words(f"至少 {MIN_PASSWORD} 个字符", f"at least {MIN_PASSWORD} characters"),
        )


async def set_password(actor: Principal, username: str, password: str) -> None:
    problems = Problems()
    _check_password(password, problems)
    user = await User.get_or_none(username=username)
    if user is None:
        problems.add(Code.NOT_FOUND, "username", what=Words("用户", "user"))
    problems.raise_if_any()
    assert user is not None
    async with in_transaction():
        await User.filter(id=user.id).update(password_hash=_hasher().hash(password))
        await audit.record(
            actor,
            "setPassword",
            object_type="User",
            object_id=to_global_id("User", user.id),
            changes={"password": ["***", "***"]},
        )


async def set_active(actor: Principal, username: str, active: bool) -> None:
    """Deactivating a user also revokes every token it holds."""
    user = await User.get_or_none(username=username)
    if user is None:
        raise DomainError(Code.NOT_FOUND, "username", what=Words("用户", "user"))
    now = dt.datetime.now(dt.UTC)
    async with in_transaction():
        await User.filter(id=user.id).update(is_active=active)
        if not active:
            await ApiToken.filter(user_id=user.id, revoked_at__isnull=True).update(revoked_at=now)
        await audit.record(
            actor,
            "activateUser" if active else "deactivateUser",
            object_type="User",
            object_id=to_global_id("User", user.id),
            changes={"is_active": [user.is_active, active]},
        )


async def principal_for_user(username: str, request_id: str) -> Principal | None:
    """The principal of an active user (the CLI's ``--as``)."""
    row = await User.get_or_none(username=username, is_active=True).values(
        "id", "username", "role", "enterprise_id", "enterprise__district_id"
    )
    return await _principal(row, request_id, "") if row else None


async def _principal(row: dict, request_id: str, prefix: str) -> Principal:
    role = Role(row[f"{prefix}role"])
    enterprise_id = row[f"{prefix}enterprise_id"]
    if role == Role.ENTERPRISE:
        codes: frozenset[str] | None = frozenset({row[f"{prefix}enterprise__district_id"]})
    elif role in CITY_ROLES:
        codes = None
    else:
        linked = await UserDistrict.filter(user_id=row[f"{prefix}id"]).values_list(
            "district_id", flat=True
        )
        # A service account without districts reads the whole city; the others see nothing.
        codes = None if role == Role.SERVICE and not linked else frozenset(linked)
    return Principal(
        user_id=row[f"{prefix}id"],
        username=row[f"{prefix}username"],
        role=role.value,
        district_codes=codes,
        enterprise_ids=frozenset({enterprise_id}) if enterprise_id else frozenset(),
        request_id=request_id,
    )


# -- tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, never stored
    id: int
    expires_at: dt.datetime


async def issue_token(
    actor: Principal, username: str, ttl: dt.timedelta, now: dt.datetime, kind: str = "api"
) -> IssuedToken:
    user = await User.get_or_none(username=username, is_active=True)
    if user is None:
        raise DomainError(Code.NOT_FOUND, "username", what=Words("用户", "user"))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with in_transaction():
        row = await ApiToken.create(
            user_id=user.id,
            token_hash=token_digest(token),
            prefix=token[:10],
            kind=kind,
            created_at=now,
            expires_at=now + ttl,
        )
        await audit.record(
            actor,
            "login" if kind == "session" else "createToken",
            object_type="User",
            object_id=to_global_id("User", user.id),
            changes={
                "token": [None, f"{row.prefix}… #{row.id} until {row.expires_at:%Y-%m-%d %H:%M}Z"]
            },
        )
    return IssuedToken(token, row.id, row.expires_at)


async def revoke_tokens(
    actor: Principal,
    now: dt.datetime,
    *,
    token: str | None = None,
    token_id: int | None = None,
    username: str | None = None,
) -> int:
    """Revoke one token (by its text or id) or every token of a user. Returns how many."""
    query = ApiToken.filter(revoked_at__isnull=True)
    if token is not None:
        query = query.filter(token_hash=token_digest(token))
    elif token_id is not None:
        query = query.filter(id=token_id)
    elif username is not None:
        query = query.filter(user__username=username)
    else:
        raise DomainError(Code.REQUIRED, "token")
    async with in_transaction():
        rows = await query.values("id", "prefix", "user_id")
        if not rows:
            return 0
        await ApiToken.filter(id__in=[r["id"] for r in rows]).update(revoked_at=now)
        for r in rows:
            await audit.record(
                actor,
                "revokeToken",
                object_type="User",
                object_id=to_global_id("User", r["user_id"]),
                changes={"token": [f"{r['prefix']}… #{r['id']}", "revoked"]},
            )
    return len(rows)


async def authenticate(token: str, now: dt.datetime, request_id: str) -> Principal | None:
    """The principal a bearer token stands for, or None when it is malformed, unknown (forged),
    expired, revoked or its user deactivated."""
    if not _TOKEN.fullmatch(token):
        return None
    row = await ApiToken.filter(token_hash=token_digest(token)).values(
        "expires_at",
        "revoked_at",
        "user__id",
        "user__username",
        "user__role",
        "user__is_active",
        "user__enterprise_id",
        "user__enterprise__district_id",
    )
    if not row:
        return None
    found = row[0]
    if (
        found["revoked_at"] is not None
        or found["expires_at"] <= now
        or not found["user__is_active"]
    ):
        return None
    return await _principal(found, request_id, "user__")


# -- sign-in -----------------------------------------------------------------------------------


async def _failures(now: dt.datetime, **where: str) -> list[dt.datetime]:
    """Failures in the window since the last success."""
    since = now - WINDOW  # exclusive: a failure exactly WINDOW old no longer counts
    last_ok = (
        await LoginAttempt.filter(succeeded=True, at__gt=since, **where)
        .order_by("-at")
        .first()
        .values_list("at", flat=True)
    )
    after = max(since, last_ok) if last_ok else since
    return list(
        await LoginAttempt.filter(succeeded=False, at__gt=after, **where)
        .order_by("at")
        .values_list("at", flat=True)
    )


async def _throttled(username: str, client: str, now: dt.datetime) -> int | None:
    """Minutes until another attempt is allowed, or None when it is allowed now."""
    for where, limit in (
        ({"username": username}, MAX_FAILURES_PER_USER),
        ({"client": client}, MAX_FAILURES_PER_CLIENT),
    ):
        if where.get("client") == "":
            continue
        failures = await _failures(now, **where)
        if len(failures) >= limit:
            unlock = failures[-limit] + WINDOW
            return max(1, -(-int((unlock - now).total_seconds()) // 60))
    return None


@dataclass(frozen=True)
class Credentials:
    """What :func:`check_credentials` found: whether the password was right."""

    username: str
    ok: bool


async def check_credentials(
    username: str, password: str, client: str, now: dt.datetime
) -> Credentials:
    """The slow half of signing in (the throttle, then the password hash), writing nothing.

    Run it before the sign-in's transaction: argon2 takes tens of milliseconds by design, and no
    database connection (SQLite has one) should wait on it."""
    screen(username, "username")  # a NUL never reaches the database (PostgreSQL refuses it)
    # A name longer than any user's cannot sign in (and is never looked up).
    known = len(username) <= User._meta.fields_map["username"].max_length
    wait = await _throttled(username[:64], client[:64], now)
    if wait is not None:
        raise DomainError(Code.TOO_MANY_ATTEMPTS, minutes=wait)
    user = await User.get_or_none(username=username, is_active=True) if known else None
    stored = user.password_hash if user and user.password_hash else None
    ok = await asyncio.to_thread(_verify, stored or _dummy_hash(), password)
    return Credentials(username, ok and stored is not None)


async def login(
    checked: Credentials, client: str, now: dt.datetime, request_id: str
) -> tuple[IssuedToken, Principal]:
    """A short-lived session token for a person whose password :func:`check_credentials`
    accepted; a refusal is counted and audited."""
    username, ok = checked.username, checked.ok
    await LoginAttempt.create(username=username[:64], client=client[:64], succeeded=ok, at=now)
    anonymous = Principal(None, username[:64], "", frozenset(), frozenset(), request_id)
    principal = await principal_for_user(username, request_id) if ok else None
    if principal is None:  # a wrong password (or the account was deactivated meanwhile)
        await audit.record(anonymous, "login", object_type="User", outcome="refused")
        raise DomainError(Code.INVALID_CREDENTIALS)
    issued = await issue_token(principal, username, SESSION_TTL, now, kind="session")
    return issued, principal


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
