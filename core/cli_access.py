"""``unionaid user ...`` and ``unionaid token ...``: identity administration at the shell; and
the helpers every command shares (``run_with_db``, ``acting_as``, ``run_job_here``).

Whoever runs these holds the database already, so they need no token; they are still audited,
as ``--as USERNAME`` when given (a city administrator), else as the operating-system account
(``cli:root``). Outside the demo no default users or passwords exist."""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import datetime as dt
import getpass
import sys

from unionaid.core import db
from unionaid.core.config import Settings
from unionaid.core.crypto import Vault
from unionaid.core.errors import DomainError, DomainErrors, message
from unionaid.core.host import PluginHost
from unionaid.core.models import ApiToken, Role, User
from unionaid.core.principal import Principal
from unionaid.core.services import accounts


class CommandError(Exception):
    """Refused before anything was written; printed on stderr."""


def report(exc: DomainError | DomainErrors) -> None:
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    for err in errors:
        where = f" {err.field}" if err.field else ""
        print(
            f"unionaid: {err.code}{where}: {message(err.code, 'en', **err.params)}", file=sys.stderr
        )


_vault: contextvars.ContextVar[Vault] = contextvars.ContextVar("vault")


def checked_vault() -> Vault:
    """The vault of this command, its key checked against the database's by ``run_with_db``."""
    return _vault.get()


def run_with_db(settings: Settings, work) -> int:
    """Run ``work()`` with the ORM up and the data key checked (a key the database does not
    know stops the command before anything is written); domain errors become exit status 1."""

    async def wrapped():
        _vault.set(await db.open_checked(settings, PluginHost.load()))
        try:
            return await work()
        finally:
            await db.close_db()

    try:
        return asyncio.run(wrapped()) or 0
    except (DomainError, DomainErrors) as exc:
        report(exc)
        return 1
    except CommandError as exc:
        print(f"unionaid: {exc}", file=sys.stderr)
        return 2


async def acting_as(username: str | None, *, required: bool, why: str = "") -> Principal:
    """The principal a CLI write is recorded under."""
    request_id = f"cli-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}"
    if username is None:
        if required:
            raise CommandError(f"--as USERNAME is required: {why}")
        operator = f"cli:{getpass.getuser()}"
        return Principal(None, operator, Role.CITY_ADMIN.value, None, frozenset(), request_id)
    found = await accounts.principal_for_user(username, request_id)
    if found is None:
        raise CommandError(f"--as {username}: no such active user")
    return found


async def run_job_here(job, ctx, handler, label: str) -> dict:
    """Claim ``job`` in this process and run it with a progress bar; record its outcome."""
    from tqdm import tqdm

    from unionaid.core.jobs import claim, refusal_text
    from unionaid.core.models import Job, JobStatus

    claimed = await claim(ctx.worker, ctx.clock(), job_id=job.id, stale=ctx.stale_after)
    if claimed is None:
        raise CommandError(f"job {job.id} was taken by another worker; follow it with `job`")
    bar = tqdm(total=None, unit="item", desc=label, file=sys.stderr)

    def progress(done: int, total: int | None) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        result = await handler(claimed, ctx, progress)
    except Exception as exc:
        bar.close()
        await Job.filter(id=job.id).update(
            status=JobStatus.FAILED,
            error=(refusal_text(exc) or str(exc))[:2000],
            finished_at=ctx.clock(),
        )
        raise
    bar.close()
    await Job.filter(id=job.id).update(
        status=JobStatus.SUCCEEDED, result=result, finished_at=ctx.clock()
    )
    return result


def _password(args: argparse.Namespace) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    return sys.stdin.readline().rstrip("\r\n")


def _admin(principal: Principal) -> Principal:
    if principal.role != Role.CITY_ADMIN or principal.district_codes is not None:
        raise CommandError(f"--as {principal.username}: only a city_admin manages users")
    return principal


