"""The demo data set loaded by ``flask seed-demo``: idempotent, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass

from consult.demo import content
from consult.extensions import db
from consult.models import Department, DepartmentKind, Role, User
from consult.services import accounts as account_service

# The demo accounts share a published password: demo data only, printed by seed-demo.
DEMO_PASSWORD = "CanTho-2018"  # noqa: S105
DEMO_DOMAIN = "demo.example.vn"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role
    department_code: str


DEMO_ACCOUNTS = [
    DemoAccount(f"quantri@{DEMO_DOMAIN}", "Nguyễn Văn Quản", Role.ADMIN, content.DRAFTING_BODY[0]),
    DemoAccount(f"bst@{DEMO_DOMAIN}", "Trần Thị Biên", Role.DRAFTING, content.DRAFTING_BODY[0]),
    DemoAccount(f"bst2@{DEMO_DOMAIN}", "Lê Minh Soạn", Role.DRAFTING, content.DRAFTING_BODY[0]),
    DemoAccount(f"hoithao@{DEMO_DOMAIN}", "Phạm Thu Hội", Role.ORGANIZER, content.DRAFTING_BODY[0]),
    DemoAccount(f"chuyenvien.stttt@{DEMO_DOMAIN}", "Võ Thanh Tâm", Role.REVIEWER, "STTTT"),
    DemoAccount(f"chuyenvien2.stttt@{DEMO_DOMAIN}", "Huỳnh Ngọc Lan", Role.REVIEWER, "STTTT"),
    DemoAccount(f"lanhdao.stttt@{DEMO_DOMAIN}", "Đặng Quốc Thông", Role.LEAD, "STTTT"),
    DemoAccount(f"chuyenvien.sxd@{DEMO_DOMAIN}", "Ngô Bảo Xây", Role.REVIEWER, "SXD"),
    DemoAccount(f"lanhdao.sxd@{DEMO_DOMAIN}", "Châu Văn Dựng", Role.LEAD, "SXD"),
    DemoAccount(f"chuyenvien.sgtvt@{DEMO_DOMAIN}", "Lý Thị Giao", Role.REVIEWER, "SGTVT"),
    DemoAccount(f"lanhdao.sgtvt@{DEMO_DOMAIN}", "Trương Công Vận", Role.LEAD, "SGTVT"),
    DemoAccount(f"lanhdao.snv@{DEMO_DOMAIN}", "Mai Thị Nội", Role.LEAD, "SNV"),
]


def seed_departments() -> dict[str, Department]:
    by_code: dict[str, Department] = {}
    for code, name, kind, email in [*content.DEPARTMENTS, content.DRAFTING_BODY]:
        department = Department.by_code(code)
        if department is None:
            department = account_service.upsert_department(
                code=code, name=name, kind=DepartmentKind(kind), email=email
            )
        by_code[code] = department
    by_code[content.DRAFTING_BODY[0]].is_drafting_body = True
    db.session.flush()
    return by_code


def seed_accounts(departments: dict[str, Department]) -> list[User]:
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.by_email(account.email)
        if user is None:
            user = account_service.create_user(
                email=account.email,
                full_name=account.full_name,
                role=account.role,
                password=DEMO_PASSWORD,
                department=departments[account.department_code],
                locale="vi",
            )
        users.append(user)
    return users


def seed_demo() -> list[User]:
    """Load the demo; running it again changes nothing that is already there."""
    departments = seed_departments()
    users = seed_accounts(departments)
    db.session.commit()
    return users
