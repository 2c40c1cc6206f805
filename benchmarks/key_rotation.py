"""Time ``unionaid keys rotate`` over the reference register.

    python ../shared/data/gen_data.py --out /tmp/regd --members 100000
    .venv/bin/python benchmarks/key_rotation.py --data /tmp/regd [--database-url postgres://...]

Imports districts, enterprises and members through the project's import into a fresh database,
then runs the command in its own process, as an operator would, and prints its wall time."""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import subprocess
import sys
import time
from pathlib import Path

from register import fresh_database

from unionaid.core import db
from unionaid.core.config import Settings
from unionaid.core.host import PluginHost
from unionaid.core.imports.run import import_file
from unionaid.core.principal import Principal


async def load(url: str, data: Path, key: str) -> int:
    host = PluginHost.load(builtin_only=True)
    await db.migrate(url, host)
    settings = Settings.from_env({"DATABASE_URL": url, "UNIONAID_DATA_KEY": key})
    vault = await db.open_checked(settings, host)
    try:
        actor = Principal.system("bench")
        for kind in ("districts", "enterprises", "members"):
            content = (data / f"{kind}.csv").read_bytes()
            result = await import_file(kind, content, f"{kind}.csv", actor, vault, host)
            print(result.summary(), flush=True)
        from unionaid.core.models import Member

        return await Member.all().count()
    finally:
        await db.close_db()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    url = asyncio.run(fresh_database(args.database_url))
    old, new = (base64.b64encode(os.urandom(32)).decode() for _ in range(2))
    members = asyncio.run(load(url, args.data, old))
    env = dict(os.environ, DATABASE_URL=url, UNIONAID_DATA_KEY=old, UNIONAID_NEW_DATA_KEY=new)
    command = [sys.executable, "-m", "unionaid.core.cli", "keys", "rotate"]
    started = time.perf_counter()
    subprocess.run([*command, "--batch-size", str(args.batch_size)], env=env, check=True)
    took = time.perf_counter() - started
    print(f"keys rotate: {members} members in {took:.1f} s ({members / took:,.0f} rows/s)")


if __name__ == "__main__":
    main()
