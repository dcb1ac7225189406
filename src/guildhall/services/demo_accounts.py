"""One demo account for each role, with a password generated for this run only.

The member's account is linked to a performer who holds credits in the demo's data set,
so their "what this offer means for me" page has figures. The passwords are made fresh
each time (the demo's store is remade each run) and are never written to a file.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from guildhall.costing.data.schema import DataSet
from guildhall.services import accounts


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    member_id: str | None


def first_performer_with_credits(data_dir: Path) -> int | None:
    import pyarrow.parquet as pq

    path = DataSet(data_dir).path("credits")
    if not path.exists():
        return None
    column = pq.read_table(path, columns=["performer_id"]).column("performer_id")
    ids = sorted({int(v.as_py()) for v in column if v.as_py() is not None and v.as_py() >= 1})
    return ids[0] if ids else None


def add_demo_accounts(database_url: str, data_dir: Path) -> list[DemoAccount]:
    performer = first_performer_with_credits(data_dir)
    made = []
    for role in accounts.ROLES:
        member_id = str(performer) if role == "member" and performer is not None else None
        email = f"{role.replace('_', '-')}@demo.guildhall.test"
        password = secrets.token_urlsafe(12)
        accounts.add_user(
            database_url,
            email,
            role,
            name=f"Demo {accounts.ROLE_NAMES[role].lower()}",
            member_id=member_id,
            password=password,
        )
        made.append(DemoAccount(role, email, password, member_id))
    return made
