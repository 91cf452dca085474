"""The archive's tables and views, derived from the workbook schema (`clubtool.schema`):
one table per sheet, one readable view per sheet. Documented in docs/archive.md."""

from __future__ import annotations

from .. import schema as S
from ..analysis import CLUB_KINDS, COMMUNE_KINDS

SCHEMA_VERSION = 2
APPLICATION = "clubtool"

_SQL_TYPES = {S.Kind.INTEGER: "INTEGER", S.Kind.YEAR: "INTEGER", S.Kind.NUMBER: "REAL",
              S.Kind.FLAG: "INTEGER", S.Kind.DATE: "TEXT"}

#: Record tables: name → sheet (the club's information sheet is `clubs`, the commune's
#: `communes`; every other sheet under its schema key).
RECORD_TABLES: dict[str, S.Sheet] = {**CLUB_KINDS, **COMMUNE_KINDS}
CLUB_TABLES = tuple(CLUB_KINDS)
COMMUNE_TABLES = tuple(COMMUNE_KINDS)

BASE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    kind TEXT,
    province TEXT,
    commune TEXT,
    club_id TEXT,
    year INTEGER,
    valid INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    issues TEXT NOT NULL,
    saved_at TEXT,
    added_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    replaced_by INTEGER REFERENCES files(id),
    replaced_at TEXT,
    UNIQUE (path, sha256)
);
CREATE INDEX files_current ON files (kind, year, province, commune, club_id)
    WHERE replaced_by IS NULL;
CREATE TABLE club_figures (
    file_id INTEGER PRIMARY KEY REFERENCES files(id),
    club_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    figures TEXT NOT NULL
);
CREATE TABLE loaded (
    file_id INTEGER PRIMARY KEY REFERENCES files(id),
    data BLOB NOT NULL
);
CREATE TABLE cache (
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    code TEXT NOT NULL,
    reading TEXT NOT NULL,
    data BLOB NOT NULL,
    used_at TEXT NOT NULL,
    PRIMARY KEY (sha256, path, code, reading)
);
CREATE TABLE stats (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    inode INTEGER,
    ctime_ns INTEGER
);
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def record_columns(table: str) -> list[str]:
    """The columns of a record table after `file_id` (and `row` for a table sheet)."""
    return [f.key for f in RECORD_TABLES[table].fields]


def is_table_sheet(table: str) -> bool:
    return RECORD_TABLES[table].layout is S.Layout.TABLE


def record_ddl() -> str:
    """CREATE TABLE and CREATE VIEW for every sheet of both workbooks."""
    out = []
    for table, sheet in RECORD_TABLES.items():
        cols = ["file_id INTEGER NOT NULL REFERENCES files(id)"]
        if is_table_sheet(table):
            cols.append("row INTEGER")
        cols += [f"{f.key} {_SQL_TYPES.get(f.kind, 'TEXT')}" for f in sheet.fields]
        out.append(f"CREATE TABLE {table} (\n    " + ",\n    ".join(cols) + "\n);")
        out.append(f"CREATE INDEX {table}_file ON {table} (file_id);")
        readable = ["f.path AS " + _quote("Tệp"),
                    "f.year AS " + _quote(S.CLUB_INFO.field("year").header)]
        if table in CLUB_TABLES:
            readable.append("f.club_id AS " + _quote(S.CLUB_INFO.field("club_id").header))
        readable.append("f.commune AS " + _quote(S.CLUB_INFO.field("commune").header))
        if is_table_sheet(table):
            readable.append("r.row AS " + _quote("Dòng"))
        readable += [f"r.{f.key} AS {_quote(f.header)}" for f in sheet.fields
                     if f.key not in ("commune", "province", "club_id", "year")
                     or is_table_sheet(table)]
        out.append(f"CREATE VIEW v_{table} AS SELECT " + ", ".join(readable)
                   + f" FROM {table} r JOIN files f ON f.id = r.file_id"
                   + " WHERE f.replaced_by IS NULL;")
    return "\n".join(out)


def full_ddl() -> str:
    return BASE + record_ddl()


#: version → SQL that takes an archive of version − 1 to it (run in one transaction after a
#: backup copy).
MIGRATIONS: dict[int, str] = {
    # a file is known unchanged by its inode and ctime too (rows of version 1: hashed again)
    2: "ALTER TABLE stats ADD COLUMN inode INTEGER; ALTER TABLE stats ADD COLUMN ctime_ns INTEGER",
}
