"""The pages /graphql shows a browser outside production: GraphiQL when its bundle has been
built (``unionaid assets build``), else a small offline console of our own."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
STATIC = HERE.parent / "static" / "graphiql"  # written by `unionaid assets build`, not committed
ASSETS = HERE.parent.parent / "assets" / "graphiql"  # package.json, lock file, entry, build script

GRAPHIQL_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>unionaid — GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/graphiql.js"></script>
</body>
</html>
"""


def graphiql_built() -> bool:
    return (STATIC / "graphiql.js").is_file() and (STATIC / "graphiql.css").is_file()


def console() -> str:
    return (HERE / "console.html").read_text(encoding="utf-8")


def page() -> str:
    return GRAPHIQL_PAGE if graphiql_built() else console()
