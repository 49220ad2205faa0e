"""Named crash points inside multi-step operations, so the fault tests can stop the process at
the worst moment and show that the operation is then there whole or not at all.

A crash point does nothing unless COMMANDCENTER_CRASH_AT names it; then the process ends on the
spot, as a power cut or a killed process would: no cleanup, no rollback, no flushing.
"""

from __future__ import annotations

import os

CRASH_ENV = "COMMANDCENTER_CRASH_AT"
CRASH_EXIT_CODE = 86


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os._exit(CRASH_EXIT_CODE)
