"""A small, realistic demo register, loaded once by ``unionaid serve --demo``.

Seeded, so every newcomer sees the same data: all eight districts, some enterprises with valid
credit codes, a few hundred members with valid resident ID numbers, households with spouses and
children, city and district funds, the hardship program enabled in 惠山区 and 滨湖区, and one
user per role (password ``unionaid-demo``). Each program implementing ``load_demo_data`` is
enabled there too and adds its own records."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.models import (
    District,
    EmploymentStatus,
    Enterprise,
    Fund,
    Relation,
    Role,
    SchoolLevel,
)
from unionaid.core.principal import Principal
from unionaid.core.services import accounts, enterprises, funds, members, programs
from unionaid.core.timezone import today_in_shanghai

DEMO_MARKER = "DEMO-CITY"
DEMO_DISTRICTS = ("320206", "320211")  # 惠山区, 滨湖区: where the demo's programs run
ACTOR = Principal.system("demo-load", "demo")
DEMO_PASSWORD = "unionaid-demo"  # the demo's only: outside it no user has a default password
# One user per role: (username, role, districts, enterprise of 惠山区?)
DEMO_USERS = (
    ("city_admin", Role.CITY_ADMIN, (), False),
    ("huishan_admin", Role.DISTRICT_ADMIN, ("320206",), False),
    ("binhu_caseworker", Role.CASEWORKER, ("320211",), False),
    ("huishan_approver", Role.APPROVER, ("320206",), False),
    ("auditor", Role.AUDITOR, (), False),
    ("huishan_enterprise", Role.ENTERPRISE, (), True),
    ("frontend_service", Role.SERVICE, (), False),
)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
_SURNAMES += "邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红玉兰建国志海燕萍玲斌辉鹏浩宇欣怡晨阳雪梅"
)
_ENTERPRISE_WORDS = (
    "精密机械",
    "纺织",
    "电子科技",
    "物流",
    "食品",
    "新材料",
    "建设工程",
    "环保科技",
)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _uscc(district_code: str, serial: int) -> str:
    first17 = f"9132{district_code[2:]}MA{serial:07d}"[:17]
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


def _id_number(district_code: str, born: dt.date, serial: int, male: bool) -> str:
    order = (serial % 499) * 2 + (1 if male else 0)
    first17 = f"{district_code}{born:%Y%m%d}{order:03d}"
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))


async def load_demo(
    host: PluginHost,
    vault: Vault,
    members_per_district: int = 40,
    today: dt.date | None = None,
) -> bool:
    """Load the demo data unless it is there already. Returns whether it loaded anything.
    Programs implementing ``load_demo_data`` add theirs last (enabled in the demo districts)."""
    if await Fund.exists(code=DEMO_MARKER):
        return False
    rng = random.Random(20210201)
    city = await funds.create_fund(ACTOR, DEMO_MARKER, "市总工会帮扶资金", None, "两节送温暖")
    await funds.contribute(ACTOR, city.id, Decimal("1570000.00"), "2021年市总自筹")
    serial = 0
    for district in await District.all().order_by("code"):
        fund = await funds.create_fund(
            ACTOR, f"DEMO-{district.code}", f"{district.name}帮扶资金", district.code
        )
        await funds.transfer(ACTOR, city.id, fund.id, Decimal("100000.00"), "市总下拨")
        firms = []
        for i in range(5):
            serial += 1
            firms.append(
                await enterprises.create_enterprise(
                    ACTOR,
                    enterprises.NewEnterprise(
                        name=f"无锡{district.name[:2]}{rng.choice(_ENTERPRISE_WORDS)}公司{i + 1}",
                        uscc=_uscc(district.code, serial),
                        district_code=district.code,
                        is_caring=rng.random() < 0.4,
                        contact_name=_name(rng),
                    ),
                )
            )
        previous = None
        for _ in range(members_per_district):
            serial += 1
            male = rng.random() < 0.5
            born = dt.date(rng.randint(1962, 2000), rng.randint(1, 12), rng.randint(1, 28))
            status = rng.choices(list(EmploymentStatus), weights=(80, 8, 7, 5))[0]
            spouse_of = previous if previous and rng.random() < 0.15 else None
            member = await members.create_member(
                ACTOR,
                vault,
                members.NewMember(
                    name=_name(rng),
                    id_number=_id_number(district.code, born, serial, male),
                    district_code=district.code,
                    phone=f"139{rng.randint(0, 99_999_999):08d}",
                    enterprise_id=rng.choice(firms).id
                    if status == EmploymentStatus.EMPLOYED
                    else None,
                    household_id=spouse_of.household_id if spouse_of else None,
                    employment_status=status,
                    monthly_income=Decimal(rng.randint(1500, 9000)),
                ),
            )
            previous = None if spouse_of else member
            if rng.random() < 0.3:
                age = rng.randint(4, 21)
                level = (
                    SchoolLevel.KINDERGARTEN
                    if age < 6
                    else SchoolLevel.PRIMARY
                    if age < 12
                    else SchoolLevel.JUNIOR_HIGH
                    if age < 15
                    else SchoolLevel.SENIOR_HIGH
                    if age < 18
                    else SchoolLevel.VOCATIONAL
                )
                await members.add_dependent(
                    ACTOR,
                    members.NewDependent(
                        member_id=member.id,
                        name=member.name[0] + "".join(rng.choices(_GIVEN, k=2)),
                        relation=Relation.CHILD,
                        birth_date=dt.date(2021 - age, rng.randint(1, 12), rng.randint(1, 28)),
                        school_level=level,
                    ),
                )
    with_demo = [p.id for p in host.programs.values() if hasattr(p.plugin, "load_demo_data")]
    for code in DEMO_DISTRICTS:
        for program_id in sorted({"hardship", *with_demo} & set(host.programs)):
            await programs.set_enabled(host, program_id, code, True, ACTOR)
    huishan_firm = await Enterprise.filter(district_id="320206").order_by("id").first()
    for username, role, codes, enterprise in DEMO_USERS:
        await accounts.create_user(
            ACTOR,
            accounts.NewUser(
                username=username,
                role=role,
                district_codes=list(codes),
                enterprise_uscc=huishan_firm.uscc if enterprise and huishan_firm else None,
                password=DEMO_PASSWORD,
            ),
        )
    district_funds = {
        f.district_id: f.id
        for f in await Fund.filter(code__in=[f"DEMO-{c}" for c in DEMO_DISTRICTS])
    }
    for program_id in with_demo:
        await host.notify(
            program_id,
            "load_demo_data",
            actor=ACTOR,
            today=today or today_in_shanghai(),
            district_funds=district_funds,
            host=host,
        )
    return True


async def demo_tokens(now: dt.datetime, ttl: dt.timedelta = dt.timedelta(days=7)) -> list[tuple]:
    """A fresh token per demo user, to paste into GraphiQL's headers: (username, role, token)."""
    issued = []
    for username, role, _, _ in DEMO_USERS:
        token = await accounts.issue_token(ACTOR, username, ttl, now)
        issued.append((username, role.value, token.token))
    return issued
