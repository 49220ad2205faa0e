"""The 月通报 and 季汇总 as papers: 期号, and the 报送 / 抄送 lines set in 系统设置."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from commandcenter.db.engine import Database
from commandcenter.db.models import Role
from commandcenter.documents import bulletin
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import bulletin_settings
from commandcenter.services.actor import Actor
from commandcenter.services.auth import actor_for
from commandcenter.services.bulletin_settings import Recipients

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def test_recipients_are_kept_as_one_line_each_by_an_administrator(
    db: Database, admin: Actor
) -> None:
    leader = Actor(None, "leader", "领导", Role.LEADER)
    with db.read() as s:
        assert bulletin_settings.load(s) == Recipients(
            bulletin_settings.DEFAULT_SUBMIT_TO, bulletin_settings.DEFAULT_COPY_TO
        )
    with db.write() as s:
        saved = bulletin_settings.save(
            s, admin, Recipients(" 街道党工委\n办事处 ", "各村（社区）。")
        )
    assert saved == Recipients("街道党工委、办事处", "各村（社区）")
    with db.read() as s:
        assert bulletin_settings.load(s) == saved
    with pytest.raises(ValidationError, match="抄送单位不能超过 200 个字"), db.write() as s:
        bulletin_settings.save(s, admin, Recipients("", "单位" * 101))
    with pytest.raises(PermissionDenied), db.write() as s:
        bulletin_settings.save(s, leader, saved)  # settings are the administrator's


@needs_poppler
def test_the_bulletin_carries_its_issue_and_its_distribution(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        monthly = _text(bulletin.print_monthly(s, leader, 2026, 10, tmp_path / "m.pdf"))
        quarterly = _text(bulletin.print_quarterly(s, leader, 2026, 3, tmp_path / "q.pdf"))
    assert "综合行政执法工作月通报2026年第10期（2026年10月）" in monthly
    assert "综合行政执法工作季汇总2026年第3期" in quarterly
    for text in (monthly, quarterly):
        assert f"报送：{bulletin_settings.DEFAULT_SUBMIT_TO}。" in text
        assert f"抄送：{bulletin_settings.DEFAULT_COPY_TO}。" in text
    # A blank line is left off the paper.
    with demo_db.write() as s:
        bulletin_settings.save(s, actor_for(s, "admin"), Recipients("区综合行政执法局", ""))
    with demo_db.read() as s:
        changed = _text(bulletin.print_monthly(s, leader, 2026, 10, tmp_path / "m2.pdf"))
    assert "报送：区综合行政执法局。" in changed and "抄送" not in changed
