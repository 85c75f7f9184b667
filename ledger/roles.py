"""Database-enforced roles on a PostgreSQL ledger (`ggzy db grant`).

- ``ggzy_auditor``: SELECT on every table and view; the only write is INSERT into reconciliation_run, so an
  auditor's own `ggzy reconcile` is recorded with their name (it changes no ledger data).
- ``ggzy_accountant``: SELECT and INSERT (and the sequences): imports, amendments, voids, closes and
  reconciliations are all appends; no UPDATE, DELETE or TRUNCATE anywhere, so a posted row cannot be changed
  even by hand. (`ggzy init`, which creates and migrates the schema, stays with the ledger's owner.)
Both are NOLOGIN group roles; a person's login role is made a member. Default privileges cover tables that
later migrations create (when the owner runs them).
"""

from __future__ import annotations

from ggzy.errors import LedgerError, UsageError
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

ROLES = {
    "auditor": ("ggzy_auditor", "SELECT", ""),
    "accountant": ("ggzy_accountant", "SELECT, INSERT", "USAGE, SELECT"),
}


def _quote(conn: Connection, name: str) -> str:
    return str(conn.exec_driver_sql("SELECT quote_ident(%s)", (name,)).scalar_one())


def grant(engine: Engine, role: str, member: str) -> str:
    """Make login role ``member`` an auditor or accountant of this ledger; returns the group role."""
    if engine.dialect.name != "postgresql":
        raise UsageError("roles are enforced by PostgreSQL; a SQLite ledger is protected by its file's permissions "
                         "(e.g. chmod 440 for auditors)")
    if role not in ROLES:
        raise UsageError(f"--role {role}: use accountant or auditor")
    group, table_privileges, sequence_privileges = ROLES[role]
    with engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": member}).first() is None:
            raise LedgerError(f"PostgreSQL has no role {member!r}; create the login first "
                              f"(CREATE ROLE {member} LOGIN PASSWORD '…'), then grant again")
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        quoted_group, quoted_member = _quote(conn, group), _quote(conn, member)
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": group}).first() is None:
            conn.exec_driver_sql(f"CREATE ROLE {quoted_group} NOLOGIN")
        conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {_quote(conn, database)} TO {quoted_group}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {quoted_group}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted_group}")
        conn.exec_driver_sql(f"GRANT {table_privileges} ON ALL TABLES IN SCHEMA public TO {quoted_group}")
        conn.exec_driver_sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {table_privileges} ON TABLES "
                             f"TO {quoted_group}")
        if sequence_privileges:
            conn.exec_driver_sql(f"GRANT {sequence_privileges} ON ALL SEQUENCES IN SCHEMA public TO {quoted_group}")
            conn.exec_driver_sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {sequence_privileges} ON "
                                 f"SEQUENCES TO {quoted_group}")
        if role == "auditor":  # their reconciliations are recorded, with their name
            conn.exec_driver_sql(f"GRANT INSERT ON reconciliation_run TO {quoted_group}")
            conn.exec_driver_sql(f"GRANT USAGE ON SEQUENCE reconciliation_run_id_seq TO {quoted_group}")
        conn.exec_driver_sql(f"GRANT {quoted_group} TO {quoted_member}")
    return group
