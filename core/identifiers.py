"""National identifiers: resident ID numbers (GB 11643-1999, provinces of GB/T 2260), credit codes
(GB 32100-2015), phones.

Checks are strict on purpose: full-width digits, a lowercase ``x`` and surrounding spaces are
refused rather than silently repaired, so what is stored is exactly what the document says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # indexed by weighted sum mod 11
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}", re.ASCII)

_PHONE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)

# GB/T 2260: the first two digits of a resident ID number name its province-level division.
PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65", "71", "81", "82"}
)

# GB 32100-2015, table 1 (登记管理部门代码 and 机构类别代码), with the later codes A (中央军委改革和
# 编制办公室) and N (农业农村): the registration authority (1st character) and the kinds of
# organisation (2nd character) each may register.
USCC_KINDS = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}


@dataclass(frozen=True, slots=True)
class ResidentId:
    number: str
    birth_date: dt.date
    gender: str  # "male" | "female": the 17th digit is odd for men

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def parse_id_number(value: str) -> ResidentId | None:
    """The parsed ID, or None when it is not a valid 18-character resident ID number."""
    if not isinstance(value, str) or not _ID_SHAPE.fullmatch(value):
        return None
    if value[:2] not in PROVINCES:
        return None
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return None
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    return ResidentId(value, born, "male" if int(value[16]) % 2 else "female")


def mask_id_number(value: str) -> str:
    """First 3 + 11 stars + last 4, e.g. ``320***********1234``."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """First 3 + last 4 digits: 139****1234."""
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def is_valid_uscc(value: str) -> bool:
    """GB 32100-2015: 18 characters from the 31-character alphabet, a registration authority and
    kind of organisation from its table 1, and a MOD 31 check character."""
    if not isinstance(value, str) or not _USCC_SHAPE.fullmatch(value):
        return False
    if value[1] not in USCC_KINDS.get(value[0], ""):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == value[17]


def is_valid_phone(value: str) -> bool:
    """A mainland mobile number: 11 ASCII digits starting 13-19."""
    return isinstance(value, str) and bool(_PHONE.fullmatch(value))


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
