"""The file of audit checkpoints kept beside the backups, outside any database.

Each line of the file is one JSON object: a checkpoint (where a database's audit log stood: records,
last id and its hash, when) or a restore mark (the database was put back to a backup, so its
earlier checkpoints describe a log that is, rightly, no more). The file is rewritten whole into
a temporary file and swapped in, so a crash never leaves half a line.

Every backup carries a checkpoint of its own too: ``<backup>.checkpoint.json`` beside it, where
the log stood in the copy when it was made. Whoever rewrites the live database's log must then
also find and rewrite every backup's file, on every stick it was copied to.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_NAME = "audit-checkpoints.jsonl"
BESIDE_SUFFIX = ".checkpoint.json"
KEPT_PER_DATABASE = 200  # the newest; the oldest still prove the log's beginning stayed put


@dataclass(frozen=True)
class Checkpoint:
    database: str  # the SQLite file's full path, or host:port/name of a server's database
    count: int
    last_id: int
    head_hash: str
    at: str  # ISO time
    kind: str = "checkpoint"  # or "restored": what came before no longer applies


def sqlite_key(path: Path) -> str:
    return str(path.resolve())


def read(folder: Path) -> list[Checkpoint]:
    """The entries in *folder*; a line that is not one is skipped (and so proves nothing)."""
    try:
        lines = (folder / FILE_NAME).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        try:
            found.append(Checkpoint(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return found


def standing(folder: Path, database: str) -> list[Checkpoint]:
    """The checkpoints of *database* since it was last restored from a backup."""
    mine = [entry for entry in read(folder) if entry.database == database]
    restored = max((n for n, e in enumerate(mine) if e.kind == "restored"), default=-1)
    return [e for e in mine[restored + 1 :] if e.kind == "checkpoint"]


def append(folder: Path, entry: Checkpoint) -> None:
    entries = read(folder)
    others = [e for e in entries if e.database != entry.database]
    mine = [e for e in entries if e.database == entry.database]
    mine = [*mine, entry][-KEPT_PER_DATABASE:]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / FILE_NAME
    temporary = target.with_name(FILE_NAME + ".tmp")
    lines = [json.dumps(asdict(e), ensure_ascii=False) for e in (*others, *mine)]
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(temporary, target)


def mark_restored(folder: Path, database: str, at: str) -> None:
    append(folder, Checkpoint(database, 0, 0, "", at, kind="restored"))


def beside(backup: Path) -> Path:
    """The checkpoint file that goes with *backup*."""
    return backup.with_name(backup.name + BESIDE_SUFFIX)


def of_sqlite_copy(conn: sqlite3.Connection, database: str, at: str) -> Checkpoint | None:
    """Where the audit log read through *conn* stands; None for a file with no log yet."""
    try:
        count, last_id = conn.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
        row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (last_id,)).fetchone()
    except sqlite3.OperationalError:  # no audit_log table: a file never set up
        return None
    return Checkpoint(database, int(count), int(last_id or 0), row[0] if row else "", at)


def write_beside(backup: Path, point: Checkpoint) -> Path:
    """Write *point* as *backup*'s checkpoint file, through a temporary file swapped in."""
    target = beside(backup)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(asdict(point), ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return target


def read_beside(backup: Path) -> Checkpoint | None:
    """*backup*'s checkpoint, or None when it has none (made by an older version) or it is not
    one (it then proves nothing)."""
    try:
        return Checkpoint(**json.loads(beside(backup).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def last_restored(folder: Path, database: str) -> str:
    """When *database* was last restored from a backup ('' when never): what was recorded of
    its log before then describes a log that is rightly gone."""
    marks = [e.at for e in read(folder) if e.database == database and e.kind == "restored"]
    return max(marks, default="")
