"""What the first paper and the first name of a session would otherwise wait for — the font
files parsed and registered (~0.4 s), the pinyin dictionaries loaded (~0.45 s), the dispatch
order's modules imported — done once, off the GUI thread, as soon as a window is up."""

from __future__ import annotations

import logging
from importlib import import_module

from commandcenter.documents.fonts import font_set
from commandcenter.services import pinyin

log = logging.getLogger(__name__)


def warm_up() -> None:
    try:
        font_set()
        pinyin.name_initials("张伟")
        # The paper printed most, and the registry the panes print through.
        import_module("commandcenter.documents.dispatch_order")
        import_module("commandcenter.documents.papers")
    except Exception:
        log.warning("warm-up failed; the first paper or name will take longer", exc_info=True)