def cmd_user(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        if args.action == "list":
            for user in await User.all().order_by("username").prefetch_related("districts"):
                codes = ",".join(sorted(d.district_id for d in user.districts)) or "-"
                state = "active" if user.is_active else "inactive"
                print(f"{user.username:<24} {user.role.value:<15} {codes:<30} {state}")
            return 0
        actor = _admin(await acting_as(args.as_user, required=False))
        if args.action == "create":
            await accounts.create_user(
                actor,
                accounts.NewUser(
                    username=args.name,
                    role=args.role,
                    district_codes=args.district or [],
                    enterprise_uscc=args.enterprise,
                    display_name=args.display_name or "",
                    password=_password(args),
                ),
            )
            print(f"created {args.role} {args.name}", file=sys.stderr)
        elif args.action == "passwd":
            password = _password(args)
            if password is None:
                password = getpass.getpass(f"new password for {args.name}: ")
            await accounts.set_password(actor, args.name, password)
            print(f"password set for {args.name}", file=sys.stderr)
        else:
            await accounts.set_active(actor, args.name, args.action == "activate")
            print(f"{args.name} {args.action}d", file=sys.stderr)
        return 0

    return run_with_db(settings, work)


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        now = dt.datetime.now(dt.UTC)
        if args.action == "list":
            rows = await ApiToken.filter(user__username=args.name).order_by("id")
            for t in rows:
                state = "revoked" if t.revoked_at else "expired" if t.expires_at <= now else "valid"
                until = f"{t.expires_at:%Y-%m-%d %H:%M}Z"
                print(f"#{t.id:<6} {t.prefix}…  {t.kind:<8} until {until}  {state}")
            return 0
        actor = _admin(await acting_as(args.as_user, required=False))
        if args.action == "create":
            ttl = accounts.parse_ttl(args.ttl)
            issued = await accounts.issue_token(actor, args.name, ttl, now)
            print(issued.token)  # the only line on stdout, so $(unionaid token create x) works
            print(
                f"token #{issued.id} expires {issued.expires_at:%Y-%m-%d %H:%M}Z", file=sys.stderr
            )
            return 0
        given = [x for x in (args.token, args.id, args.user) if x is not None]
        if len(given) != 1:
            raise CommandError("token revoke takes one of: TOKEN, --id N, --user NAME")
        count = await accounts.revoke_tokens(
            actor, now, token=args.token, token_id=args.id, username=args.user
        )
        print(f"revoked {count} token(s)", file=sys.stderr)
        return 0 if count else 1

    return run_with_db(settings, work)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="create, list, change and deactivate users")
    usub = user.add_subparsers(dest="action", required=True)
    create = usub.add_parser("create", help="create a user")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--district", action="append", help="district code (repeatable)")
    create.add_argument("--enterprise", help="credit code (USCC), for the enterprise role")
    create.add_argument("--display-name")
    create.add_argument(
        "--password-stdin", action="store_true", help="read a password (for login) from stdin"
    )
    passwd = usub.add_parser("passwd", help="set a user's password")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    for action in ("deactivate", "activate"):
        usub.add_parser(action).add_argument("name")
    usub.add_parser("list")
    for p in usub.choices.values():
        p.add_argument("--as", dest="as_user", help="the city_admin making the change (recorded)")
    user.set_defaults(func=cmd_user)

    token = sub.add_parser("token", help="create, list and revoke bearer tokens")
    tsub = token.add_subparsers(dest="action", required=True)
    tcreate = tsub.add_parser("create", help="print a new token for NAME (only it, on stdout)")
    tcreate.add_argument("name")
    tcreate.add_argument("--ttl", default="30d", help="lifetime: 90m, 12h, 30d (default 30d)")
    revoke = tsub.add_parser("revoke", help="revoke a token, by its text or id, or all of a user's")
    revoke.add_argument("token", nargs="?")
    revoke.add_argument("--id", type=int)
    revoke.add_argument("--user")
    tlist = tsub.add_parser("list", help="a user's tokens (never their text)")
    tlist.add_argument("name")
    for p in tsub.choices.values():
        p.add_argument("--as", dest="as_user", help="the city_admin making the change (recorded)")
    token.set_defaults(func=cmd_token)
