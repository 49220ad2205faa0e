"""The command line: the GUI by default, and the headless face of the same services.

Errors are short Chinese messages and a non-zero exit, never a traceback: an unexpected one
leaves its traceback in a crash report in the log folder, and the message says where.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commandcenter import APP_NAME, __version__
from commandcenter.diagnostics import configure_logging, quiet_streams, report_unexpected
from commandcenter.errors import UserError
from commandcenter.paths import DB_ENV, AppPaths, resolve_home, sqlite_url

if TYPE_CHECKING:
    from commandcenter.db.engine import Database
    from commandcenter.services.actor import Actor

log = logging.getLogger("commandcenter")


def _window_options(parser: argparse.ArgumentParser) -> None:
    """The options of the window itself (and, before a command, of every command)."""
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="数据文件夹（默认为当前用户的应用数据文件夹；也可用 COMMANDCENTER_HOME）",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="数据库地址，例如 sqlite:///D:/data/cc.db 或 "
        "postgresql://user@host/db（也可用 COMMANDCENTER_DB）",
    )
    parser.add_argument(
        "--demo", action="store_true", help="打开独立的演示数据库（不触碰正式数据）"
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="以只读方式打开数据库：可查看、打印，不作任何改动（如查看归档的旧库）",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")


def _window_args(argv: list[str]) -> argparse.Namespace | None:
    """The window's options read without building every command's parser (which costs as much
    as painting the sign-in form); None when *argv* names a command, asks for help or is wrong,
    which the full parser then reads (and reports)."""
    quick = argparse.ArgumentParser(prog="commandcenter", add_help=False, exit_on_error=False)
    _window_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:
        return None
    args.command = None
    return args


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commandcenter", description=f"{APP_NAME}：街道综合行政执法指挥中心工作平台"
    )
    _window_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="命令")

    demo = sub.add_parser("demo", help="生成演示数据库")
    demo.add_argument(
        "--seed", type=int, default=2026, help="随机种子（相同种子和日期生成相同数据）"
    )
    demo.add_argument("--incidents", type=int, default=1500, help="事件数量（最多 300000）")
    demo.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="数据截至日期（默认今天）",
    )
    demo.add_argument("--replace", action="store_true", help="替换已有的演示数据库")
    demo.add_argument(
        "--full-scale",
        action="store_true",
        help="按十年规模生成参考数据：300 个单位（60 个派驻机构）、2000 人、5 万个检查对象、"
        "5000 次联合行动、十年考核（用于试运行和性能测试，需数分钟）",
    )

    kinds = [
        "people",
        "units",
        "liaisons",
        "entities",
        "catalogue",
        "calendar",
        "exam_results",
        "users",
    ]
    user_help = "以哪个用户的身份操作（密码取自 COMMANDCENTER_PASSWORD，或在终端输入）"
    imp = sub.add_parser(
        "import",
        help="从 Excel 导入人员、单位、联络人、事项清单新版本、节假日安排或考试成绩"
        "（全部正确才写入）",
    )
    imp.add_argument(
        "kind",
        choices=kinds,
        help="people 人员及执法证 / units 单位 / liaisons 联络人 / entities 检查对象 / "
        "catalogue 执法事项清单新版本 / calendar 节假日安排 / exam_results 某次考试的成绩 / "
        "users 账号关联人员",
    )
    imp.add_argument("--exam", default="", help="exam_results：考试名称（同名取最近一次）")
    imp.add_argument("--label", default="", help="catalogue：版本名称，如 2027版赋权事项清单")
    imp.add_argument(
        "--effective-from",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="catalogue：生效日期",
    )
    imp.add_argument("--source", default="", help="catalogue / calendar：依据的文件名称")
    imp.add_argument("file", type=Path, help=".xlsx 文件")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--report", type=Path, metavar="FILE.xlsx", help="把问题清单另存为 Excel")
    imp.add_argument("--user", required=True, help=user_help)

    exp = sub.add_parser(
        "export",
        help="导出为 Excel（名册、清单等可修改后再导入），导出事件清单，或导出年度考核结果",
    )
    # Exam results are entered against an exam, not exported as a register of their own.
    exp.add_argument(
        "kind", choices=[*(k for k in kinds if k != "exam_results"), "incidents", "assessments"]
    )
    exp.add_argument("file", type=Path, nargs="?", help=".xlsx 文件（assessments 用 --out）")
    exp.add_argument("--year", type=int, help="assessments：考核年度")
    exp.add_argument(
        "--out", type=Path, metavar="DIR", help="assessments：导出到该文件夹（每表一个 PDF）"
    )
    exp.add_argument("--status", help="incidents：只导出该状态，如 已办结 或 closed")
    exp.add_argument(
        "--from", dest="first", type=date.fromisoformat, metavar="YYYY-MM-DD", help="受理日期起"
    )
    exp.add_argument(
        "--to", dest="last", type=date.fromisoformat, metavar="YYYY-MM-DD", help="受理日期止"
    )
    exp.add_argument("--user", required=True, help=user_help)

    tpl = sub.add_parser("template", help="生成空白导入模板")
    tpl.add_argument("kind", choices=kinds)
    tpl.add_argument("file", type=Path, help=".xlsx 文件")

    prt = sub.add_parser("print", help="生成文书 PDF")
    prt.add_argument(
        "document",
        choices=[
            "liaison-directory",
            "certificate-review",
            "dispatch-order",
            "transfer-letter",
            "supervision",
            "reply-slip",
            "interview-notice",
            "plan",
            "draw-record",
            "checklist",
            "bulletin",
            "quarterly-summary",
            "minutes",
            "huddle",
            "weekly",
            "inspection-notice",
            "annual-inspection-coverage",
        ],
    )
    prt.add_argument(
        "number",
        nargs="?",
        help="文书编号（如 梅执指派〔2026〕15号、梅执案〔2026〕3号）或事件编号（如 2026-000123）；"
        "reply-slip 办结回复单为事件编号或来源工单号；"
        "minutes 为会议日期（如 2026-11-13，省略则为最近一次会议）",
    )
    prt.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    prt.add_argument(
        "--year",
        type=int,
        help="certificate-review 清理年度、annual-inspection-coverage 计划年度（默认今年）",
    )
    prt.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="bulletin：通报月份；inspection-notice：公示月份（已登记公示的按公示时清单，否则为样稿）",
    )
    prt.add_argument("--quarter", metavar="YYYY-Q", help="quarterly-summary：季度，如 2026-3")
    prt.add_argument(
        "--week", metavar="YYYY-MM-DD", help="weekly：该日所在的一周（默认上一个完整周）"
    )
    prt.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="同时导出 Excel 清单")
    prt.add_argument("--user", required=True, help=user_help)

    from commandcenter import cli_maintenance, cli_work_orders

    cli_maintenance.add_parsers(sub)
    cli_work_orders.add_parsers(sub)

    selftest = sub.add_parser("selftest", help="自检：打开主窗口、访问每个页面、生成每种文书")
    selftest.add_argument(
        "--screenshots", type=Path, metavar="DIR", help="把每个页面截图保存到此文件夹"
    )
    selftest.add_argument("--startup-only", action="store_true", help="主窗口就绪后立即退出")
    return parser


def _db_url(args: argparse.Namespace) -> str | None:
    return args.db or os.environ.get(DB_ENV) or None


def _say(text: str) -> None:
    stream = sys.stdout
    if stream is None:  # a windowed build has no console
        return
    try:
        print(text, file=stream, flush=True)
    except UnicodeEncodeError:
        print(
            text.encode(stream.encoding or "utf-8", "replace").decode(stream.encoding or "utf-8"),
            file=stream,
            flush=True,
        )


def _error(text: str) -> None:
    if sys.stderr is not None:
        try:
            print(f"错误：{text}", file=sys.stderr, flush=True)
        except UnicodeEncodeError:
            print(f"error: {text.encode('ascii', 'replace').decode()}", file=sys.stderr)


def cmd_demo(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.db.migrate import open_database
    from commandcenter.demo import full_scale, generator

    if not 0 <= args.incidents <= 300_000:
        raise UserError("事件数量应在 0 到 300000 之间。")
    url = _db_url(args)
    target = None
    if url is None:
        target = paths.demo_database
        url = sqlite_url(target)
    elif url.startswith("sqlite:///"):
        target = Path(url.removeprefix("sqlite:///"))
    if target is not None and target.exists():
        if not args.replace:
            raise UserError(f"{target} 已存在。如需重新生成演示数据库，请加 --replace。")
        if not _replaceable_demo(url):
            raise UserError(f"{target} 不是演示数据库，不能替换。")
    # A new demo is made beside the old one and put in its place only when whole: a demo killed
    # half-way leaves the old one as it was and only a .new file, which the next run replaces.
    building = target.with_name(target.name + ".new") if target is not None else None
    if building is not None:
        _remove_sqlite(building)
    db = open_database(
        sqlite_url(building) if building else url, create=True, backup_dir=paths.backups
    )

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "事件" and total:
            _say(f"  事件 {done}/{total}")
        elif args.full_scale and stage != "事件":
            _say(f"  {stage} {done}/{total}" if total > 1 else f"  {stage}")

    try:
        summary = generator.generate(
            db,
            seed=args.seed,
            incidents=args.incidents,
            as_of=args.as_of,
            progress=progress,
            scale=full_scale.FULL if args.full_scale else None,
        )
    finally:
        db.dispose()  # the last connection folds the write-ahead log into the file
    if target is not None and building is not None:
        for suffix in ("-wal", "-shm"):  # the old demo's log must not be read with the new file
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(building, target)
    _say(f"演示数据库已生成：{target or url}")
    _say(
        f"  单位 {summary.units}，人员 {summary.people}，事件 {summary.incidents}，"
        f"联合行动 {summary.plans}，检查对象 {summary.entities}"
    )
    _say(f"  演示账号 leader / operator / admin，密码 {generator.DEMO_PASSWORD}")
    return 0


def _replaceable_demo(url: str) -> bool:
    """A demo database, or one never set up at all (nobody could have put real data in it)."""
    from sqlalchemy import func, select

    from commandcenter.db.migrate import open_database
    from commandcenter.db.models import User
    from commandcenter.services import settings

    existing = open_database(url)
    try:
        with existing.read() as session:
            if settings.load(session).is_demo:
                return True
            return session.scalar(select(func.count(User.id))) == 0
    finally:
        existing.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


PASSWORD_ENV = "COMMANDCENTER_PASSWORD"


def _open_existing(args: argparse.Namespace, paths: AppPaths) -> Database:
    from commandcenter.db.migrate import open_database

    url = _db_url(args)
    if url is None:
        url = sqlite_url(paths.demo_database if args.demo else paths.database)
    return open_database(url, backup_dir=paths.backups, read_only=args.read_only)


def _sign_in(db: Database, username: str) -> Actor:
    from commandcenter.services.auth import sign_in

    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin or not sys.stdin.isatty():
            raise UserError(f"请在终端运行以输入密码，或设置环境变量 {PASSWORD_ENV}。")
        password = getpass.getpass(f"{username} 的密码：")
    return sign_in(db, username, password)


def _exam_id(db: Database, title: str) -> int:
    from commandcenter.services import exams

    with db.read() as session:
        exam = exams.exam_named(session, title) if title else None
    if not title:
        raise UserError("导入考试成绩须用 --exam 写明考试名称（系统中已登记的考试）。")
    if exam is None:
        raise UserError(f"没有名为“{title}”的考试：请用 --exam 写明系统中已登记的考试名称。")
    return exam.id


def cmd_import(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.exchange.importers import run_import
    from commandcenter.exchange.report import ImportRejected, write_report

    db = _open_existing(args, paths)
    try:
        actor = _sign_in(db, args.user)
        try:
            params: dict[str, object] = {}
            if args.kind == "catalogue":
                params = {
                    "label": args.label,
                    "effective_from": args.effective_from,
                    "source": args.source,
                }
            elif args.kind == "calendar":
                params = {"source": args.source}
            elif args.kind == "exam_results":
                params = {"exam_id": _exam_id(db, args.exam)}
            report = run_import(
                db,
                actor,
                args.kind,
                args.file,
                dry_run=args.dry_run,
                backup_dir=paths.backups,
                **params,
            )
        except ImportRejected as rejected:
            report = rejected.report
        _say(report.text())
        if args.report:
            write_report(report, args.report)
            _say(f"问题清单已保存：{args.report}")
        return 0 if report.accepted else 1
    finally:
        db.dispose()


def cmd_export(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.exchange.exporters import EXPORTERS
    from commandcenter.exchange.incident_export import export_incidents, parse_status

    if args.kind == "assessments":
        return _export_assessments(args, paths)
    if args.file is None:
        raise UserError("请给出要导出的 .xlsx 文件。")
    db = _open_existing(args, paths)
    try:
        actor = _sign_in(db, args.user)
        with db.read() as session:
            if args.kind == "incidents":
                count = export_incidents(
                    session,
                    actor,
                    args.file,
                    status=parse_status(args.status),
                    first=args.first,
                    last=args.last,
                )
                _say(f"共 {count} 件事件。")
            else:
                EXPORTERS[args.kind](session, actor, args.file)
    finally:
        db.dispose()
    _say(f"已导出：{args.file}")
    return 0


def _export_assessments(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.documents.year_end import export

    if args.year is None or args.out is None:
        raise UserError("导出考核结果请给出 --year 年度 和 --out 文件夹。")
    db = _open_existing(args, paths)
    try:
        actor = _sign_in(db, args.user)
        result = export(
            db,
            actor,
            args.year,
            args.out,
            progress=lambda done, total, what: (
                _say(f"[{done}/{total}] {what}") if done < total else None
            ),
        )
    finally:
        db.dispose()
    _say(f"已导出考核评价表 {result.sheets} 份及汇总表：{result.folder}")
    if result.papers:
        _say(
            f"考核结果运用文书 {result.papers} 份（通报函、推荐提名函、动议书）在“考核结果运用”中。"
        )
    if result.unlocked:
        _say(f"注意：其中 {result.unlocked} 份尚未锁定签发，打印件带“未锁定”水印。")
    return 0


def cmd_template(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.exchange.exporters import write_template

    write_template(args.kind, args.file)
    _say(f"导入模板已生成：{args.file}")
    return 0


def cmd_print(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter import timeutil
    from commandcenter.documents import certificate_review, liaison_directory, minutes, papers
    from commandcenter.exchange.exporters import export_certificate_review
    from commandcenter.services import certificate_review as review_service
    from commandcenter.services.permissions import Action, require

    db = _open_existing(args, paths)
    try:
        actor = _sign_in(db, args.user)
        require(actor, Action.PRINT_DOCUMENT)
        with db.read() as session:
            if args.document in papers.BY_NUMBER:
                if not args.number:
                    raise UserError("请给出文书编号或事件编号。")
                papers.BY_NUMBER[args.document](session, actor, args.number, args.output)
            elif args.document in ("bulletin", "quarterly-summary"):
                _print_report(session, actor, args)
            elif args.document in ("huddle", "weekly"):
                _print_briefing(session, actor, args)
            elif args.document in ("inspection-notice", "annual-inspection-coverage"):
                _print_inspections(session, actor, args)
            elif args.document == "minutes":
                meeting_id = minutes.find_meeting(session, args.number)
                minutes.print_minutes(session, actor, meeting_id, args.output)
            elif args.document == "liaison-directory":
                liaison_directory.render(liaison_directory.load(session, actor), args.output)
            else:
                year = args.year or timeutil.today().year
                review = review_service.build(session, actor, year)
                certificate_review.render(review, args.output)
                if args.xlsx:
                    export_certificate_review(review, args.xlsx)
                    _say(f"已导出：{args.xlsx}")
    finally:
        db.dispose()
    _say(f"已生成：{args.output}")
    return 0


def _year_and(text: str | None, option: str, top: int, example: str) -> tuple[int, int]:
    """'2026-10' as (2026, 10), with a Chinese message for anything else."""
    try:
        year, part = (int(x) for x in (text or "").split("-"))
        if not 1 <= part <= top or not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise UserError(f"请用 {option} 给出期间，格式如 {example}。") from None
    return year, part


def _print_report(session: Any, actor: Any, args: argparse.Namespace) -> None:
    from commandcenter.documents import bulletin

    if args.document == "bulletin":
        year, month = _year_and(args.month, "--month", 12, "2026-10")
        bulletin.print_monthly(session, actor, year, month, args.output)
    else:
        year, quarter = _year_and(args.quarter, "--quarter", 4, "2026-3")
        bulletin.print_quarterly(session, actor, year, quarter, args.output)


def _print_inspections(session: Any, actor: Any, args: argparse.Namespace) -> None:
    """抽查结果公示 of a month (as published, or a draft) and the year's plan coverage."""
    from datetime import date, timedelta

    from commandcenter import timeutil
    from commandcenter.documents import inspection_papers
    from commandcenter.exchange import inspection_workbooks
    from commandcenter.services import annual_inspection_plan, inspection_publication

    if args.document == "annual-inspection-coverage":
        year = args.year or timeutil.today().year
        report, centre = annual_inspection_plan.coverage_for_paper(session, actor, year)
        inspection_papers.render_coverage(report, centre, args.output)
        if args.xlsx:
            inspection_workbooks.export_coverage(report, centre, args.xlsx)
            _say(f"已导出：{args.xlsx}")
        return
    year, month = _year_and(args.month, "--month", 12, "2026-10")
    start = date(year, month, 1)
    end = (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    found = next(
        (
            p.id
            for p in inspection_publication.publications(session, actor)
            if (p.period_from, p.period_to) == (start, end)
        ),
        None,
    )
    notice = (
        inspection_publication.notice_for_paper(session, actor, found)
        if found is not None
        else inspection_publication.draft_notice_for_paper(session, actor, start, end)
    )
    inspection_papers.render_notice(notice, args.output)
    if args.xlsx:
        inspection_workbooks.export_notice(notice, args.xlsx)
        _say(f"已导出：{args.xlsx}")


def _print_briefing(session: Any, actor: Any, args: argparse.Namespace) -> None:
    from commandcenter import timeutil
    from commandcenter.documents import briefing_papers
    from commandcenter.services import briefings, statistics

    if args.document == "huddle":
        briefing_papers.print_daily(session, actor, args.output)
        return
    week = briefings.last_full_week(timeutil.today())
    if args.week:
        try:
            week = statistics.week_period(date.fromisoformat(args.week))
        except ValueError:
            raise UserError("请用 --week 给出该周中的一天，格式如 2026-11-16。") from None
    briefing_papers.print_weekly(session, actor, week, args.output)


def cmd_selftest(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.ui.selftest import run_selftest

    return run_selftest(
        screenshots=args.screenshots, startup_only=args.startup_only, db_url=_db_url(args), say=_say
    )


def main(argv: list[str] | None = None) -> int:
    quiet_streams()
    given = sys.argv[1:] if argv is None else argv
    args = _window_args(given) or _parser().parse_args(given)
    paths = resolve_home(args.home)
    configure_logging(paths.logs)
    log.info(
        "commandcenter %s%s: %s",
        __version__,
        " (packaged)" if getattr(sys, "frozen", False) else "",
        args.command or "gui",
    )
    try:
        if args.command == "demo":
            return cmd_demo(args, paths)
        if args.command == "selftest":
            return cmd_selftest(args, paths)
        commands = {
            "import": cmd_import,
            "export": cmd_export,
            "template": cmd_template,
            "print": cmd_print,
        }
        from commandcenter import cli_maintenance, cli_work_orders

        commands.update(cli_maintenance.COMMANDS)
        commands.update(cli_work_orders.COMMANDS)
        if args.command in commands:
            return commands[args.command](args, paths)
        from commandcenter.ui.start import run_gui

        return run_gui(paths, _db_url(args), args.demo, read_only=args.read_only)
    except UserError as exc:  # a refusal, a wrong input, or a locked, full or damaged database
        _error(exc.message)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.command is None:
            raise  # the window's crash hooks report it and tell the operator
        report = report_unexpected(paths.logs, exc)
        where = f"详细情况已写入 {report}" if report else f"日志文件夹 {paths.logs} 无法写入"
        _error(f"程序内部错误，命令未完成。{where}，请交给系统管理员。")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
