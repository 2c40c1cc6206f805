"""Enabling programs in districts and versioning their settings.

Effective settings of a district on a day = the plugin's defaults, overridden key by key by the
city's latest version valid that day, then by the district's. Each save stores a new version of
the scope's overrides; nothing is overwritten, so a decision can name the version it used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.host import PluginHost
from unionaid.core.models import District, ProgramEnablement, ProgramSettings
from unionaid.core.models.program import CITY
from unionaid.core.principal import Principal
from unionaid.core.services import audit
from unionaid.core.services.settings_errors import settings_errors


def _program(host: PluginHost, program_id: str) -> None:
    if program_id not in host.programs:
        raise DomainError(Code.UNKNOWN_PROGRAM, "programId", program=program_id)


async def _district(code: str) -> None:
    if not await District.exists(code=code):
        raise DomainError(Code.NOT_FOUND, "districtCode", what=Words("区", "district"))


async def set_enabled(
    host: PluginHost, program_id: str, district_code: str, enabled: bool, actor: Principal
) -> ProgramEnablement:
    _program(host, program_id)
    await _district(district_code)
    async with in_transaction():
        row = (
            await ProgramEnablement.filter(program=program_id, district_id=district_code)
            .select_for_update()
            .first()
        )
        if row is None:
            try:
                row = await ProgramEnablement.create(
                    program=program_id,
                    district_id=district_code,
                    enabled=enabled,
                    updated_by=actor.username,
                )
            except IntegrityError as exc:
                raise DomainError(Code.CONFLICT, "districtCode") from exc
            changed = enabled
        else:
            changed = row.enabled != enabled
            row.enabled, row.updated_by = enabled, actor.username
            await row.save(update_fields=["enabled", "updated_by", "updated_at"])
        if changed:
            hook = "on_program_enabled" if enabled else "on_program_disabled"
            await host.notify(program_id, hook, district_code=district_code, actor=actor.username)
            await audit.record(
                actor,
                "enableProgram" if enabled else "disableProgram",
                object_type="Program",
                object_id=program_id,
                district_code=district_code,
                changes={"enabled": [not enabled, enabled]},
            )
    return row


async def enabled_pairs() -> set[tuple[str, str]]:
    """Every (program, district) that is switched on: a small table, read once per request."""
    rows = await ProgramEnablement.filter(enabled=True).values_list("program", "district_id")
    return {(program, district) for program, district in rows}


async def enabled_districts(program_id: str) -> list[str]:
    """The codes of the districts where ``program_id`` is switched on, sorted: one statement.
    (A resolver wants ``program_scope(info, id).district_codes``: those the caller may see.)"""
    rows = ProgramEnablement.filter(program=program_id, enabled=True).order_by("district_id")
    return list(await rows.values_list("district_id", flat=True))


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class EffectiveSettings:
    values: BaseModel | None
    city_version: int | None
    district_version: int | None

    def as_json(self) -> dict[str, Any]:
        return self.values.model_dump(mode="json") if self.values else {}


async def _latest(program_id: str, scope: str, on: dt.date | None) -> ProgramSettings | None:
    query = ProgramSettings.filter(program=program_id, scope=scope)
    if on is not None:
        query = query.filter(valid_from__lte=on)
    return await query.order_by("-valid_from", "-version").first()


def _merge(model: type[BaseModel], *rows: ProgramSettings | None) -> EffectiveSettings:
    merged = model().model_dump(mode="json")
    for row in rows:
        if row is not None:
            merged = deep_merge(merged, row.values)
    city, district = rows
    return EffectiveSettings(
        model.model_validate(merged),
        city.version if city else None,
        district.version if district else None,
    )


async def effective_settings(
    host: PluginHost, program_id: str, district_code: str | None, on: dt.date
) -> EffectiveSettings:
    model = host.settings_model(program_id)
    if model is None:
        return EffectiveSettings(None, None, None)
    city = await _latest(program_id, CITY, on)
    district = await _latest(program_id, district_code, on) if district_code else None
    return _merge(model, city, district)


async def effective_for_districts(
    host: PluginHost, program_id: str, district_codes: list[str], on: dt.date
) -> dict[str, EffectiveSettings]:
    """Effective settings of many districts in one statement."""
    model = host.settings_model(program_id)
    if model is None:
        return {code: EffectiveSettings(None, None, None) for code in district_codes}
    latest: dict[str, ProgramSettings] = {}
    rows = ProgramSettings.filter(program=program_id, valid_from__lte=on)
    for row in await rows.order_by("valid_from", "version"):
        latest[row.scope] = row  # the last one valid on the day wins
    city = latest.get(CITY)
    return {code: _merge(model, city, latest.get(code)) for code in district_codes}


async def configure(
    host: PluginHost,
    program_id: str,
    district_code: str | None,
    changes: dict[str, Any],
    valid_from: dt.date,
    actor: Principal,
) -> ProgramSettings:
    """Save a new settings version for the city (``district_code`` None) or one district."""
    _program(host, program_id)
    model = host.settings_model(program_id)
    if model is None:
        raise DomainError(
            Code.INVALID_SETTINGS,
            "settings",
            detail=Words("该项目没有设置项", "the program has no settings"),
        )
    if not isinstance(changes, dict) or not changes:
        raise DomainError(
            Code.INVALID_SETTINGS,
            "settings",
            detail=Words("应为一个只含修改项的对象", "an object of changed keys"),
        )
    if district_code is not None:
        await _district(district_code)
    scope = district_code or CITY
    async with in_transaction():
        latest = (
            await ProgramSettings.filter(program=program_id, scope=scope)
            .order_by("-version")
            .first()
        )
        overrides = deep_merge(latest.values if latest else {}, changes)
        # Validate what the district would really run with: defaults <- city <- this scope.
        base = (await effective_settings(host, program_id, None, valid_from)).as_json()
        try:
            checked = model.model_validate(deep_merge(base, overrides))
        except ValidationError as exc:
            raise settings_errors(exc) from exc
        # Store the overrides in their canonical JSON form (Decimal as string).
        canonical = checked.model_dump(mode="json")
        stored = {key: canonical[key] for key in overrides}
        try:
            saved = await ProgramSettings.create(
                program=program_id,
                scope=scope,
                version=(latest.version + 1) if latest else 1,
                valid_from=valid_from,
                values=stored,
                created_by=actor.username,
            )
        except IntegrityError as exc:  # someone saved a version at the same moment
            raise DomainError(Code.CONFLICT, "settings") from exc
        await audit.record(
            actor,
            "configureProgram",
            object_type="Program",
            object_id=program_id,
            district_code=district_code,
            changes=audit.diff(
                {key: (latest.values if latest else {}).get(key) for key in stored}, stored
            )
            | {"version": [latest.version if latest else None, saved.version]},
        )
        return saved
