"""The incident search index on SQLite: FTS5 over overlapping character pairs.

Chinese has no spaces and most search words are two characters (占道, 噪音), too short for FTS5's
trigram tokenizer to use its index. So each run of letters and digits in an incident's number,
title, address and channel reference is stored as its overlapping pairs plus its last character
("占道经营" → 占道 道经 经营 营). A word is then found exactly as ``LIKE '%word%'`` would find it:

* two or more characters: the phrase of its pairs, which must be adjacent tokens, so within one
  run of one field;
* one character: the tokens starting with it (its pairs, or a run's last character).

Words with punctuation are matched by their runs through the index and then checked with LIKE.
The rows are kept by triggers (migration 0006) calling :func:`pairs`, which every connection of
ours registers as ``cc_search_pairs``; the table's rowid is the incident's id.
"""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy import column, table

FUNCTION = "cc_search_pairs"
TABLE = "incident_search"
# Every table whose name starts with this is the index or one of FTS5's own shadow tables.
TABLE_PREFIX = TABLE

_RUN = re.compile(r"[^\W_]+")  # letters and digits, as FTS5's unicode61 tokenizer sees them

# rowid is the incident's id; the column named after the table is FTS5's hidden one for MATCH.
incident_search = table(TABLE, column("rowid"), column("body"), column(TABLE))


def _runs(text: str | None) -> list[str]:
    return _RUN.findall((text or "").lower())


def pairs(text: str | None) -> str:
    """The tokens stored for *text*, separated by spaces."""
    tokens: list[str] = []
    for run in _runs(text):
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        tokens.append(run[-1])
    return " ".join(tokens)


def match_query(word: str) -> str | None:
    """The FTS5 query finding *word* as a substring, or None when it has no letter or digit."""
    phrases = []
    for run in _runs(word):
        if len(run) == 1:
            phrases.append(f'"{run}"*')
        else:
            phrases.append('"' + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + '"')
    return " AND ".join(phrases) or None


def is_exact(word: str) -> bool:
    """Whether the index alone finds *word* exactly (it is one run of letters and digits)."""
    return _RUN.fullmatch(word.lower()) is not None


def register(connection: sqlite3.Connection) -> None:
    connection.create_function(FUNCTION, 1, pairs, deterministic=True)
