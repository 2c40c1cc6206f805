"""The hardship program's benefit rules. Every figure is a setting (``settings.py``); the city's
defaults are the 2021 standards, districts override them. Each rule explains itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from unionaid.core import Condition, Decision, Schedule, Unit, to_fen
from unionaid.plugins.hardship.settings import HardshipSettings

ZERO = Decimal("0.00")
LEVEL_ZH = {"difficult": "困难", "extreme": "特困", "none": "无", None: "无"}
LEVEL_EN = {"difficult": "difficult", "extreme": "extreme", "none": "none", None: "none"}
SCHOOL_ZH = {
    "kindergarten": "幼儿园",
    "primary": "小学",
    "junior_high": "初中",
    "senior_high": "高中",
    "secondary_vocational": "中职",
    "higher_vocational": "高职",
    "undergraduate": "本科",
    "vocational": "职业院校",
    "university": "高校",
}
SCHOOL_EN = {
    "kindergarten": "kindergarten",
    "primary": "primary school",
    "junior_high": "junior high school",
    "senior_high": "senior high school",
    "secondary_vocational": "secondary vocational school",
    "higher_vocational": "higher vocational college",
    "undergraduate": "undergraduate",
    "vocational": "vocational school",
    "university": "university",
}
# Who a rule looks at (its candidates): members whose file is active and verified.
ON_FILE = {"hardship_profile__status": "active", "hardship_profile__stage": "verified"}
# Where the income and household size a rule judges come from: the file's assessed values when
# the caseworker recorded them, else the register's (see _means).
FROM_FILE, FROM_REGISTER = "hardship_file", "register"
# Every fact a hardship rule reads, kept in the entitlement's snapshot (plus the two sources).
READ = (
    "hardship_status",
    "hardship_stage",
    "hardship_level",
    "hardship_reasons",
    "model_worker_level",
    "model_worker_in_difficulty",
    "children_school_levels",
    "monthly_income",
    "household_size",
    "hardship_assessed_income",
    "hardship_assessed_size",
)


def _on_file(facts: dict) -> Condition:
    """An active file that someone other than its registrar has verified: a file only
    registered pays nothing (the workflow's verify step is the check before money moves)."""
    if facts.get("hardship_status") != "active":
        return Condition(False, "无有效困难职工档案", "no active hardship file")
    if facts.get("hardship_stage") != "verified":
        return Condition(False, "困难职工档案未核实", "hardship file not verified")
    return Condition(True, "困难职工档案有效且已核实", "active, verified hardship file")


def _level(facts: dict, levels: list[str] | set[str], what_zh: str, what_en: str) -> Condition:
    level = facts.get("hardship_level")
    ok = level in levels
    wanted_zh = "、".join(LEVEL_ZH[x] for x in sorted(levels)) or "无"
    wanted_en = ", ".join(LEVEL_EN[x] for x in sorted(levels)) or "none"
    return Condition(
        ok,
        f"困难等级 {LEVEL_ZH.get(level, level)}（{what_zh}须为 {wanted_zh}）",
        f"hardship level {LEVEL_EN.get(level, level)} ({what_en} needs {wanted_en})",
    )


def _schools(levels: list[str], names: dict[str, str], sep: str, none: str) -> str:
    return sep.join(names.get(level, level) for level in levels) or none


def judged_size(facts: dict) -> int | None:
    """The household's size as the rules judge it (and the report counts people): the file's
    assessed size, else the register's."""
    size = facts.get("hardship_assessed_size")
    return size if size is not None else facts.get("household_size")


def _means(facts: dict) -> tuple[Condition, dict]:
    """The household's monthly income and size as judged: the hardship file's assessed values
    when it has them, the register's otherwise; the explanation names the source of each."""
    income, size = facts.get("hardship_assessed_income"), judged_size(facts)
    income_source = FROM_FILE if income is not None else FROM_REGISTER
    size_source = FROM_FILE if facts.get("hardship_assessed_size") is not None else FROM_REGISTER
    if income is None:
        income = facts.get("monthly_income")
    source_zh = {FROM_FILE: "困难职工档案核定", FROM_REGISTER: "会员登记"}
    source_en = {FROM_FILE: "assessed in the hardship file", FROM_REGISTER: "from the register"}
    if income is None:
        income_zh, income_en = "月收入未登记", "monthly income not recorded"
    else:
        income_zh = f"月收入 {to_fen(income)} 元（{source_zh[income_source]}）"
        income_en = f"monthly income ¥{to_fen(income)} ({source_en[income_source]})"
    size_zh = f"家庭 {size} 人（{source_zh[size_source]}）"
    size_en = f"household of {size} ({source_en[size_source]})"
    per_head_zh = per_head_en = ""
    if income is not None and size:
        per_head = to_fen(Decimal(income) / size)
        per_head_zh, per_head_en = f"，人均 {per_head} 元", f", ¥{per_head} per head"
    condition = Condition(
        True, f"{income_zh}，{size_zh}{per_head_zh}", f"{income_en}, {size_en}{per_head_en}"
    )
    return condition, {"income_source": income_source, "household_size_source": size_source}


def _decision(
    conditions: list[Condition], amount: Decimal, facts: dict, settings: dict
) -> Decision:
    means, sources = _means(facts)
    eligible = all(c.passed for c in conditions)
    return Decision(
        eligible,
        amount if eligible else ZERO,
        [*conditions, means],
        {**{k: facts.get(k) for k in READ}, **sources},
        settings,
    )


class SpringFestival:
    """两节送温暖慰问金: per household, for the levels the settings name and model workers in
    difficulty."""

    code, name, name_en = "spring_festival", "春节送温暖慰问金", "Spring Festival condolence"
    schedule, unit, festival = Schedule.FESTIVAL, Unit.HOUSEHOLD, "spring-festival"

    def candidates(self, settings: HardshipSettings) -> dict:
        return dict(ON_FILE)

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        levels = set(settings.spring_festival_levels)
        by_level = facts.get("hardship_level") in levels
        by_title = settings.spring_festival_model_workers_in_difficulty and bool(
            facts.get("model_worker_in_difficulty")
        )
        titles = settings.spring_festival_model_workers_in_difficulty
        level = facts.get("hardship_level")
        zh = "、".join(LEVEL_ZH[x] for x in sorted(levels)) + ("、困难劳模" if titles else "")
        en = ", ".join(LEVEL_EN[x] for x in sorted(levels)) + (
            ", model workers in difficulty" if titles else ""
        )
        conditions = [
            _on_file(facts),
            Condition(
                by_level or by_title,
                f"困难等级 {LEVEL_ZH.get(level, level)}，困难劳模：{'是' if by_title else '否'}"
                f"（可领：{zh}）",
                f"level {LEVEL_EN.get(level, level)}, model worker in difficulty: "
                f"{'yes' if by_title else 'no'} (qualifying: {en})",
            ),
        ]
        return _decision(
            conditions,
            settings.spring_festival_amount,
            facts,
            {
                "spring_festival_amount": settings.spring_festival_amount,
                "spring_festival_levels": sorted(levels),
                "spring_festival_model_workers_in_difficulty": titles,
            },
        )


class QuarterlySubsidy:
    """每季度生活补贴: base by level × multiplier (the 2021 standard was doubled)."""

    code, name, name_en = "quarterly_subsidy", "季度生活补贴", "Quarterly living subsidy"
    schedule, unit = Schedule.QUARTERLY, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return {
            **ON_FILE,
            "hardship_profile__level__in": list(settings.quarterly_subsidy_base),
        }

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        base = settings.quarterly_subsidy_base.get(facts.get("hardship_level"), ZERO)
        amount = to_fen(base * settings.quarterly_subsidy_multiplier)
        conditions = [
            _on_file(facts),
            _level(
                facts, set(settings.quarterly_subsidy_base), "季度补贴", "the quarterly subsidy"
            ),
        ]
        return _decision(
            conditions,
            amount,
            facts,
            {
                "quarterly_subsidy_base": settings.quarterly_subsidy_base,
                "quarterly_subsidy_multiplier": settings.quarterly_subsidy_multiplier,
            },
        )


class MedicalSubsidy:
    """一次性医疗补贴: households whose reasons include serious illness; base by level + uplift."""

    code, name, name_en = "medical_subsidy", "一次性医疗补贴", "One-off medical subsidy"
    schedule, unit = Schedule.ANNUAL, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return dict(ON_FILE)

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        base = settings.medical_subsidy_base.get(facts.get("hardship_level"), ZERO)
        amount = to_fen(base * (1 + settings.medical_subsidy_uplift))
        ill = "serious_illness" in (facts.get("hardship_reasons") or [])
        conditions = [
            _on_file(facts),
            _level(facts, set(settings.medical_subsidy_base), "医疗补贴", "the medical subsidy"),
            Condition(
                ill,
                "致困原因含大病" if ill else "致困原因不含大病",
                "reasons include serious illness"
                if ill
                else "reasons do not include serious illness",
            ),
        ]
        return _decision(
            conditions,
            amount,
            facts,
            {
                "medical_subsidy_base": settings.medical_subsidy_base,
                "medical_subsidy_uplift": settings.medical_subsidy_uplift,
            },
        )


class EducationGrant:
    """助学: for each child of the household at a school level the settings fund."""

    code, name, name_en = "education_grant", "助学金", "Education grant"
    schedule, unit = Schedule.ANNUAL, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return dict(ON_FILE)

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        children = facts.get("children_school_levels") or []
        funded = [level for level in children if level in settings.education_grants]
        amount = sum((settings.education_grants[level] for level in funded), ZERO)
        conditions = [
            _on_file(facts),
            _level(facts, {"difficult", "extreme"}, "助学", "the education grant"),
            Condition(
                bool(funded),
                f"在读子女学段：{_schools(children, SCHOOL_ZH, '、', '无')}；"
                f"资助：{_schools(funded, SCHOOL_ZH, '、', '无')}",
                f"children at school: {_schools(children, SCHOOL_EN, ', ', 'none')}; "
                f"funded: {_schools(funded, SCHOOL_EN, ', ', 'none')}",
            ),
        ]
        return _decision(conditions, amount, facts, {"education_grants": settings.education_grants})


class PriceSubsidy:
    """临时价格补贴: per month for 特困 households (困难 ones too if the setting says so)."""

    code, name, name_en = "price_subsidy", "临时价格补贴", "Temporary price subsidy"
    schedule, unit = Schedule.MONTHLY, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return dict(ON_FILE)

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        levels = (
            {"extreme", "difficult"} if settings.price_subsidy_includes_difficult else {"extreme"}
        )
        conditions = [
            _on_file(facts),
            _level(facts, levels, "价格补贴", "the price subsidy"),
        ]
        return _decision(
            conditions,
            settings.price_subsidy_monthly,
            facts,
            {
                "price_subsidy_monthly": settings.price_subsidy_monthly,
                "price_subsidy_includes_difficult": settings.price_subsidy_includes_difficult,
            },
        )


class VisitCash:
    """走访慰问金: cash handed over on a visit. The amount is recorded with the visit, not
    computed, so evaluating this rule entitles nobody; visits add their entitlements, paid once
    per visit (one-off, keyed by the visit), whatever the period."""

    code, name, name_en = "visit_cash", "走访慰问金", "Visit cash"
    schedule, unit = Schedule.ONE_OFF, Unit.MEMBER

    def candidates(self, settings: HardshipSettings) -> dict:
        return {"id": 0}  # nobody: amounts come from visit records

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        return Decision(
            False, ZERO, [Condition(False, "金额由走访记录确定", "amount set by a visit record")]
        )


RULES = [
    SpringFestival(),
    QuarterlySubsidy(),
    MedicalSubsidy(),
    EducationGrant(),
    PriceSubsidy(),
    VisitCash(),
]
