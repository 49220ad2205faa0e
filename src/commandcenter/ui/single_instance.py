"""One window per database on a PC: starting the app again brings the running window forward.

A QLocalServer named after the database (its resolved path, or the server URL without the
password) answers a second start, which then exits. Two databases may be open side by side, the
demo beside the real one for example.
"""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAIT_MS = 500


def server_name(database: str) -> str:
    """Per user and per database; short enough for every platform's socket names."""
    digest = hashlib.sha256(f"{getpass.getuser()}|{database}".encode()).hexdigest()[:16]
    return f"commandcenter-{digest}"


class SingleInstance(QObject):
    activated = Signal()  # another start asked this one to come forward

    def __init__(self, database: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(database)
        self.server: QLocalServer | None = None

    def hand_over(self) -> bool:
        """True when another instance runs (and was told to come forward): this one exits."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(WAIT_MS):
            return False
        socket.write(b"show\n")
        socket.waitForBytesWritten(WAIT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> None:
        # A server left behind by a crash would refuse the name: nobody answered, so remove it.
        QLocalServer.removeServer(self.name)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._knock)
        self.server.listen(self.name)

    def _knock(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.disconnected.connect(socket.deleteLater)
            self.activated.emit()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
