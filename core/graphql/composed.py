"""Types composed at schema build time from the core and the plugins (set by schema.build)."""

Member: type
