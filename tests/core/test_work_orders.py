"""Work orders imported from 12345 and 四平台 files: layouts asked once and reused, repeats left
alone, all or nothing, and each order registered like a call, on the small street."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter.db.models import (
    AuditRecord,
    Channel,
    Incident,
    IncidentStatus,
    WorkOrderLayout,
)
from commandcenter.errors import PermissionDenied, UserError, ValidationError
from commandcenter.exchange.report import ImportRejected
from commandcenter.exchange.work_orders import LayoutNeeded, as_moment, run_work_order_import
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import detail, work_orders
from tests.core.incident_world import World, local

DATA = Path(__file__).parent.parent / "data"

HEADER = "工单编号,来电时间,诉求内容,事发地址,联系人,联系电话,诉求类型,所属网格,要求办结时间"
ROWS = [
    "GD-001,2026-09-29 08:15:00,来电反映：梅山大道1号门口占道经营。希望尽快处理。,"
    "梅山街道梅山大道1号,张三,13912345678,城市管理,梅东一网格,2026/10/8 17:30",
    "GD-002,2026/9/29 9:05,七星路夜间烧烤油烟扰民,梅山街道七星路5号,李四,138****5678,环境保护,,",
    "GD-003,2026年9月30日 07时40分,峙南路渣土倾倒,,王五,,城市管理,梅东一网格,",
]
COLUMNS = {
    "number": "工单编号",
    "received_at": "来电时间",
    "content": "诉求内容",
    "address": "事发地址",
    "reporter_name": "联系人",
    "reporter_phone": "联系电话",
    "category": "诉求类型",
    "grid": "所属网格",
    "due_at": "要求办结时间",
}


def csv_file(folder: Path, rows: list[str], *, name: str = "orders.csv", bom: bool = True) -> Path:
    path = folder / name
    text = "\n".join([HEADER, *rows]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def incidents(w: World) -> list[Incident]:
    with w.db.read() as s:
        found = list(s.scalars(select(Incident).order_by(Incident.id)))
        s.expunge_all()
        return found


def test_first_import_asks_for_the_layout_then_registers_every_order(
    world: World, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, ROWS)
    with pytest.raises(LayoutNeeded) as asked:
        run_work_order_import(world.db, world.operator, Channel.HOTLINE_12345, path)
    # Every column of this file has a known name: the guess is the whole mapping.
    assert asked.value.guess == COLUMNS
    assert asked.value.header[:3] == ["工单编号", "来电时间", "诉求内容"]
    assert incidents(world) == []

    report = run_work_order_import(
        world.db, world.operator, Channel.HOTLINE_12345, path, columns=asked.value.guess
    )
    assert report.accepted and (report.created, report.unchanged, report.rows) == (3, 0, 3)
    assert any("已保存12345热线的列对应" in n for n in report.notes)
    found = incidents(world)
    assert [i.channel_ref for i in found] == ["GD-001", "GD-002", "GD-003"]
    assert {i.channel for i in found} == {Channel.HOTLINE_12345}
    assert {i.status for i in found} == {IncidentStatus.REGISTERED}  # waiting for 研判
    # The time received is the source's, in Beijing time: 08:15 local is 00:15 UTC.
    assert found[0].received_at == datetime(2026, 9, 29, 0, 15, tzinfo=UTC)
    assert found[1].received_at == datetime(2026, 9, 29, 1, 5, tzinfo=UTC)
    assert found[2].received_at == local(date(2026, 9, 30), 7, 40)
    # The title is the content's first clause without "来电反映："; the rest goes to the text.
    assert found[0].title == "梅山大道1号门口占道经营"
    assert "诉求类型：城市管理" in found[0].description
    assert "要求办结时间：2026-10-08 17:30" in found[0].description
    assert found[0].grid_id == world.grid and found[2].grid_id == world.grid
    assert found[0].reporter_phone == "13912345678"
    assert found[1].reporter_phone is None  # masked by the source: nothing to keep
    assert found[2].address is None
    with world.db.read() as s:
        shown = detail.load(s, world.operator, found[0].id)
        assert shown.reporter == "张* 139****5678"  # masked as any registration
        actions = list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    assert actions.count("incident.registered") == 3
    assert "work_order_layout.save" in actions and actions[-1] == "import.work_orders"


def test_a_repeat_is_reported_and_changes_nothing(world: World, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ROWS)
    run_work_order_import(world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS)
    before = incidents(world)
    # One order more in the next day's file; the three others are repeats.
    later = csv_file(
        tmp_path,
        [*ROWS, "GD-004,2026-09-30 09:00,梅港路违停,梅山街道梅港路3号,赵六,,城市管理,,"],
        name="next.csv",
    )
    report = run_work_order_import(world.db, world.operator2, Channel.HOTLINE_12345, later)
    assert (report.created, report.unchanged) == (1, 3)
    assert "已导入过 3 条（未作修改）" in report.summary()
    assert any(n.startswith("沿用已保存的12345热线的列对应") for n in report.notes)
    assert any("第 2 行 GD-001" in n for n in report.notes)
    after = incidents(world)
    assert [(i.id, i.version) for i in after[:3]] == [(i.id, i.version) for i in before]
    assert after[3].channel_ref == "GD-004"
    # The same number from the other source is another order.
    with world.db.write() as s:
        assert work_orders.imported_before(s, Channel.PLATFORM, ["GD-001"]) == {}


def test_duplicate_numbers_in_one_file_write_nothing(world: World, tmp_path: Path) -> None:
    path = csv_file(tmp_path, [ROWS[0], ROWS[1], ROWS[0].replace("张三", "张三丰")])
    with pytest.raises(ImportRejected) as rejected:
        run_work_order_import(
            world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS
        )
    problems = rejected.value.report.problems
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (4, "工单编号", "与第 2 行的工单编号重复。")
    ]
    assert incidents(world) == []


def test_a_date_in_the_future_and_other_bad_rows_are_all_listed(
    world: World, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        [
            ROWS[0],
            "GD-010,2026-10-02 09:00,明天才来的电话,梅山街道梅山大道2号,甲,,,,",  # future
            "GD-011,昨天上午,时间写成了文字,梅山街道梅山大道3号,乙,,,,",
            ",2026-09-29 10:00,没有工单号,梅山街道梅山大道4号,丙,,,,",
            "GD-012,2026-09-29 10:00,,梅山街道梅山大道5号,丁,,,,",
            "GD-013,2026-09-29 10:00,期限早于受理,梅山街道梅山大道6号,戊,,,,2026-09-28",
            "GD-014,2026-09-29 10:00,电话不对,梅山街道梅山大道7号,己,12ab,,,",
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        run_work_order_import(
            world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS
        )
    found = [(p.row, p.column) for p in rejected.value.report.problems]
    assert found == [
        (3, "来电时间"),
        (4, "来电时间"),
        (5, "工单编号"),
        (6, "诉求内容"),
        (7, "要求办结时间"),
        (8, "联系电话"),
    ]
    reasons = [p.reason for p in rejected.value.report.problems]
    assert reasons[0] == "受理时间不能晚于当前时间。"
    assert "时间格式不正确" in reasons[1]
    assert incidents(world) == []
    with world.db.read() as s:  # the layout chosen is kept, so the corrected file needs no dialog
        assert s.scalar(select(func.count()).select_from(WorkOrderLayout)) == 1


def test_hostile_files_are_refused_with_a_reason(world: World, tmp_path: Path) -> None:
    def refused(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UserError) as exc:
            run_work_order_import(
                world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS
            )
        return exc.value.message

    assert "既不是 UTF-8 也不是 GBK" in refused("bad.csv", b"\x80\x81\x82,\xff\xfe\xfd\n" * 3)
    utf16 = ("\n".join([HEADER, ROWS[0]])).encode("utf-16")
    assert "UTF-16" in refused("u16.csv", utf16)
    assert "不是有效的 .xlsx" in refused("fake.xlsx", b"PK not really a zip")
    assert "旧版 .xls" in refused("old.xls", b"\xd0\xcf\x11\xe0")
    # A required column missing from the file cannot be mapped.
    no_content = HEADER.replace("诉求内容", "备注")
    path = tmp_path / "missing.csv"
    path.write_text("\n".join([no_content, ROWS[0]]), encoding="utf-8")
    with pytest.raises(ValidationError, match="文件中没有“诉求内容”这一列"):
        run_work_order_import(
            world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS
        )
    with pytest.raises(LayoutNeeded, match="未能自动识别：诉求内容"):
        run_work_order_import(world.db, world.operator, Channel.HOTLINE_12345, path)
    assert incidents(world) == []


def test_mapping_problems_name_each_field() -> None:
    header = ["编号", "时间", "内容"]
    problems = work_orders.mapping_problems({"number": "编号", "received_at": "编号"}, header)
    assert [(p.field, p.message) for p in problems] == [
        ("content", "请为“诉求内容”选择文件中的一列。"),
        ("received_at", "“编号”已对应“工单编号”，一列只能对应一个字段。"),
    ]


def test_only_those_who_register_incidents_import_them(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):  # before the (missing) file is even looked at
        run_work_order_import(world.db, admin, Channel.HOTLINE_12345, tmp_path / "none.csv")


def test_the_sample_exports_import_as_they_are(world: World) -> None:
    world.clock.set(datetime(2026, 12, 5, 1, 0, tzinfo=UTC))
    with pytest.raises(LayoutNeeded) as asked:
        run_work_order_import(
            world.db, world.operator, Channel.HOTLINE_12345, DATA / "12345工单明细_样例.xlsx"
        )
    report = run_work_order_import(
        world.db,
        world.operator,
        Channel.HOTLINE_12345,
        DATA / "12345工单明细_样例.xlsx",
        columns=asked.value.guess,
    )
    assert (report.created, report.rows) == (12, 12)
    with pytest.raises(LayoutNeeded) as asked:
        run_work_order_import(
            world.db, world.operator, Channel.PLATFORM, DATA / "四平台事件_样例.csv"
        )
    assert asked.value.guess["content"] == "问题描述"
    assert "category" not in asked.value.guess  # 事件大类 / 事件小类: for the dialog to choose
    columns = {**asked.value.guess, "category": "事件小类"}
    report = run_work_order_import(
        world.db, world.operator, Channel.PLATFORM, DATA / "四平台事件_样例.csv", columns=columns
    )
    assert report.created == 12 and any("GBK" in n for n in report.notes)
    platform = [i for i in incidents(world) if i.channel is Channel.PLATFORM]
    assert len(platform) == 12 and all(i.channel_ref.startswith("SPT") for i in platform)


def test_times_as_sources_write_them() -> None:
    expected = datetime(2026, 11, 3, 1, 15, tzinfo=UTC)  # 09:15 in Beijing
    for text in (
        "2026-11-03 09:15",
        "2026/11/3 9:15:00",
        "2026年11月3日 09时15分",
        "2026.11.03 09:15",
    ):
        assert as_moment(text) == expected
    assert as_moment(datetime(2026, 11, 3, 9, 15)) == expected
    assert as_moment("2026-11-03") == datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    assert as_moment(None) is None


def test_a_tab_separated_gbk_export_reads_as_well(world: World, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    lines = [HEADER, *ROWS]
    text = "\r\n".join(line.replace(",", "\t") for line in lines)
    path.write_bytes(("12345工单导出\r\n" + text).encode("gbk"))  # a title line above
    report = run_work_order_import(
        world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS
    )
    assert report.created == 3 and "按 GBK 编码读取 CSV 文件。" in report.notes
    assert incidents(world)[0].reporter_name == "张三"


@pytest.mark.parametrize("name", ["orders.csv", "orders.xlsx"])
def test_a_file_another_program_holds_is_refused_as_locked(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = csv_file(tmp_path, ROWS, name=name)  # never parsed: opening it fails first
    real_open = Path.open

    def open_unless_locked(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_unless_locked)
    with pytest.raises(UserError, match=rf"无法打开 {name}：文件正被其他程序.*占用") as exc:
        run_work_order_import(
            world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS
        )
    assert "另存为" not in exc.value.message
    assert incidents(world) == []


def test_a_quote_never_closed_is_told_in_chinese_with_its_line(
    world: World, tmp_path: Path
) -> None:
    # The quote opened on line 3 runs every later line into one cell, past Excel's cell limit.
    rest = [f"GD-{n:03d},2026-09-29 08:15:00,占道经营,梅山大道{n}号,张三,,,," for n in range(800)]
    path = csv_file(tmp_path, [ROWS[0], '"GD-002,2026-09-29 09:05:00,油烟', *rest])
    with pytest.raises(UserError) as exc:
        run_work_order_import(
            world.db, world.operator, Channel.HOTLINE_12345, path, columns=COLUMNS
        )
    assert "orders.csv 第 " in exc.value.message
    assert "引号没有成对" in exc.value.message
    assert "field" not in exc.value.message  # Python's English words stay out
    assert incidents(world) == []
