"""Members (members.csv of the reference format): matched by resident ID number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from unionaid.core import policy
from unionaid.core.errors import Code, Words, reason_of
from unionaid.core.identifiers import is_valid_phone, is_valid_uscc, parse_id_number
from unionaid.core.imports import cells
from unionaid.core.imports.engine import Planned, Row, Run
from unionaid.core.imports.lookup import district_codes, enterprises_by_uscc, in_chunks
from unionaid.core.models import EmploymentStatus, Gender, Household, Member
from unionaid.core.money import parse_money, to_fen
from unionaid.core.policy import Action
from unionaid.core.services import members as member_service
from unionaid.core.services.validation import TextKind, clean_text, max_length

# Columns compared to decide "unchanged" (model field names).
COMPARED = (
    "name",
    "phone",
    "district_id",
    "enterprise_id",
    "is_union_member",
    "employment_status",
    "monthly_income",
)

NAME = {"max_length": max_length(Member, "name"), "kind": TextKind.NAME, "required": True}


class MemberImporter:
    kind = "members"
    tables = ("member", "household")
    required = ("name", "id_number", "district_code")
    optional = (
        "gender",
        "birth_date",
        "phone",
        "enterprise_uscc",
        "is_union_member",
        "employment_status",
        "monthly_income",
        "household_size",
    )

    async def plan(self, run: Run, rows: list[Row]) -> list[Planned]:
        districts = await district_codes()
        usccs = {v["enterprise_uscc"] for _, v in rows if v.get("enterprise_uscc")}
        firms = await enterprises_by_uscc(usccs)
        parsed: list[tuple[int, dict[str, Any], str, Any]] = []
        seen: dict[str, int] = {}
        for number, v in rows:
            values = self._parse(run, number, v, districts, firms)
            resident = parse_id_number(v["id_number"])
            if resident is None:
                run.reject(number, "id_number", Code.INVALID_ID_NUMBER)
                continue
            if values is None:
                continue
            if resident.number in seen:
                run.reject(
                    number,
                    "id_number",
                    Code.DUPLICATE,
                    detail=Words(
                        f"与第 {seen[resident.number]} 行重复", f"row {seen[resident.number]}"
                    ),
                )
                continue
            seen[resident.number] = number
            parsed.append((number, values, run.vault.lookup_hash(resident.number), resident))
        existing = await _existing([h for _, _, h, _ in parsed])
        plan = []
        for number, values, digest, resident in parsed:
            current = existing.get(digest)
            if current is None:
                values.update(
                    id_number_enc=run.vault.encrypt(resident.number),
                    id_number_hash=digest,
                    id_number_masked=resident.masked,
                    birth_date=resident.birth_date,
                    gender=Gender(resident.gender),
                )
                plan.append(Planned(number, "create", values))
                continue
            if not policy.sees_member(run.actor, current["district_id"], current["enterprise_id"]):
                run.reject(
                    number,
                    "id_number",
                    Code.NOT_FOUND,
                    what=Words("会员（属于其他区）", "member (of another district)"),
                )
                continue
            changes = {k: values[k] for k in COMPARED if k in values and values[k] != current[k]}
            size = values.get("declared_size")
            if size is not None and size != current["household__declared_size"]:
                changes["declared_size"] = size
            action = "update" if changes else "unchanged"
            plan.append(Planned(number, action, changes, current, pk=current["id"]))
        return plan

    def _parse(self, run: Run, number: int, v: dict[str, str], districts, firms):
        """Model values of one row, or None (with the row rejected)."""
        ok = True

        def bad(column: str, code: Code, **params: Any) -> None:
            nonlocal ok
            ok = False
            run.reject(number, column, code, **params)

        # The checks createMember runs, so both accept and refuse the same values.
        name = run.checked(number, "name", clean_text, v["name"], "name", **NAME)
        values: dict[str, Any] = {"name": name, "source_ref": v.get("id") or None}
        resident = parse_id_number(v["id_number"])
        if resident is not None:
            run.checked(
                number,
                "id_number",
                run.bounds.check_birth_date,
                resident.birth_date,
                run.today,
                "id_number",
            )
            for column, expected, read, said in (
                ("gender", resident.gender, cells.gender, Words("性别", "gender")),
                ("birth_date", resident.birth_date, cells.date, Words("出生日期", "birth_date")),
            ):
                if v.get(column):
                    try:
                        if read(v[column]) != expected:
                            bad(
                                column,
                                Code.INVALID_INPUT,
                                detail=Words(
                                    f"{said.zh}与身份证号码不符",
                                    f"{said.en} differs from the ID number",
                                ),
                            )
                    except ValueError as exc:
                        bad(column, Code.INVALID_INPUT, detail=reason_of(exc))
        code = v["district_code"]
        if not code:
            bad("district_code", Code.REQUIRED)
        elif code not in districts or not run.actor.sees_district(code):
            bad("district_code", Code.NOT_FOUND, what=Words(f"区 {code}", f"district {code}"))
        elif not policy.allows(run.actor, Action.WRITE_RECORDS, code):
            bad("district_code", Code.FORBIDDEN)
        values["district_id"] = code
        phone = v.get("phone") or None
        if phone is not None and not is_valid_phone(phone):
            bad("phone", Code.INVALID_PHONE)
        values["phone"] = phone
        values["enterprise_id"] = None
        uscc = v.get("enterprise_uscc")
        if uscc:
            firm = firms.get(uscc)
            if not is_valid_uscc(uscc):
                bad("enterprise_uscc", Code.INVALID_USCC)
            elif firm is None or not policy.sees_enterprise(run.actor, firm[1], firm[0]):
                bad("enterprise_uscc", Code.NOT_FOUND, what=Words("企业", "enterprise"))
            else:
                values["enterprise_id"] = firm[0]
        elif policy.is_enterprise_contact(run.actor):
            values["enterprise_id"] = min(run.actor.enterprise_ids)
        readers = {
            "is_union_member": cells.boolean,
            "employment_status": lambda t: cells.choice(EmploymentStatus, t),
            "household_size": lambda t: cells.whole(t, 1, 30),
        }
        for column, read in readers.items():
            if v.get(column):
                try:
                    values[column] = read(v[column])
                except ValueError as exc:
                    bad(column, Code.INVALID_INPUT, detail=reason_of(exc))
        values.setdefault("is_union_member", True)
        values.setdefault("employment_status", EmploymentStatus.EMPLOYED)
        values["declared_size"] = values.pop("household_size", None)
        income = v.get("monthly_income")
        values["monthly_income"] = None
        if income:
            amount = parse_money(income)
            if amount is None:
                bad("monthly_income", Code.INVALID_AMOUNT)
            else:
                values["monthly_income"] = to_fen(amount)
                checked = run.checked(number, "monthly_income", run.bounds.check_income, amount)
                if checked is not None and run.bounds.income_is_unusual(amount):
                    run.warnings.append(
                        f"row {number}: monthly_income {amount} is above "
                        f"{run.bounds.income_soft_max}; check it"
                    )
        return values if ok and run.ok(number) else None

    async def create(self, run: Run, batch: list[Planned]) -> None:
        from tortoise.transactions import in_transaction

        from unionaid.core.db import reserve_ids

        async with in_transaction() as conn:
            household_ids = await reserve_ids(conn, "household", len(batch))
            member_ids = await reserve_ids(conn, "member", len(batch))
            households, members = [], []
            for item, household_id, member_id in zip(batch, household_ids, member_ids, strict=True):
                values = dict(item.values)
                households.append(
                    Household(
                        id=household_id,
                        district_id=values["district_id"],
                        declared_size=values.pop("declared_size"),
                    )
                )
                members.append(Member(id=member_id, household_id=household_id, **values))
                item.pk = member_id
            await Household.bulk_create(households, using_db=conn)
            await Member.bulk_create(members, using_db=conn)

    async def update(self, run: Run, item: Planned) -> None:
        changes = dict(item.values)
        size = changes.pop("declared_size", None)
        assert item.current is not None
        async with in_transaction():  # the row's two changes and their entries, or nothing
            if changes:
                await member_service.update_member(
                    run.actor, item.current["id"], item.current["version"], changes
                )
            if size is not None:
                await member_service.declare_household_size(
                    run.actor, item.current["household_id"], item.current["district_id"], size
                )


async def _existing(digests: list[str]) -> dict[str, dict[str, Any]]:
    found = {}
    for chunk in in_chunks(digests):
        rows = await Member.filter(id_number_hash__in=chunk).values(
            "id",
            "id_number_hash",
            "version",
            "household_id",
            "household__declared_size",
            *COMPARED,
        )
        for row in rows:
            if row["monthly_income"] is not None:
                row["monthly_income"] = to_fen(Decimal(row["monthly_income"]))
            found[row["id_number_hash"]] = row
    return found
