"""Made-up work-order exports of the demo street, in the two layouts the sources use: a 12345
workbook (a title line above its header) and a 基层治理四平台 CSV in GBK with its own column
names. A newcomer imports one to see the first-import mapping, then again to see the repeats."""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from commandcenter import timeutil
from commandcenter.demo import data
from commandcenter.enums import Channel
from commandcenter.fileio import atomic_path
from commandcenter.xlsx_write import Table, save_workbook

HEADERS_12345 = (
    "序号",
    "工单编号",
    "来电时间",
    "诉求类型",
    "诉求内容",
    "事发地址",
    "联系人",
    "联系电话",
    "承办单位",
    "要求办结时间",
    "工单状态",
)
HEADERS_PLATFORM = (
    "事件编号",
    "上报时间",
    "事件来源",
    "事件大类",
    "事件小类",
    "问题描述",
    "发生地址",
    "所属网格",
    "上报人",
    "上报人电话",
    "处置时限",
)
_KINDS = {
    "ZF-001": ("城市管理", "占道经营"),
    "ZF-003": ("城市管理", "渣土倾倒"),
    "ZF-005": ("城乡建设", "违法建设"),
    "ZF-007": ("环境保护", "油烟扰民"),
    "ZF-009": ("城市管理", "违章停车"),
    "HB-303": ("环境保护", "噪声扰民"),
    "SJ-103": ("市场监管", "食品安全"),
    "YJ-402": ("安全生产", "消防通道"),
}
_ASKS = (
    "希望尽快处理。",
    "影响周边居民生活，请相关部门核实处理。",
    "已反映多次，要求尽快解决。",
)


def _orders(count: int, seed: int, until: datetime) -> list[dict[str, object]]:
    rng = random.Random(seed)
    orders = []
    for _ in range(count):
        code = rng.choice(list(_KINDS))
        road = rng.choice(data.ROADS)
        community = rng.choice(data.COMMUNITIES)
        door = rng.randint(1, 300)
        title = rng.choice(data.ITEM_TITLES[code]).format(road=road, community=community, n=door)
        received = until - timedelta(minutes=rng.randint(30, 3 * 24 * 60))
        received = received.replace(second=rng.randint(0, 59), microsecond=0)
        orders.append(
            {
                "code": code,
                "title": title,
                "ask": rng.choice(_ASKS),
                "address": f"{data.STREET}{road}{door}号",
                # Every community of the demo street has at least three grids.
                "grid": f"{community}第{rng.randint(1, 3)}网格",
                "name": rng.choice(data.SURNAMES) + rng.choice(data.GIVEN),
                "phone": "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9)),
                "received": received,
                "digits": rng.randint(10**7, 10**8 - 1),
            }
        )
    return sorted(orders, key=lambda o: o["received"])  # type: ignore[arg-type, return-value]


def _local(moment: object) -> str:
    assert isinstance(moment, datetime)
    return timeutil.to_local(moment).strftime("%Y-%m-%d %H:%M:%S")


def _due(moment: object, days: int) -> str:
    assert isinstance(moment, datetime)
    day = timeutil.local_date(moment) + timedelta(days=days)
    return timeutil.to_local(timeutil.local_datetime(day, time(17, 30))).strftime("%Y-%m-%d %H:%M")


def write_sample(
    source: Channel, path: Path, *, count: int = 12, seed: int = 2026, until: datetime | None = None
) -> Path:
    """A sample export of *count* orders received in the three days before *until* (now)."""
    until = until or timeutil.now()
    orders = _orders(count, seed, until)
    path = Path(path)
    if source is Channel.HOTLINE_12345:
        first = timeutil.local_date(until) - timedelta(days=3)
        rows = [
            [
                n,
                f"12345-{timeutil.local_date(o['received']).year}{o['digits']}",  # type: ignore[arg-type]
                _local(o["received"]),
                _KINDS[str(o["code"])][0],
                f"来电人反映：{o['title']}。{o['ask']}",
                o["address"],
                o["name"],
                o["phone"],
                f"{data.STREET}办事处",
                _due(o["received"], 5),
                "已派发",
            ]
            for n, o in enumerate(orders, start=1)
        ]
        title = f"{data.STREET}12345工单明细（{first:%Y-%m-%d} 至 {timeutil.local_date(until):%Y-%m-%d}）"
        table = Table(
            "工单明细",
            HEADERS_12345,
            rows,
            widths=(6, 22, 20, 12, 50, 30, 10, 14, 18, 18, 10),
            title=title,
            text_columns=("工单编号", "联系电话"),
        )
        return save_workbook(path, [table])
    if source is Channel.PLATFORM:
        with atomic_path(path) as tmp, tmp.open("w", encoding="gbk", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS_PLATFORM)
            for o in orders:
                big, small = _KINDS[str(o["code"])]
                day: date = timeutil.local_date(o["received"])  # type: ignore[arg-type]
                writer.writerow(
                    [
                        f"SPT{day:%Y%m%d}{int(str(o['digits'])) % 100000:05d}",
                        _local(o["received"]),
                        "网格员上报",
                        big,
                        small,
                        f"网格员巡查发现：{o['title']}，现场拍照取证，请相关单位处置。",
                        o["address"],
                        o["grid"],
                        o["name"],
                        o["phone"],
                        _due(o["received"], 3),
                    ]
                )
        return path
    raise ValueError(f"no sample layout for {source}")
