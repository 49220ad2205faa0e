"""A working day on several workstations at once: N processes, each signed in as its own demo
account, run a seeded mix of a centre's day through the services against one database for a
given time; then the database is checked and a table of outcomes and latencies printed.

    python -m benchmarks.workday_load                       # 3 workstations × 20 s, fresh demo
    python -m benchmarks.workday_load --db postgresql+psycopg://user@host/cc_load \\
        --clients 8 --seconds 600

An empty database (or a SQLite file that does not exist yet) is filled with the demo street first.
The exit status is 1 when anything failed: an internal error, a number issued twice or skipped,
a save that was reported but is not in the database, or a finding of the data checks.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.engine import Database, make_engine
from commandcenter.db.migrate import open_database
from commandcenter.db.models import (
    AuditRecord,
    DocumentNumber,
    Grid,
    Incident,
    IncidentStatus,
    Person,
    Plan,
    PlanStatus,
    Route,
    SupervisionKind,
    Unit,
    UnitKind,
)
from commandcenter.demo import DEMO_LEADER, DEMO_PASSWORD, generator
from commandcenter.documents import papers, warmup
from commandcenter.errors import ConflictError, UserError, ValidationError
from commandcenter.paths import sqlite_url
from commandcenter.services import auth, catalogue, checks, draws, settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import dispatch, followup, intake, progress, triage
from commandcenter.services.roster import people

# The demo's accounts, taken in turn: a leader and an operator alternate, so two workstations
# already have one of each (only leaders may edit the roster).
ACCOUNTS = [DEMO_LEADER, "operator", "director", "operator2", "operator3"]
LEADERS = {DEMO_LEADER, "director"}

# A centre's day, in operations per hundred: calls and notes most, draws rare.
WEIGHTS: dict[str, int] = {
    "register": 24,
    "note": 20,
    "triage": 12,
    "dispatch": 10,
    "accept": 8,
    "report": 8,
    "close": 7,
    "paper": 4,
    "supervise": 3,
    "transfer": 2,
    "draw": 1,
    "roster": 5,  # leaders only
}
LABELS = {
    "sign_in": "登录",
    "register": "登记",
    "note": "备注",
    "triage": "研判",
    "dispatch": "派单",
    "accept": "签收",
    "report": "反馈",
    "close": "办结",
    "paper": "打印调度单",
    "supervise": "督办",
    "transfer": "移送",
    "draw": "随机抽取",
    "roster": "修改名册",
}
OPEN_PLANS = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED)  # a draw may run
PREEMPTED = "被他人抢先"
INTERNAL = "内部错误"
READ, LOCK, WRITE = "读", "等锁", "写"
PHASES = (READ, LOCK, WRITE)

ADDRESSES = ["梅山大道", "梅东路", "春晓路", "港城路", "梅西村", "洋沙山路"]
TITLES = ["占道经营", "噪音扰民", "乱堆乱放", "违规广告牌", "油烟扰民", "无照经营", "渣土撒漏"]


# --- one workstation -----------------------------------------------------------------------


@dataclass
class Outcome:
    """What one workstation did, sent back to the parent (plain data, picklable)."""

    username: str
    done: Counter[str] = field(default_factory=Counter)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (op, error kind)
    samples: dict[str, str] = field(default_factory=dict)  # error kind -> one message
    internal: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    # Where a step's time went, per step: its reads, the wait for the writer lock (with the
    # account's re-check, the write's first statement), and the write itself with its commit.
    phases: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    incident_numbers: list[str] = field(default_factory=list)
    doc_numbers: list[str] = field(default_factory=list)
    roster_saves: int = 0


@dataclass
class Shared:
    """What every workstation needs to know about the street, read once by the parent."""

    grids: list[int]
    squads: list[int]
    departments: list[int]
    person: int  # the one person every leader's workstation edits
    plans: list[int]  # plans still open for a draw


class Workstation:
    def __init__(
        self, db: Database, actor: Actor, shared: Shared, rng: random.Random, folder: Path
    ) -> None:
        self.db = db
        self.actor = actor
        self.shared = shared
        self.rng = rng
        self.folder = folder
        self.outcome = Outcome(actor.username)
        self.issued: list[str] = []  # document numbers of the unit of work under way
        self.picked: tuple[int, str] | None = None  # the incident the step took, as it was
        self.spent: dict[str, float] = dict.fromkeys(
            PHASES, 0.0
        )  # ms of the step under way, by phase

    # Units of work as a window runs them: the account is re-read first.

    @contextmanager
    def read(self) -> Iterator[Session]:
        started = time.perf_counter()
        try:
            with self.db.read() as session:
                auth.still_entitled(session, self.actor)
                yield session
        finally:
            self.spent[READ] += (time.perf_counter() - started) * 1000

    @contextmanager
    def write(self, numbered: bool = False) -> Iterator[Session]:
        """A write scope; with *numbered*, the document numbers it issued are noted once it has
        committed (the scope holds the writer lock, so every row past the top is ours)."""
        self.issued = []
        started = locked = time.perf_counter()
        try:
            with self.db.write() as session:
                auth.still_entitled(session, self.actor)
                locked = time.perf_counter()
                top = (session.scalar(select(func.max(DocumentNumber.id))) or 0) if numbered else 0
                yield session
                if numbered:
                    self.issued = list(
                        session.scalars(
                            select(DocumentNumber.number)
                            .where(DocumentNumber.id > top)
                            .order_by(DocumentNumber.id)
                        )
                    )
        finally:
            now = time.perf_counter()
            self.spent[LOCK] += (locked - started) * 1000
            self.spent[WRITE] += (now - locked) * 1000
        self.outcome.doc_numbers += self.issued

    def pick(self, *statuses: IncidentStatus, where: Any = None) -> tuple[int, int] | None:
        """One of the newest incidents in *statuses*, as a queue shows them: its id and version
        as read now. Several workstations look at the same few, so they meet."""
        query = select(Incident.id, Incident.version, Incident.status).where(
            Incident.status.in_(statuses)
        )
        if where is not None:
            query = query.where(where)
        with self.read() as session:
            rows = session.execute(query.order_by(Incident.id.desc()).limit(6)).all()
        if not rows:
            return None
        row = self.rng.choice(rows)
        self.picked = (row.id, row.status.value)
        return row.id, row.version

    def version(self, version: int) -> int | None:
        """Half the steps come from an open detail (its version is passed: a move by another
        workstation is a conflict), half straight from the queue (the status check refuses)."""
        return version if self.rng.random() < 0.5 else None

    # The operations of the day. An incident step notes the incident it took as it was
    # (``picked``), so a refusal can be told apart: moved by someone else, or something else.

    def register(self) -> None:
        form = intake.IncidentForm(
            channel=self.rng.choice(list(intake.Channel)),
            title=f"{self.rng.choice(ADDRESSES)}{self.rng.choice(TITLES)}",
            address=f"{self.rng.choice(ADDRESSES)}{self.rng.randint(1, 300)}号",
            grid_id=self.rng.choice(self.shared.grids),
            reporter_name="市民",
            reporter_phone=f"139{self.rng.randint(10_000_000, 99_999_999)}",
        )
        with self.write() as session:
            number = intake.register(session, self.actor, form).number
        self.outcome.incident_numbers.append(number)

    def note(self) -> None:
        found = self.pick(
            IncidentStatus.REGISTERED, IncidentStatus.TRIAGED, IncidentStatus.DISPATCHED
        )
        if found is None:
            return
        with self.write() as session:
            intake.add_note(session, self.actor, found[0], f"{self.actor.display_name}电话跟进")

    def triage(self) -> None:
        found = self.pick(IncidentStatus.REGISTERED)
        if found is None:
            return
        incident_id, version = found
        with self.read() as session:  # the dialog's list of the catalogue in force
            items = catalogue.search_items(session, self.actor, "", timeutil.today(), limit=5000)
        form = triage.TriageForm(item_id=self.rng.choice(items).id if items else None)
        with self.write() as session:
            triage.triage(session, self.actor, incident_id, form, self.version(version))

    def dispatch(self) -> None:
        found = self.pick(IncidentStatus.TRIAGED, where=Incident.route != Route.TRANSFER)
        if found is None:
            return
        incident_id, version = found
        with self.read() as session:
            form = dispatch.proposal(session, self.actor, incident_id)
            eligible = [
                c.person_id
                for c in dispatch.candidates(session, self.actor, incident_id)
                if c.eligible
            ]
        form.officer_ids = self.rng.sample(eligible, min(2, len(eligible)))
        with self.write(numbered=True) as session:
            dispatch.dispatch(session, self.actor, incident_id, form, self.version(version))

    def accept(self) -> None:
        found = self.pick(IncidentStatus.DISPATCHED)
        if found is None:
            return
        incident_id, version = found
        with self.write() as session:
            progress.accept(
                session,
                self.actor,
                incident_id,
                signed_by="王队长",
                expected_version=self.version(version),
            )

    def report(self) -> None:
        found = self.pick(IncidentStatus.ACCEPTED, IncidentStatus.IN_PROGRESS)
        if found is None:
            return
        incident_id, version = found
        with self.write() as session:
            progress.report_back(
                session,
                self.actor,
                incident_id,
                result="已到现场处置，恢复原状",
                expected_version=self.version(version),
            )

    def close(self) -> None:
        found = self.pick(IncidentStatus.REPORTED, where=Incident.is_major.is_(False))
        if found is None:
            return
        incident_id, version = found
        with self.write() as session:
            progress.close(
                session,
                self.actor,
                incident_id,
                satisfaction=self.rng.choice([3, 4, 5, 5, None]),
                callback_note="已电话回访",
                expected_version=self.version(version),
            )

    def supervise(self) -> None:
        found = self.pick(IncidentStatus.DISPATCHED, IncidentStatus.ACCEPTED)
        if found is None:
            return
        incident_id = found[0]
        with self.write(numbered=True) as session:
            lead = session.scalar(select(Incident.lead_unit_id).where(Incident.id == incident_id))
            followup.supervise(
                session,
                self.actor,
                incident_id,
                unit_id=lead or 0,
                kind=self.rng.choice([SupervisionKind.LETTER, SupervisionKind.NOTICE]),
                content="请抓紧办理并按期反馈",
            )

    def transfer(self) -> None:
        found = self.pick(IncidentStatus.TRIAGED)
        if found is None:
            return
        incident_id, version = found
        with self.write(numbered=True) as session:
            followup.transfer(
                session,
                self.actor,
                incident_id,
                department_id=self.rng.choice(self.shared.departments),
                facts="经现场核查，不属街道执法事项",
                expected_version=self.version(version),
            )

    def paper(self) -> None:
        found = self.pick(IncidentStatus.DISPATCHED, IncidentStatus.ACCEPTED)
        if found is None:
            return
        with self.read() as session:
            papers.render_paper(
                session, self.actor, papers.DISPATCH_ORDER, found[0], self.folder / "调度单.pdf"
            )

    def draw(self) -> None:
        if not self.shared.plans:
            return
        with self.write(numbered=True) as session:
            draws.draw_inspectors(
                session,
                self.actor,
                self.rng.choice(self.shared.plans),
                reason="人员临时调整，重新抽取",
            )

    def roster(self) -> None:
        person_id = self.shared.person
        with self.read() as session:
            form, version = people.person_form(session, self.actor, person_id)
        changed = dataclasses.replace(form, notes=f"{self.actor.display_name} 核对 {time.time()}")
        with self.write() as session:
            people.update_person(session, self.actor, person_id, changed, version)
        self.outcome.roster_saves += 1

    # The loop.

    def step(self, op: str) -> None:
        started = time.perf_counter()
        self.picked = None
        self.spent = dict.fromkeys(PHASES, 0.0)
        try:
            getattr(self, op)()
            self.outcome.done[op] += 1
        except ConflictError as exc:
            self._error(op, "ConflictError", exc)
        except ValidationError as exc:
            # A step refused because another workstation moved the incident first is part of
            # a shared day; anything else the services refused is counted on its own.
            moved = self.picked is not None and self._moved(*self.picked)
            self._error(op, PREEMPTED if moved else "ValidationError", exc)
        except UserError as exc:
            self._error(op, type(exc).__name__, exc)
        except Exception as exc:  # anything else is a bug: noted with its trace
            self.outcome.errors[(op, INTERNAL)] += 1
            self.outcome.internal.append(f"{op}: {type(exc).__name__}: {exc}\n" + _trace(exc))
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.outcome.latencies.setdefault(op, []).append(elapsed)
            for phase in PHASES:
                self.outcome.phases.setdefault((op, phase), []).append(self.spent[phase])

    def _moved(self, incident_id: int, status: str) -> bool:
        with self.db.read() as session:
            now = session.scalar(select(Incident.status).where(Incident.id == incident_id))
        return now is not None and now.value != status

    def _error(self, op: str, kind: str, exc: Exception) -> None:
        self.outcome.errors[(op, kind)] += 1
        self.outcome.samples.setdefault(kind, f"{LABELS[op]}：{exc}")


def _trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)[-4:])


def _workstation(
    url: str,
    username: str,
    seed: int,
    seconds: float,
    think: float,
    shared: Shared,
    start: Any,
    results: Any,
) -> None:
    """One process: sign in, wait for the others, run the day's mix until time is up."""
    db = Database(make_engine(url))
    outcome = Outcome(username)
    try:
        rng = random.Random(seed)
        started = time.perf_counter()
        actor = auth.sign_in(db, username, DEMO_PASSWORD)
        sign_in_ms = (time.perf_counter() - started) * 1000
        warmup.warm_up()  # as a window does once it is up (fonts, pinyin), before the day
        ops = [op for op in WEIGHTS if op != "roster" or username in LEADERS]
        weights = [WEIGHTS[op] for op in ops]
        with tempfile.TemporaryDirectory(prefix="cc-load-") as folder:
            station = Workstation(db, actor, shared, rng, Path(folder))
            outcome = station.outcome
            outcome.done["sign_in"] += 1
            outcome.latencies["sign_in"] = [sign_in_ms]
            start.wait()
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                station.step(rng.choices(ops, weights)[0])
                if think:
                    time.sleep(rng.expovariate(1 / think))
    except Exception as exc:
        outcome.errors[("sign_in", INTERNAL)] += 1
        outcome.internal.append(f"{type(exc).__name__}: {exc}\n{_trace(exc)}")
    finally:
        db.dispose()
        results.put(outcome)


