"""Small, valid test data: ID numbers, credit codes, users with tokens, all on one fixed clock."""

from __future__ import annotations

import datetime as dt
import itertools

from unionaid.core.principal import Principal
from unionaid.core.services import accounts

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_seq = itertools.count(1)

# Who test set-up code acts as when it calls services directly (audited like anyone).
ACTOR = Principal.system("test-setup", "test")

# The clock of every app the kit builds (the ``app_clock`` fixture) and of the tokens made here:
# no test depends on the machine's date.
NOW = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return NOW


def id_number(
    born: dt.date = dt.date(1975, 3, 14), *, male: bool = True, area: str = "320206"
) -> str:
    """A valid resident ID number (check digit included), a new one on each call."""
    serial = next(_seq) % 500
    order = serial * 2 + (1 if male else 0)
    first17 = f"{area}{born:%Y%m%d}{order:03d}"
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def uscc(serial: int | None = None, kind: str = "91") -> str:
    """A valid credit code; ``kind`` is its registration authority and kind (91: a company)."""
    serial = next(_seq) if serial is None else serial
    first17 = f"{kind}320206MA{serial:07d}"[:17]
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


_users = itertools.count(1)


async def token_for(
    role: str, districts: tuple[str, ...] = (), enterprise: str | None = None
) -> str:
    """A new user of ``role`` and a bearer token for it, through the real account service."""
    name = f"{role}{next(_users)}"
    await accounts.create_user(
        ACTOR, accounts.NewUser(name, role, list(districts), enterprise_uscc=enterprise)
    )
    return (await accounts.issue_token(ACTOR, name, dt.timedelta(hours=1), NOW)).token
