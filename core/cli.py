"""The ``unionaid`` command."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

from unionaid.core import db, policy, scaffold
from unionaid.core.cli_access import acting_as, add_parsers, run_with_db
from unionaid.core.cli_campaigns import add_parsers as add_campaign_parsers
from unionaid.core.cli_data import add_parsers as add_data_parsers
from unionaid.core.cli_keys import add_parsers as add_key_parsers
from unionaid.core.config import ConfigError, Settings, is_postgres
from unionaid.core.errors import TopLevelError, Words, message
from unionaid.core.host import PluginError, PluginHost
from unionaid.core.keys import KeyRefused

DEFAULT_SCHEMA_PATH = Path("schema") / "schema.graphql"


def _fail(text: str, status: int = 2) -> int:
    print(f"unionaid: {text}", file=sys.stderr)
    return status


async def _with_db(settings: Settings, host: PluginHost, work):
    """``work(vault)`` with the ORM up and the data key checked."""
    vault = await db.open_checked(settings, host)
    try:
        return await work(vault)
    finally:
        await db.close_db()


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(db.migrate_checked(settings, PluginHost.load()))
    print("migrated")
    return 0


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from unionaid.core.graphql.schema import build_schema, sdl

    # The committed SDL is the core and the built-in programs only, so an installed third-party
    # plugin never makes it stale; --all describes this installation, to a file of its own.
    if args.all and not args.path:
        return _fail(
            f"export-schema --all needs a PATH ({DEFAULT_SCHEMA_PATH} is the built-in schema)"
        )
    text = sdl(build_schema(PluginHost.load(builtin_only=not args.all)))
    if args.path == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.path) if args.path else DEFAULT_SCHEMA_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def cmd_makemigrations(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(db.make_migrations(PluginHost.load(), tuple(args.apps), args.name))
    return 0


def _load_demo(settings: Settings, host: PluginHost) -> None:
    from unionaid.core.demo import DEMO_PASSWORD, demo_tokens, load_demo

    async def work(vault):
        loaded = await load_demo(host, vault)
        return loaded, await demo_tokens(dt.datetime.now(dt.UTC))

    loaded, tokens = asyncio.run(_with_db(settings, host, work))
    print("demo data loaded" if loaded else "demo data already present")
    print(f"demo users (password {DEMO_PASSWORD!r}), tokens valid 7 days; in GraphiQL's headers:")
    for username, role, token in tokens:
        print(f'  {username:<20} {role:<15} {{"Authorization": "Bearer {token}"}}')


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if args.workers > 1 and not is_postgres(settings.database_url):
        return _fail(
            "--workers > 1 needs PostgreSQL (set DATABASE_URL=postgres://...): "
            "SQLite cannot be shared safely by several server processes"
        )
    host = PluginHost.load()
    asyncio.run(db.migrate_checked(settings, host))
    if args.demo:
        _load_demo(settings, host)
    from unionaid.core.observability import LOG_CONFIG, configure_logging

    configure_logging()
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    if settings.production:
        print(f"unionaid GraphQL API at http://{shown}:{args.port}/graphql", flush=True)
    else:
        print(f"GraphiQL: http://{shown}:{args.port}/graphql", flush=True)
    from unionaid.core.slow_clients import header_timeout, protocol

    header_timeout()  # a bad UNIONAID_HEADER_TIMEOUT stops the start, not each connection
    uvicorn.run(
        "unionaid.core.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=protocol(),  # uvicorn's protocol with a deadline for request headers
        log_level="info",
        log_config=LOG_CONFIG,  # our JSON lines, in every worker process too
    )
    return 0


def _plugin_action(args: argparse.Namespace, settings: Settings) -> int:
    from unionaid.core.services import programs

    host = PluginHost.load()
    if args.action == "list":

        async def listing(vault):
            enabled = await programs.enabled_pairs()
            for program in host.programs.values():
                where = sorted(d for p, d in enabled if p == program.id)
                kind = "built-in" if program.builtin else "installed"
                print(
                    f"{program.id:<12} {program.info.version:<8} {kind:<9} "
                    f"{program.info.name} / {program.info.name_en}  "
                    f"enabled in: {', '.join(where) or '-'}"
                )

        asyncio.run(_with_db(settings, host, listing))
        return 0

    why = "the audit trail records who changes a program"
    if args.action in ("enable", "disable"):
        if not args.district:
            return _fail("--district CODE is required")

        async def toggle():
            actor = await acting_as(args.as_user, required=True, why=why)
            for code in args.district:
                policy.require(
                    actor, policy.Action.MANAGE_PROGRAMS, code, "district", Words("区", "district")
                )
            for code in args.district:
                await programs.set_enabled(host, args.program, code, args.action == "enable", actor)
                print(f"{args.program} {args.action}d in {code}")

        work = toggle
    else:  # configure
        try:
            changes = json.loads(args.json) if args.json else {}
        except json.JSONDecodeError as exc:
            return _fail(f"--json is not valid JSON: {exc}")
        for item in args.set or []:
            key, sep, value = item.partition("=")
            if not sep:
                return _fail(f"--set takes KEY=VALUE, got {item!r}")
            try:
                changes[key] = json.loads(value)
            except json.JSONDecodeError:
                changes[key] = value
        from unionaid.core.timezone import today_in_shanghai

        valid_from = (
            dt.date.fromisoformat(args.valid_from) if args.valid_from else today_in_shanghai()
        )

        async def configure():
            actor = await acting_as(args.as_user, required=True, why=why)
            codes = args.district or [None]
            for code in codes:
                policy.require(
                    actor, policy.Action.MANAGE_PROGRAMS, code, "district", Words("区", "district")
                )
            for code in codes:
                saved = await programs.configure(
                    host, args.program, code, changes, valid_from, actor
                )
                print(f"{args.program} settings for {code or 'city'}: version {saved.version}")

        work = configure
    return run_with_db(settings, work)


def cmd_assets(args: argparse.Namespace, settings: Settings) -> int:
    """Bundle GraphiQL from the pinned npm packages (assets/graphiql) into core/static."""
    import shutil
    import subprocess

    from unionaid.core import ui

    if not (ui.ASSETS / "package-lock.json").is_file():
        return _fail(f"{ui.ASSETS} not found: run this from a clone of the repository")
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        return _fail("Node.js and npm are needed to build GraphiQL (the console works without)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ui.ASSETS, check=True)
    subprocess.run([node, "build.mjs", str(ui.STATIC)], cwd=ui.ASSETS, check=True)
    return 0


def cmd_new_plugin(args: argparse.Namespace, settings: Settings) -> int:
    folder = Path(args.dir) if args.dir else scaffold.default_folder(args.name)
    try:
        written = scaffold.write_plugin(args.name, folder)
    except (ValueError, FileExistsError) as exc:
        return _fail(str(exc))
    print(f"wrote {len(written)} files in {folder}: pip install -e '{folder}[test]', then")
    print(f"python -m pytest {folder} (the guide: docs/plugins.md)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="unionaid", description="Wuxi trade-union assistance API")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate and run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="load the demo data once")
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    export = sub.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("path", nargs="?", help=f"default {DEFAULT_SCHEMA_PATH}; - for stdout")
    export.add_argument(
        "--all",
        action="store_true",
        help="every installed program, third-party ones too (then PATH is required)",
    )
    export.set_defaults(func=cmd_export_schema)

    make = sub.add_parser("makemigrations", help="(development) write migrations for model changes")
    make.add_argument("apps", nargs="*", help="app labels: core, then plugin ids")
    make.add_argument("--name")
    make.set_defaults(func=cmd_makemigrations)

    new = sub.add_parser("new-plugin", help="write a program plugin package from the template")
    new.add_argument("name", help="the program's id: lowercase letters and digits")
    new.add_argument("--dir", help="the folder to write (new or empty; default ./unionaid-NAME)")
    new.set_defaults(func=cmd_new_plugin)

    plugins = sub.add_parser("plugins", help="list, enable, disable and configure programs")
    psub = plugins.add_subparsers(dest="action", required=True)
    psub.add_parser("list")
    for action in ("enable", "disable", "configure"):
        p = psub.add_parser(action)
        p.add_argument("program")
        p.add_argument("--district", action="append", help="district code (repeatable)")
        p.add_argument(
            "--as", dest="as_user", help="the user making the change (required, audited)"
        )
        if action == "configure":
            p.add_argument("--set", action="append", metavar="KEY=VALUE")
            p.add_argument("--json", help="changed keys as a JSON object")
            p.add_argument("--valid-from", help="YYYY-MM-DD, default today")
    plugins.set_defaults(func=_plugin_action)
    assets = sub.add_parser("assets", help="browser assets")
    asub = assets.add_subparsers(dest="action", required=True)
    asub.add_parser("build", help="bundle GraphiQL from npm (needs Node.js)")
    assets.set_defaults(func=cmd_assets)
    add_parsers(sub)
    add_data_parsers(sub)
    add_campaign_parsers(sub)
    add_key_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return args.func(args, settings)
    except (ConfigError, PluginError) as exc:
        return _fail(str(exc))
    except KeyRefused as exc:  # nothing was written
        return _fail(exc.text())
    except TopLevelError as exc:  # a policy refusal of a --as user
        return _fail(f"{exc.code}: {message(exc.code, 'en', **exc.params)}", 1)


if __name__ == "__main__":
    sys.exit(main())