# --- the checks afterwards -----------------------------------------------------------------


@dataclass
class RegisterCheck:
    """One register of numbers (incidents of a year, a document type of a year) after the run."""

    register: str
    issued: int  # numbers new in the database
    duplicates: int  # places in the sequence held more than once
    missing: int  # places skipped between the old top and the new one
    unreported: int  # in the database, but no workstation was told of it

    @property
    def clean(self) -> bool:
        return not (self.duplicates or self.missing or self.unreported)


def check_register(
    register: str,
    before: list[tuple[int, str]],
    after: list[tuple[int, str]],
    reported: Iterable[str],
) -> RegisterCheck:
    """Compare a register's (seq, number) rows before and after with the numbers the
    workstations reported: the new places must run on from the old top without a gap or a
    repeat, and each must be one a workstation was told it got."""
    new = Counter(after) - Counter(before)
    new_seqs = [seq for seq, _number in new.elements()]
    new_numbers = Counter(number for _seq, number in new.elements())
    held = Counter(seq for seq, _number in after)
    top = max((seq for seq, _number in before), default=0)
    expected = set(range(top + 1, max(new_seqs, default=top) + 1))
    return RegisterCheck(
        register=register,
        issued=len(new_seqs),
        duplicates=sum(count - 1 for count in held.values() if count > 1),
        missing=len(expected - set(new_seqs)),
        unreported=sum((new_numbers - Counter(reported)).values()),
    )


