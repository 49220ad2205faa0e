"""Work-order commands: import 12345 / 四平台 exports, export 办结回复, write a sample export."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from commandcenter.cli import _open_existing, _say, _sign_in
from commandcenter.errors import UserError
from commandcenter.paths import AppPaths

USER_HELP = "以哪个用户的身份操作（密码取自 COMMANDCENTER_PASSWORD，或在终端输入）"
SOURCE_HELP = "工单来源：12345 或 四平台"


def add_parsers(sub: Any) -> None:
    imp = sub.add_parser(
        "import-work-orders",
        help="导入 12345 或 四平台 导出的工单（.xlsx 或 CSV），每张工单登记为一件待研判的事件",
    )
    imp.add_argument("file", type=Path, help=".xlsx 或 .csv 文件（CSV 可为 UTF-8 或 GBK 编码）")
    imp.add_argument("--source", required=True, help=SOURCE_HELP)
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="字段=列名",
        help="首次导入某种格式时指定列对应，如 --map 工单编号=事件编号（可多次）；"
        "未指定的字段按列名自动识别，确定后保存，以后同样格式的文件自动沿用",
    )
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--report", type=Path, metavar="FILE.xlsx", help="把问题清单另存为 Excel")
    imp.add_argument("--user", required=True, help=USER_HELP)

    exp = sub.add_parser(
        "export-replies", help="按来源系统的回复格式导出某期间办结工单的办结回复（.xlsx 或 .csv）"
    )
    exp.add_argument("file", type=Path, help=".xlsx 或 .csv 文件")
    exp.add_argument("--source", required=True, help=SOURCE_HELP)
    exp.add_argument(
        "--from", dest="first", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD"
    )
    exp.add_argument(
        "--to", dest="last", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD"
    )
    exp.add_argument("--user", required=True, help=USER_HELP)

    sample = sub.add_parser(
        "work-order-sample", help="生成一份演示街道的工单导出样例，用来试用工单导入"
    )
    sample.add_argument("file", type=Path, help="12345 为 .xlsx，四平台 为 GBK 编码的 .csv")
    sample.add_argument("--source", required=True, help=SOURCE_HELP)
    sample.add_argument("--count", type=int, default=12, help="工单数（默认 12）")
    sample.add_argument("--seed", type=int, default=2026, help="随机种子")


def _columns(pairs: list[str], header: list[str], guess: dict[str, str]) -> dict[str, str]:
    from commandcenter.services.incidents.work_orders import FIELDS

    by_label = {f.label: f.key for f in FIELDS} | {f.key: f.key for f in FIELDS}
    columns = dict(guess)
    for pair in pairs:
        label, sep, column = pair.partition("=")
        key = by_label.get(label.strip())
        if not sep or key is None:
            raise UserError(
                f"--map {pair} 的写法不对，应为 字段=列名；字段为："
                + "、".join(f.label for f in FIELDS)
                + "。"
            )
        columns[key] = column.strip()
    return columns


def cmd_import_work_orders(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.exchange.report import ImportRejected, write_report
    from commandcenter.exchange.work_orders import LayoutNeeded, run_work_order_import
    from commandcenter.services.incidents.work_orders import FIELD_BY_KEY, source_named

    source = source_named(args.source)
    db = _open_existing(args, paths)
    try:
        actor = _sign_in(db, args.user)
        columns = None
        while True:
            try:
                report = run_work_order_import(
                    db,
                    actor,
                    source,
                    args.file,
                    columns=columns,
                    dry_run=args.dry_run,
                    backup_dir=paths.backups,
                )
            except LayoutNeeded as needed:
                if not args.map:
                    guessed = " ".join(
                        f"--map {FIELD_BY_KEY[k].label}={v}" for k, v in needed.guess.items()
                    )
                    raise UserError(
                        f"{needed.message}文件的列：{'、'.join(needed.header)}。"
                        f"自动识别为：{guessed or '（无）'}。确认无误后加上这些 --map 重新运行"
                        "（可改动或补充），或在窗口中导入一次。"
                    ) from None
                columns = _columns(args.map, needed.header, needed.guess)
                continue
            except ImportRejected as rejected:
                report = rejected.report
            break
        _say(report.text())
        if args.report:
            write_report(report, args.report)
            _say(f"问题清单已保存：{args.report}")
        return 0 if report.accepted else 1
    finally:
        db.dispose()


def cmd_export_replies(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.exchange.reply_export import export_replies
    from commandcenter.services.incidents.work_orders import source_named

    source = source_named(args.source)
    db = _open_existing(args, paths)
    try:
        actor = _sign_in(db, args.user)
        with db.read() as session:
            count = export_replies(session, actor, source, args.first, args.last, args.file)
    finally:
        db.dispose()
    _say(f"已导出 {count} 张{source.label}工单的办结回复：{args.file}")
    return 0


def cmd_work_order_sample(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.demo.work_order_samples import write_sample
    from commandcenter.services.incidents.work_orders import source_named

    source = source_named(args.source)
    if not 1 <= args.count <= 5000:
        raise UserError("工单数应在 1 到 5000 之间。")
    write_sample(source, args.file, count=args.count, seed=args.seed)
    _say(f"{source.label}工单样例已生成：{args.file}")
    _say(f"试用：commandcenter --demo import-work-orders {args.file} --source {args.source} ...")
    return 0


COMMANDS = {
    "import-work-orders": cmd_import_work_orders,
    "export-replies": cmd_export_replies,
    "work-order-sample": cmd_work_order_sample,
}
