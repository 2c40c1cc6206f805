"""Who may do what, where: the one place role × district permissions are decided.

Two questions, asked in this order, for every object a request touches:

1. *Can the principal see it?* Objects of districts (or, for enterprise contacts, enterprises)
   outside the principal's scope do not exist for it: ``NOT_FOUND``, for reads and writes alike,
   so nobody learns that a record exists elsewhere.
2. *May the principal do this here?* Visible but not permitted: ``FORBIDDEN``.

Resolvers never test roles themselves; they call :func:`require`, :func:`allows` and the scope
filters below. Programs add actions of their own (``register_actions``): the host declares them
here at startup (:func:`declare_actions`) with the roles that hold them, and they are checked by
the same functions, by name (``"mutualaid.enrol"``)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from unionaid.core.errors import Code, DomainError, TopLevelError, Words
from unionaid.core.models.access import Role
from unionaid.core.principal import Principal

if TYPE_CHECKING:
    from unionaid.core.plugin_types import ActionSpec


class Action(StrEnum):
    READ_RECORDS = "read_records"  # members, households, enterprises, funds, programs
    WRITE_RECORDS = "write_records"  # register and change members and their households
    REGISTER_ENTERPRISES = "register_enterprises"
    READ_FULL_ID = "read_full_id"  # unmasked resident ID numbers, with a stated purpose
    READ_PHONE = "read_phone"  # unmasked phone numbers
    MANAGE_PROGRAMS = "manage_programs"  # enable, disable and configure programs
    MANAGE_FUNDS = "manage_funds"  # open funds, record contributions, transfer
    APPROVE = "approve"  # approve other people's work (maker-checker)
    READ_AUDIT = "read_audit"  # the audit trail and the personal-data access log
    MANAGE_PERSONAL_DATA = "manage_personal_data"  # export for the person, anonymise
    MANAGE_DISTRICTS = "manage_districts"  # the list of district federations itself
    IMPORT_FILES = "import_files"  # upload registers for bulk import (administrators)
    CREATE_CAMPAIGNS = "create_campaigns"  # draft and evaluate payment campaigns (makers)
    PAY = "pay"  # pay approved campaigns and entitlements, reverse payments


A = Action
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.CITY_ADMIN: frozenset(Action),
    Role.DISTRICT_ADMIN: frozenset(
        {
            A.READ_RECORDS,
            A.WRITE_RECORDS,
            A.REGISTER_ENTERPRISES,
            A.READ_FULL_ID,
            A.READ_PHONE,
            A.MANAGE_PROGRAMS,
            A.MANAGE_FUNDS,
            A.MANAGE_PERSONAL_DATA,
            A.IMPORT_FILES,
            A.CREATE_CAMPAIGNS,
            A.PAY,
        }
    ),
    Role.CASEWORKER: frozenset(
        {
            A.READ_RECORDS,
            A.WRITE_RECORDS,
            A.REGISTER_ENTERPRISES,
            A.READ_FULL_ID,
            A.READ_PHONE,
            A.CREATE_CAMPAIGNS,
        }
    ),
    Role.APPROVER: frozenset({A.READ_RECORDS, A.APPROVE}),
    Role.AUDITOR: frozenset({A.READ_RECORDS, A.READ_AUDIT}),
    Role.ENTERPRISE: frozenset({A.READ_RECORDS, A.WRITE_RECORDS, A.READ_PHONE}),
    Role.SERVICE: frozenset({A.READ_RECORDS}),
}

# Roles that work in named districts; the others are city-wide (service accounts may be either).
DISTRICT_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.CASEWORKER, Role.APPROVER})
CITY_ROLES = frozenset({Role.CITY_ADMIN, Role.AUDITOR})
_READS = frozenset({A.READ_RECORDS, A.READ_AUDIT})


# Program actions ("<program id>.<verb>") -> the roles holding them, as the programs declared
# them (the city administrator holds them all, as it holds every core action). Declared by the
# host per program at startup; a program declared again (another host in the same process)
# replaces its own entries only, so programs never see each other's.
PROGRAM_ACTIONS: dict[str, frozenset[Role]] = {}
_CORE_ACTIONS = frozenset(Action)


def declare_actions(program_id: str, actions: Iterable[ActionSpec]) -> None:
    for name in [n for n in PROGRAM_ACTIONS if n.partition(".")[0] == program_id]:
        del PROGRAM_ACTIONS[name]
    for action in actions:
        PROGRAM_ACTIONS[action.name] = frozenset(Role(r) for r in action.roles) | {Role.CITY_ADMIN}


def holds(role: str, action: Action | str) -> bool:
    """Whether ``role`` holds ``action``, a core :class:`Action` or a program's action name.
    A name nobody declared is a bug in its caller: ``LookupError``, never a silent refusal."""
    if action in _CORE_ACTIONS:
        return Action(action) in ROLE_ACTIONS.get(Role(role), frozenset())
    if action not in PROGRAM_ACTIONS:
        raise LookupError(f"unknown action {action!r}: declare it with register_actions")
    return Role(role) in PROGRAM_ACTIONS[action]


def allows(principal: Principal, action: Action | str, district_code: str | None = None) -> bool:
    """Whether the role permits ``action`` on an object of ``district_code`` (None: a city-level
    object such as a city fund or the city's default settings). Visibility is checked apart."""
    if not holds(principal.role, action):
        return False
    if district_code is None and action not in _READS:
        return principal.district_codes is None and principal.role == Role.CITY_ADMIN
    return True


def is_enterprise_contact(principal: Principal) -> bool:
    return principal.role == Role.ENTERPRISE


def sees_district(principal: Principal, code: str | None) -> bool:
    return code is None or principal.sees_district(code)


def sees_member(principal: Principal, district_code: str, enterprise_id: int | None) -> bool:
    if not principal.sees_district(district_code):
        return False
    return not is_enterprise_contact(principal) or enterprise_id in principal.enterprise_ids


def sees_enterprise(principal: Principal, district_code: str, enterprise_id: int) -> bool:
    if not principal.sees_district(district_code):
        return False
    return not is_enterprise_contact(principal) or enterprise_id in principal.enterprise_ids


def sees_funds(principal: Principal) -> bool:
    return not is_enterprise_contact(principal)


def sees_payments(principal: Principal) -> bool:
    """What households were paid (any program, hardship included) is money and welfare, not an
    employer's business: every role but the enterprise contact, in its own districts."""
    return not is_enterprise_contact(principal)


def sees_campaigns(principal: Principal) -> bool:
    """Campaigns pay households from funds: the federation's business, never an enterprise
    contact's (its scope is its employees' register data)."""
    return not is_enterprise_contact(principal)


def sees_campaign(principal: Principal, district_codes: list[str]) -> bool:
    return sees_campaigns(principal) and all(principal.sees_district(c) for c in district_codes)


def member_scope(principal: Principal, prefix: str = "") -> dict[str, Any]:
    """Queryset filters that keep only the members the principal may see."""
    scope: dict[str, Any] = {}
    if principal.district_codes is not None:
        scope[f"{prefix}district_id__in"] = principal.district_codes
    if is_enterprise_contact(principal):
        scope[f"{prefix}enterprise_id__in"] = principal.enterprise_ids
    return scope


def enterprise_scope(principal: Principal) -> dict[str, Any]:
    scope: dict[str, Any] = {}
    if principal.district_codes is not None:
        scope["district_id__in"] = principal.district_codes
    if is_enterprise_contact(principal):
        scope["id__in"] = principal.enterprise_ids
    return scope


def district_scope(principal: Principal, column: str = "code") -> dict[str, Any]:
    if principal.district_codes is None:
        return {}
    return {f"{column}__in": principal.district_codes}


def require_visible(
    visible: bool, field: str | None = None, what: Words = Words("记录", "record")
) -> None:
    if not visible:
        raise DomainError(Code.NOT_FOUND, field, what=what)


def require(
    principal: Principal,
    action: Action | str,
    district_code: str | None,
    field: str | None = None,
    what: Words = Words("记录", "record"),
) -> None:
    """NOT_FOUND (a ``userErrors`` entry in mutations) when ``district_code`` is outside the
    principal's scope; FORBIDDEN (a top-level error) when visible but not permitted. A code
    that is not six digits names no district (and is never looked up)."""
    shaped = district_code is None or (len(district_code) == 6 and district_code.isascii())
    require_visible(shaped and sees_district(principal, district_code), field, what)
    if not allows(principal, action, district_code):
        raise TopLevelError(Code.FORBIDDEN)


def has(principal: Principal, action: Action | str) -> bool:
    """Whether the role may ever do ``action`` (rows are then checked one by one)."""
    return holds(principal.role, action)


def require_action(principal: Principal, action: Action | str) -> None:
    """For operations with no single target district (listing the audit trail)."""
    if not has(principal, action):
        raise TopLevelError(Code.FORBIDDEN)