def lost_numbers(
    reported: Iterable[str],
    before: dict[str, list[tuple[int, str]]],
    after: dict[str, list[tuple[int, str]]],
) -> int:
    """Numbers the workstations were told they got that the database does not hold as new
    (a number told to two workstations counts once too many)."""
    new: Counter[str] = Counter()
    for name, rows in after.items():
        new += Counter(n for _s, n in rows) - Counter(n for _s, n in before.get(name, []))
    return sum((Counter(reported) - new).values())


def _incident_registers(session: Session) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for number in session.scalars(select(Incident.number)):
        year, _dash, seq = number.partition("-")
        found.setdefault(f"事件 {year}", []).append((int(seq), number))
    return found


def _document_registers(session: Session) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    rows = session.execute(
        select(
            DocumentNumber.doc_type, DocumentNumber.year, DocumentNumber.seq, DocumentNumber.number
        )
    )
    for doc_type, year, seq, number in rows:
        found.setdefault(f"文书 {doc_type}〔{year}〕", []).append((seq, number))
    return found


@dataclass
class Snapshot:
    incidents: dict[str, list[tuple[int, str]]]
    documents: dict[str, list[tuple[int, str]]]
    person_version: int
    person_audits: int


def snapshot(db: Database, person_id: int) -> Snapshot:
    with db.read() as session:
        return Snapshot(
            incidents=_incident_registers(session),
            documents=_document_registers(session),
            person_version=session.get_one(Person, person_id).version,
            person_audits=session.scalar(
                select(func.count())
                .select_from(AuditRecord)
                .where(AuditRecord.entity_type == "person", AuditRecord.entity_id == person_id)
            )
            or 0,
        )


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least *p* per cent at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceiling
    return ordered[int(rank) - 1]


