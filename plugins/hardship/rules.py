"""The hardship program's benefit rules. Every figure is a setting (``settings.py``); the city's
defaults are the 2021 standards, districts override them. Each rule explains itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from unionaid.core import Condition, Decision, Schedule, Unit
from unionaid.plugins.hardship.settings import HardshipSettings

ZERO = Decimal("0.00")
LEVEL_ZH = {"difficult": "困难", "extreme": "特困", "none": "无", None: "无"}


def _on_file(facts: dict) -> Condition:
    active = facts.get("hardship_status") == "active"
    return Condition(
        active,
        "困难职工档案有效" if active else "无有效困难职工档案",
        "active hardship file" if active else "no active hardship file",
    )


def _level(facts: dict, levels: list[str] | set[str], what: str) -> Condition:
    level = facts.get("hardship_level")
    ok = level in levels
    wanted = "、".join(LEVEL_ZH[x] for x in sorted(levels)) or "无"
    return Condition(
        ok,
        f"困难等级 {LEVEL_ZH.get(level, level)}（{what}须为 {wanted}）",
        f"hardship level {level} ({what} needs {', '.join(sorted(levels)) or 'none'})",
    )


def _decision(
    conditions: list[Condition], amount: Decimal, facts: dict, settings: dict
) -> Decision:
    eligible = all(c.passed for c in conditions)
    keep = (
        "hardship_level",
        "hardship_reasons",
        "model_worker_level",
        "model_worker_in_difficulty",
        "children_school_levels",
        "monthly_income",
        "household_size",
    )
    return Decision(
        eligible,
        amount if eligible else ZERO,
        conditions,
        {k: facts.get(k) for k in keep},
        settings,
    )


class SpringFestival:
    """两节送温暖慰问金: per household, for the levels the settings name and model workers in
    difficulty."""

    code, name, name_en = "spring_festival", "春节送温暖慰问金", "Spring Festival condolence"
    schedule, unit, festival = Schedule.FESTIVAL, Unit.HOUSEHOLD, "spring-festival"

    def candidates(self, settings: HardshipSettings) -> dict:
        return {"hardship_profile__status": "active"}

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        levels = set(settings.spring_festival_levels)
        by_level = facts.get("hardship_level") in levels
        by_title = settings.spring_festival_model_workers_in_difficulty and bool(
            facts.get("model_worker_in_difficulty")
        )
        titles = settings.spring_festival_model_workers_in_difficulty
        level = facts.get("hardship_level")
        zh = "、".join(LEVEL_ZH[x] for x in sorted(levels)) + ("、困难劳模" if titles else "")
        en = ", ".join(sorted(levels)) + (", model workers in difficulty" if titles else "")
        conditions = [
            _on_file(facts),
            Condition(
                by_level or by_title,
                f"困难等级 {LEVEL_ZH.get(level)}，困难劳模：{'是' if by_title else '否'}"
                f"（可领：{zh}）",
                f"level {level}, model worker in difficulty: {by_title} (qualifying: {en})",
            ),
        ]
        return _decision(
            conditions,
            settings.spring_festival_amount,
            facts,
            {
                "spring_festival_amount": settings.spring_festival_amount,
                "spring_festival_levels": sorted(levels),
            },
        )


class QuarterlySubsidy:
    """每季度生活补贴: base by level × multiplier (the 2021 standard was doubled)."""

    code, name, name_en = "quarterly_subsidy", "季度生活补贴", "Quarterly living subsidy"
    schedule, unit = Schedule.QUARTERLY, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return {
            "hardship_profile__status": "active",
            "hardship_profile__level__in": list(settings.quarterly_subsidy_base),
        }

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        base = settings.quarterly_subsidy_base.get(facts.get("hardship_level"), ZERO)
        amount = (base * settings.quarterly_subsidy_multiplier).quantize(Decimal("0.01"))
        conditions = [
            _on_file(facts),
            _level(facts, set(settings.quarterly_subsidy_base), "季度补贴"),
        ]
        return _decision(
            conditions,
            amount,
            facts,
            {"base": base, "multiplier": settings.quarterly_subsidy_multiplier},
        )


class MedicalSubsidy:
    """一次性医疗补贴: households whose reasons include serious illness; base by level + uplift."""

    code, name, name_en = "medical_subsidy", "一次性医疗补贴", "One-off medical subsidy"
    schedule, unit = Schedule.ANNUAL, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return {"hardship_profile__status": "active"}

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        base = settings.medical_subsidy_base.get(facts.get("hardship_level"), ZERO)
        amount = (base * (1 + settings.medical_subsidy_uplift)).quantize(Decimal("0.01"))
        ill = "serious_illness" in (facts.get("hardship_reasons") or [])
        conditions = [
            _on_file(facts),
            _level(facts, set(settings.medical_subsidy_base), "医疗补贴"),
            Condition(
                ill,
                "致困原因含大病" if ill else "致困原因不含大病",
                "reasons include serious illness"
                if ill
                else "reasons do not include serious illness",
            ),
        ]
        return _decision(
            conditions, amount, facts, {"base": base, "uplift": settings.medical_subsidy_uplift}
        )


class EducationGrant:
    """助学: for each child of the household at a school level the settings fund."""

    code, name, name_en = "education_grant", "助学金", "Education grant"
    schedule, unit = Schedule.ANNUAL, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return {"hardship_profile__status": "active"}

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        children = facts.get("children_school_levels") or []
        funded = [level for level in children if level in settings.education_grants]
        amount = sum((settings.education_grants[level] for level in funded), ZERO)
        conditions = [
            _on_file(facts),
            _level(facts, {"difficult", "extreme"}, "助学"),
            Condition(
                bool(funded),
                f"在读子女学段：{'、'.join(children) or '无'}；资助：{'、'.join(funded) or '无'}",
                f"children at school: {', '.join(children) or 'none'}; "
                f"funded: {', '.join(funded) or 'none'}",
            ),
        ]
        return _decision(
            conditions,
            amount,
            facts,
            {"education_grants": {k: settings.education_grants[k] for k in funded}},
        )


class PriceSubsidy:
    """临时价格补贴: per month for 特困 households (困难 ones too if the setting says so)."""

    code, name, name_en = "price_subsidy", "临时价格补贴", "Temporary price subsidy"
    schedule, unit = Schedule.MONTHLY, Unit.HOUSEHOLD

    def candidates(self, settings: HardshipSettings) -> dict:
        return {"hardship_profile__status": "active"}

    def evaluate(self, facts: dict, settings: HardshipSettings, on: dt.date) -> Decision:
        levels = (
            {"extreme", "difficult"} if settings.price_subsidy_includes_difficult else {"extreme"}
        )
        conditions = [_on_file(facts), _level(facts, levels, "价格补贴")]
        return _decision(
            conditions,
            settings.price_subsidy_monthly,
            facts,
            {"price_subsidy_monthly": settings.price_subsidy_monthly},
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
