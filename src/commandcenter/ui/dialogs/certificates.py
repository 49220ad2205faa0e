"""A person's enforcement certificates: register, edit or renew, review, suspend, revoke, restore."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.roster import certificates, eligibility, people
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.icons import icon
from commandcenter.ui.runner import Runner, user_message

_STATUS_COLOURS = {
    certificates.CertificateStatus.EXPIRING: palette.WARNING_BACKGROUND,
    certificates.CertificateStatus.EXPIRED: palette.OVERDUE_BACKGROUND,
    certificates.CertificateStatus.SUSPENDED: palette.OVERDUE_BACKGROUND,
    certificates.CertificateStatus.REVOKED: palette.REVOKED_BACKGROUND,
}


def certificate_fields() -> list[form_dialog.Field]:
    return [
        form_dialog.text("number", "执法证号"),
        form_dialog.text("issuer", "发证机关"),
        form_dialog.text("fields", "执法领域", "多个用顿号分隔，例如 综合执法、市场监管"),
        form_dialog.text("area", "执法区域"),
        form_dialog.day("issued_on", "发证日期"),
        form_dialog.day("expires_on", "有效期至"),
        form_dialog.day("last_review_on", "最近年审日期"),
    ]


class CertificatesDialog(QDialog):
    def __init__(self, runner: Runner, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.person_id = runner, person_id
        self.person_name = runner.read_now(
            lambda session, actor: people.person_name(session, actor, person_id)
        )
        self.setWindowTitle(f"执法证：{self.person_name}")
        self.resize(860, 380)
        self.rows: list[certificates.CertificateRow] = []
        self.table = QTableWidget()
        self.table.setObjectName("certificateTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.eligibility = QLabel()
        self.eligibility.setObjectName("eligibility")
        self.eligibility.setWordWrap(True)
        bar = QHBoxLayout()
        can_edit = allowed(runner.actor, Action.EDIT_ROSTER)
        for text, name, slot in (
            ("登记新证", "add", self.add),
            ("修改 / 换证", "edit", self.edit),
            ("年审", "certificate", self.review),
            ("暂扣", "delete", lambda: self.change(certificates.EventKind.SUSPENDED)),
            ("注销", "delete", lambda: self.change(certificates.EventKind.REVOKED)),
            ("恢复有效", "refresh", lambda: self.change(certificates.EventKind.RESTORED)),
        ):
            button = QPushButton(icon(name), text)
            button.clicked.connect(slot)
            button.setVisible(can_edit)
            bar.addWidget(button)
        history = QPushButton(icon("history"), "变更记录")
        history.clicked.connect(self.show_history)
        bar.addWidget(history)
        bar.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.eligibility)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        self.refresh()

    def refresh(self) -> None:
        pid = self.person_id
        self.rows = self.runner.read_now(
            lambda session, actor: certificates.certificates_of(session, actor, pid)
        )
        reason = self.runner.read_now(
            lambda session, actor: eligibility.ineligibility(session, pid, None, timeutil.today())
        )
        self.eligibility.setText(
            f"今天{'不能' if reason else '可以'}派出执法" + (f"：{reason}。" if reason else "。")
        )
        headers = [
            "执法证号",
            "发证机关",
            "执法领域",
            "执法区域",
            "发证日期",
            "有效期至",
            "最近年审",
            "状态",
        ]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.rows))
        for i, certificate in enumerate(self.rows):
            values: list[Any] = [
                certificate.number,
                certificate.issuer,
                certificate.fields,
                certificate.area,
                certificate.issued_on.isoformat(),
                certificate.expires_on.isoformat(),
                certificate.last_review_on.isoformat() if certificate.last_review_on else "",
                certificate.status.label,
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if certificate.status in _STATUS_COLOURS:
                    item.setBackground(QBrush(QColor(_STATUS_COLOURS[certificate.status])))
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        if self.rows:
            self.table.selectRow(0)

    def _selected(self) -> certificates.CertificateRow | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]
        QMessageBox.information(self, "执法证", "请先选中一本执法证。")
        return None

    def add(self) -> None:
        pid = self.person_id
        dialog = form_dialog.FormDialog(
            self.runner,
            f"登记执法证：{self.person_name}",
            certificate_fields(),
            lambda values: (
                lambda session, actor: (
                    certificates.add_certificate(
                        session, actor, pid, certificates.CertificateForm(**values)
                    ).id
                )
            ),
            parent=self,
        )
        if dialog.exec():
            self.refresh()

    def edit(self) -> None:
        cert = self._selected()
        if cert is None:
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            f"修改执法证 {cert.number}",
            certificate_fields(),
            lambda values: (
                lambda session, actor: (
                    certificates.update_certificate(
                        session,
                        actor,
                        cert.id,
                        certificates.CertificateForm(**values),
                        cert.version,
                    ).id
                )
            ),
            parent=self,
            intro="换证时把“有效期至”改为新证的到期日，变更记录中会记为“换证延期”。",
        ).load(vars(cert.form()))
        if dialog.exec():
            self.refresh()

    def review(self) -> None:
        cert = self._selected()
        if cert is None:
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            f"年审：{cert.number}",
            [form_dialog.day("on", "年审日期", optional=False), form_dialog.text("note", "说明")],
            lambda values: (
                lambda session, actor: (
                    certificates.record_review(
                        session, actor, cert.id, values["on"], values["note"]
                    ).id
                )
            ),
            parent=self,
        )
        if dialog.exec():
            self.refresh()

    def change(self, kind: certificates.EventKind) -> None:
        cert = self._selected()
        if cert is None:
            return
        reason, ok = QInputDialog.getText(
            self, f"{kind.label}执法证", f"{kind.label}执法证 {cert.number} 的原因（必填）："
        )
        if not ok:
            return
        self.runner.run(
            lambda session, actor: certificates.change_certificate_state(
                session, actor, cert.id, kind, reason, cert.version
            ),
            lambda _r: self.refresh(),
            write=True,
            parent=self,
        )

    def show_history(self) -> None:
        cert = self._selected()
        if cert is None:
            return
        try:
            history = self.runner.read_now(
                lambda session, actor: certificates.certificate_history(session, actor, cert.id)
            )
        except Exception as exc:  # shown, not raised into the event loop
            QMessageBox.warning(self, "变更记录", user_message(exc))
            return
        lines = [f"{h.at}　{h.kind}　{h.user}　{h.note}" for h in history]
        QMessageBox.information(self, f"变更记录：{cert.number}", "\n".join(lines) or "无记录。")