@dataclass
class Report:
    backend: str
    clients: int
    seconds: float
    outcomes: list[Outcome]
    registers: list[RegisterCheck]
    lost: int  # numbers reported to a workstation but not in the database
    roster_saves: int
    roster_versions: int  # how far the shared person's version moved
    roster_audits: int  # audit records written for the shared person
    findings: list[str]  # the data checks' lines after the run (the audit chain among them)
    finding_count: int
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        internal = sum(len(o.internal) for o in self.outcomes)
        if internal:
            self.failures.append(f"内部错误 {internal} 次")
        for check in self.registers:
            if not check.clean:
                self.failures.append(f"编号异常：{check.register}")
        if self.lost:
            self.failures.append(f"{self.lost} 个编号报告已取得，但数据库中没有")
        if not self.roster_saves == self.roster_versions == self.roster_audits:
            self.failures.append(
                f"名册修改丢失：报告保存 {self.roster_saves} 次，版本前进 {self.roster_versions}，"
                f"审计记录 {self.roster_audits} 条"
            )
        if self.finding_count:
            self.failures.append(f"数据检查发现 {self.finding_count} 个问题")

    def done(self) -> Counter[str]:
        return sum((o.done for o in self.outcomes), Counter())

    def errors(self) -> Counter[tuple[str, str]]:
        return sum((o.errors for o in self.outcomes), Counter())

    def latencies(self, op: str) -> list[float]:
        return [ms for o in self.outcomes for ms in o.latencies.get(op, [])]

    def phase(self, op: str, phase: str) -> list[float]:
        return [ms for o in self.outcomes for ms in o.phases.get((op, phase), [])]


