"""The roster's record forms: a person, a unit, a grid.

Their keys mirror the services' form dataclasses (people.PersonForm, organisation.UnitForm and
GridForm), so a ValidationError names the field the cursor goes back to.
"""

from __future__ import annotations

from typing import Any

from commandcenter.enums import (
    DepartmentType,
    Gender,
    PersonStatus,
    Staffing,
    Stationing,
    UnitKind,
)
from commandcenter.services import organisation
from commandcenter.services.roster import people
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner


def unit_choices(runner: Runner, kinds: set[UnitKind] | None = None) -> list[tuple[str, int]]:
    # Read as the form opens, on the GUI thread: the form cannot be built without its choices,
    # and a unit added a moment ago on another workstation should be offered.
    nodes = runner.read_now(
        lambda session, actor: organisation.unit_tree(session, actor, include_inactive=False)
    )
    return [(n.name, n.id) for n in nodes if kinds is None or n.kind in kinds]


def person_fields(runner: Runner) -> list[form_dialog.Field]:
    return [
        form_dialog.text("name", "姓名"),
        form_dialog.choice("unit_id", "单位", unit_choices(runner), blank="请选择单位"),
        form_dialog.text("position", "职务"),
        form_dialog.choice("staffing", "编制类别", form_dialog.labelled(Staffing), blank="请选择"),
        form_dialog.choice(
            "stationing", "驻点方式", form_dialog.labelled(Stationing), blank="（非派驻人员不填）"
        ),
        form_dialog.choice(
            "gender", "性别", form_dialog.labelled(Gender), blank="（按身份证号自动判断）"
        ),
        form_dialog.text("id_number", "身份证号", "18 位，末位可为 X"),
        form_dialog.text("mobile", "手机", "11 位手机号"),
        form_dialog.text("office_phone", "办公电话", "例如 0574-86881234，分机写“转123”"),
        form_dialog.choice("status", "状态", form_dialog.labelled(PersonStatus)),
        form_dialog.day("status_since", "状态起始日期"),
        form_dialog.day("status_until", "预计结束日期（请假、借调）"),
        form_dialog.text("fields", "执法领域", "多个用顿号分隔，例如 综合执法、市场监管"),
        form_dialog.text("notes", "备注", multiline=True),
    ]


def person_form(values: dict[str, Any]) -> people.PersonForm:
    return people.PersonForm(**values)


def unit_fields(runner: Runner) -> list[form_dialog.Field]:
    return [
        form_dialog.text("name", "单位全称"),
        form_dialog.text("short_name", "简称（用于文书）"),
        form_dialog.choice("kind", "类别", form_dialog.labelled(UnitKind), blank="请选择"),
        form_dialog.choice("parent_id", "上级单位", unit_choices(runner), blank="（无）"),
        form_dialog.choice(
            "department_type",
            "部门类别",
            form_dialog.labelled(DepartmentType),
            blank="（区级部门必选）",
        ),
        form_dialog.text("fields", "执法领域", "多个用顿号分隔"),
        form_dialog.text("phone", "电话"),
        form_dialog.text("address", "地址"),
        form_dialog.integer("sort_order", "排序"),
        form_dialog.flag("active", "状态", "启用"),
    ]


def grid_fields(runner: Runner) -> list[form_dialog.Field]:
    return [
        form_dialog.text("code", "网格编码"),
        form_dialog.text("name", "网格名称"),
        form_dialog.choice(
            "community_id",
            "所属村社区",
            unit_choices(runner, {UnitKind.COMMUNITY}),
            blank="请选择",
        ),
        form_dialog.choice(
            "worker_id",
            "网格员",
            runner.read_now(organisation.grid_worker_choices),
            blank="（未指定）",
        ),
        form_dialog.text("description", "范围说明", multiline=True),
        form_dialog.flag("active", "状态", "启用"),
    ]
