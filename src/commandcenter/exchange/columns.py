"""A spreadsheet column as the importers read it and the templates write it: its own module, so
that what describes a table (exchange/tables.py) loads without the workbook reader (openpyxl)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""  # shown as a comment on the template's header
    choices: tuple[str, ...] = ()  # offered as a drop-down in the template
    text: bool = False  # keep as text in the template (ID and phone numbers)
    width: int = 14

    def names(self) -> set[str]:
        return {header_key(n) for n in (self.header, *self.aliases)}


def header_key(text: str) -> str:
    """'身份证号码（必填）*' and ' 身份证号码 ' compare equal."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    return re.sub(r"[\s*:：]", "", text)