def report_lines(report: Report) -> Iterator[str]:
    done, errors = report.done(), report.errors()
    yield (
        f"{report.backend}：{report.clients} 个工作站 × {report.seconds:.0f} 秒，"
        f"共 {sum(done.values())} 次操作成功"
    )
    yield ""
    head = f"{'操作':<8}{'成功':>6}{'冲突':>6}{'被抢先':>6}{'其他提示':>6}{'内部错误':>6}"
    yield head + f"{'p50 ms':>9}{'p95 ms':>9}{'最大 ms':>9}"
    other_kinds: Counter[str] = Counter()
    for op in ["sign_in", *WEIGHTS]:
        times = report.latencies(op)
        if not times:
            continue
        mine = {kind: n for (o, kind), n in errors.items() if o == op}
        other = sum(
            n for kind, n in mine.items() if kind not in ("ConflictError", PREEMPTED, INTERNAL)
        )
        for kind, n in mine.items():
            if kind not in ("ConflictError", PREEMPTED, INTERNAL):
                other_kinds[kind] += n
        name = LABELS[op]
        yield (
            f"{name}{' ' * max(0, 12 - 2 * len(name))}{done[op]:>8}{mine.get('ConflictError', 0):>8}"
            f"{mine.get(PREEMPTED, 0):>9}{other:>10}{mine.get(INTERNAL, 0):>10}"
            f"{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}{max(times):>9.1f}"
        )
    yield ""
    yield "各操作耗时的去处（p50 / p95，ms）：读取、等待写锁、写入并提交；其余为本机计算（如排版）"
    for op in WEIGHTS:
        if not report.latencies(op):
            continue
        parts = []
        for phase in PHASES:
            spent = report.phase(op, phase)
            parts.append(f"{phase} {percentile(spent, 50):.1f} / {percentile(spent, 95):.1f}")
        yield f"  {LABELS[op]}：" + "，".join(parts)
    yield ""
    yield "冲突均为 ConflictError（其他工作站先保存了同一记录）；被抢先：其他工作站先推进了该事件。"
    samples = {k: v for o in report.outcomes for k, v in o.samples.items()}
    for kind, n in other_kinds.most_common():
        yield f"其他提示 {kind} {n} 次，例如：{samples.get(kind, '')}"
    yield ""
    for check in report.registers:
        if check.issued or not check.clean:
            yield (
                f"{check.register}：新编号 {check.issued}，重号 {check.duplicates}，"
                f"缺号 {check.missing}，未报告 {check.unreported}"
            )
    yield f"报告已取得但数据库中没有的编号：{report.lost}"
    yield (
        f"名册（同一人）：保存 {report.roster_saves} 次，版本前进 {report.roster_versions}，"
        f"审计记录 {report.roster_audits} 条"
    )
    yield "数据检查（含审计链）：" + "\n".join(report.findings)
    slow = [
        LABELS[op]
        for op in WEIGHTS
        if report.latencies(op) and percentile(report.latencies(op), 95) > 150
    ]
    yield f"p95 超过 150 ms：{'、'.join(slow) if slow else '无'}"
    for trace in [t for o in report.outcomes for t in o.internal][:5]:
        yield ""
        yield trace
    yield ""
    yield "结果：" + ("通过" if not report.failures else "未通过 —— " + "；".join(report.failures))


