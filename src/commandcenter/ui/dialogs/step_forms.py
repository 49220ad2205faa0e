"""What a workflow step's button opens, as one table entry per step.

An incident's or a plan's steps are tables (`incident_steps.INCIDENT_STEPS`,
`plan_steps.PLAN_STEPS`) from the step to one of three kinds of entry: a form of a few fields whose
values make one service call, a 是/否 question before a call that needs nothing typed, or a dialog
of the step's own. A step with no entry is a programming error and fails loudly rather than
leaving its button doing nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget

from commandcenter.services.actor import Actor
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner, UnitOfWork, Work

Values = dict[str, Any]


@dataclass(frozen=True)
class StepForm[T]:
    """A form whose values make one service call on the subject (an incident, a plan)."""

    # The fields, built fresh for each opening (they are widgets); some read choices first.
    fields: Callable[[Runner, T], Sequence[form_dialog.Field]]
    call: Callable[[T, Values, UnitOfWork, Actor], object]
    intro: str | Callable[[T], str] = ""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    save_text: str = ""  # the button's words where 保存 is not what it does

    def open(self, parent: QWidget, runner: Runner, title: str, subject: T) -> None:
        intro = self.intro(subject) if callable(self.intro) else self.intro

        def submit(values: Values) -> Work:
            return partial(self.call, subject, values)

        dialog = form_dialog.FormDialog(
            runner,
            title,
            self.fields(runner, subject),
            submit,
            parent=parent,
            intro=intro,
            save_text=self.save_text,
        )
        dialog.load(dict(self.defaults)).exec()


@dataclass(frozen=True)
class Confirmation[T]:
    """A step with nothing to fill in: ask 是/否, then make the call."""

    question: str
    call: Callable[[T, UnitOfWork, Actor], object]

    def open(self, parent: QWidget, runner: Runner, title: str, subject: T) -> None:
        form_dialog.confirm(parent, runner, title, self.question, partial(self.call, subject))


@dataclass(frozen=True)
class OwnDialog[T]:
    """A step with a dialog of its own (registration, triage, dispatch ...): it sets its own
    title and makes its own calls."""

    show: Callable[[QWidget, Runner, T], None]

    def open(self, parent: QWidget, runner: Runner, title: str, subject: T) -> None:
        self.show(parent, runner, subject)


type StepEntry[T] = StepForm[T] | Confirmation[T] | OwnDialog[T]


class NoStepEntry(LookupError):
    """A step the rules offer has no entry in its table: a programming error, reported as one."""


def entry_for[K, T](table: Mapping[K, StepEntry[T]], step: K) -> StepEntry[T]:
    try:
        return table[step]
    except KeyError:
        raise NoStepEntry(f"no dialog for step {step!r}") from None
