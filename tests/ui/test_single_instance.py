"""A second start on the same database hands over to the running one; another database opens."""

from __future__ import annotations

import uuid

from pytestqt.qtbot import QtBot

from commandcenter.ui.single_instance import SingleInstance, server_name


def test_a_second_start_brings_the_first_forward(qtbot: QtBot) -> None:
    database = f"/tmp/cc-{uuid.uuid4().hex}.db"  # a name no other test or app uses
    first = SingleInstance(database)
    assert not first.hand_over()  # nobody runs yet
    first.listen()
    try:
        with qtbot.waitSignal(first.activated, timeout=5000):
            assert SingleInstance(database).hand_over()
        assert not SingleInstance(database + "-other").hand_over()
        assert server_name(database) != server_name(database + "-other")
    finally:
        first.close()
    # After the first closes (or crashes), the next start runs by itself.
    assert not SingleInstance(database).hand_over()