# --- the run -------------------------------------------------------------------------------


def prepare(target: str | None, folder: Path, seed: int, incidents: int) -> str:
    """The database URL to load: *target* as given (a URL, or a SQLite file path), or a new
    file in *folder*; an empty database is filled with the demo street first."""
    if target is None:
        url = sqlite_url(folder / "workday.db")
    elif "://" in target:
        url = target
    else:
        url = sqlite_url(Path(target))
    db = open_database(url, create=True)
    try:
        with db.read() as session:
            empty = not settings.is_initialised(session)
        if empty:
            print(f"生成演示数据（事件 {incidents} 件）…", flush=True)
            # The demo's day is anchored at 08:00 of as_of: yesterday's keeps every record it
            # makes in the past, whatever the hour the run starts at.
            yesterday = timeutil.today() - timedelta(days=1)
            generator.generate(db, seed=seed, incidents=incidents, as_of=yesterday)
    finally:
        db.dispose()
    return url


def _shared(session: Session) -> Shared:
    def ids(query: Any) -> list[int]:
        return list(session.scalars(query))

    squads = ids(select(Unit.id).where(Unit.kind == UnitKind.SQUAD, Unit.active.is_(True)))
    return Shared(
        grids=ids(select(Grid.id)),
        squads=squads,
        departments=ids(
            select(Unit.id).where(Unit.kind == UnitKind.DEPARTMENT, Unit.active.is_(True))
        ),
        person=session.scalars(
            select(Person.id).where(Person.unit_id.in_(squads)).order_by(Person.id)
        ).first()
        or 0,
        plans=ids(select(Plan.id).where(Plan.status.in_(OPEN_PLANS))),
    )


