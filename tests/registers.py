"""Small registers in the reference column format (what ../shared/data/gen_data.py writes), made
here so the suite never needs ../shared."""

from __future__ import annotations

import csv
import datetime as dt
import io

from tests.factories import id_number, uscc

DISTRICTS = "id,code,name,kind\n1,320206,惠山区,district\n2,320211,滨湖区,district\n"
ENTERPRISE_HEADER = ["id", "name", "uscc", "district_id", "industry", "district_code"]
MEMBER_HEADER = [
    "id",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "district_id",
    "enterprise_id",
    "is_union_member",
    "employment_status",
    "monthly_income",
    "household_size",
    "hardship_level",
    "model_worker_level",
    "district_code",
    "enterprise_uscc",
]
STUDENT_HEADER = [
    "id",
    "member_id",
    "name",
    "gender",
    "birth_date",
    "school_level",
    "member_id_number",
]


def to_csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def member_row(n: int, district: str = "320206", firm: str = "", **changes: object) -> list[object]:
    born = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    number = id_number(born, male=n % 2 == 0)
    row = {
        "id": n,
        "name": f"会员{n}",
        "id_number": number,
        "gender": "M" if n % 2 == 0 else "F",
        "birth_date": born.isoformat(),
        "phone": f"139{n:08d}",
        "district_id": 1,
        "enterprise_id": "",
        "is_union_member": "t",
        "employment_status": "employed",
        "monthly_income": "4500.00",
        "household_size": 3,
        "hardship_level": "none",
        "model_worker_level": "none",
        "district_code": district,
        "enterprise_uscc": firm,
    }
    row.update(changes)
    return [row[c] for c in MEMBER_HEADER]


def enterprises(count: int = 2, district: str = "320206") -> tuple[bytes, list[str]]:
    codes = [uscc() for _ in range(count)]
    rows = [[i + 1, f"无锡企业{i}", c, 1, "纺织", district] for i, c in enumerate(codes)]
    return to_csv(ENTERPRISE_HEADER, rows), codes
