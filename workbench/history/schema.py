"""The store's tables, derived from the Ledger's schemas (one definition: `model.schemas`).

Each canonical table is stored with the snapshot it belongs to, the project's identity across
snapshots (``project_key``) and where the row was read (``sheet``, ``excel_row``). Raising
``SCHEMA_VERSION`` means a store written before is refused with a message, never misread.
"""

from __future__ import annotations

from workbench.core.vocabulary import TABLE_NAMES
from workbench.model.ledger import declared_dtypes

#: The version of the store's layout; kept in ``meta`` and checked on every open.
SCHEMA_VERSION = 2

#: Additive upgrades of an older store, by its version (run once, in one transaction, on open).
#: 1 → 2: the projects table gains the expert rating (GMPP's delivery confidence assessment).
MIGRATIONS: dict[str, list[str]] = {
    "1": ['ALTER TABLE projects ADD COLUMN IF NOT EXISTS "expert_rating" VARCHAR'],
}

_SQL_TYPES = {"str": "VARCHAR", "float64": "DOUBLE", "bool": "BOOLEAN"}

#: Columns every stored row carries besides its table's own.
KEY_COLUMNS = ("snapshot_id", "project_key")
PROVENANCE_COLUMNS = ("sheet", "excel_row")

SNAPSHOT_COLUMNS = ("snapshot_id", "as_of", "source", "file", "content_hash", "added_at", "year",
                    "projects", "reported_on", "ledger_source")


def sql_type(dtype: str) -> str:
    """The DuckDB type of a declared pandas dtype (dates are TIMESTAMP)."""
    return _SQL_TYPES.get(dtype, "TIMESTAMP")


def table_ddl(table: str) -> str:
    """CREATE TABLE of a canonical table in the store."""
    columns = ["snapshot_id INTEGER NOT NULL", "project_key VARCHAR NOT NULL"]
    columns += [f'"{name}" {sql_type(dtype)}' for name, dtype in declared_dtypes(table).items()]
    columns += ["sheet VARCHAR", "excel_row BIGINT", "position BIGINT NOT NULL"]
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(columns)})"


def all_ddl() -> list[str]:
    """Every statement that creates an empty store (run in one transaction)."""
    return [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        "CREATE TABLE IF NOT EXISTS snapshots (snapshot_id INTEGER PRIMARY KEY, as_of DATE NOT NULL, "
        "source VARCHAR, file VARCHAR, content_hash VARCHAR, added_at TIMESTAMP, year INTEGER, "
        "projects INTEGER, reported_on DATE, ledger_source VARCHAR)",
        # a new project compared with a vanished one: linked as a rename, or left for a person
        "CREATE TABLE IF NOT EXISTS links (snapshot_id INTEGER NOT NULL, project_id VARCHAR, "
        "name VARCHAR, project_key VARCHAR, candidate_id VARCHAR, candidate_name VARCHAR, "
        "similarity DOUBLE, decision VARCHAR)",
        *[table_ddl(t) for t in TABLE_NAMES],
    ]