def run(url: str, *, clients: int, seconds: float, seed: int, think: float = 0.1) -> Report:
    """Run *clients* workstations against *url* for *seconds* and check the database after."""
    db = Database(make_engine(url))
    try:
        with db.read() as session:
            shared = _shared(session)
            admin = auth.actor_for(session, "admin")
        before = snapshot(db, shared.person)

        context = multiprocessing.get_context("spawn")
        start = context.Barrier(clients)
        results = context.Queue()
        workers = [
            context.Process(
                target=_workstation,
                args=(
                    url,
                    ACCOUNTS[n % len(ACCOUNTS)],
                    seed * 1000 + n,
                    seconds,
                    think,
                    shared,
                    start,
                    results,
                ),
            )
            for n in range(clients)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=seconds + 600) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)

        after = snapshot(db, shared.person)
        reported_incidents = [n for o in outcomes for n in o.incident_numbers]
        reported_documents = [n for o in outcomes for n in o.doc_numbers]
        registers = [
            check_register(name, before.incidents.get(name, []), rows, reported_incidents)
            for name, rows in sorted(after.incidents.items())
        ] + [
            check_register(name, before.documents.get(name, []), rows, reported_documents)
            for name, rows in sorted(after.documents.items())
        ]
        lost = lost_numbers(reported_incidents, before.incidents, after.incidents)
        lost += lost_numbers(reported_documents, before.documents, after.documents)
        with db.read() as session:
            findings = checks.run_checks(session, admin)
    finally:
        db.dispose()
    return Report(
        backend=make_url(url).get_backend_name(),
        clients=clients,
        seconds=seconds,
        outcomes=outcomes,
        registers=registers,
        lost=lost,
        roster_saves=sum(o.roster_saves for o in outcomes),
        roster_versions=after.person_version - before.person_version,
        roster_audits=after.person_audits - before.person_audits,
        findings=checks.report_lines(findings),
        finding_count=len(findings),
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.workday_load",
        description="几个工作站同时办理一天的业务，之后核对编号、审计链和数据，并列出各操作耗时。",
    )
    parser.add_argument("--db", help="数据库 URL 或 SQLite 文件路径；不填则新建一个演示数据库")
    parser.add_argument("--clients", type=int, default=3, help="工作站（进程）数，默认 3")
    parser.add_argument("--seconds", type=float, default=20, help="运行秒数，默认 20")
    parser.add_argument("--seed", type=int, default=2026, help="随机种子，默认 2026")
    parser.add_argument("--incidents", type=int, default=200, help="新建演示数据库的事件数")
    parser.add_argument("--think", type=float, default=0.1, help="两次操作间的平均间隔（秒）")
    args = parser.parse_args(list(argv) if argv is not None else None)
    with tempfile.TemporaryDirectory(prefix="cc-workday-") as folder:
        url = prepare(args.db, Path(folder), args.seed, args.incidents)
        report = run(
            url, clients=args.clients, seconds=args.seconds, seed=args.seed, think=args.think
        )
    for line in report_lines(report):
        print(line)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
