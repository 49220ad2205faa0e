"""The year's assessment sheets as a list, scheme by scheme: each scheme's people (or agencies)
are ranked among themselves only, so the list never orders one group against another."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from commandcenter.db.models import AssessmentScheme, AssessmentSheet, Person, Unit
from commandcenter.services.listing import ListColumn, Listing

_sheet_unit = aliased(Unit, name="sheet_unit")


def _sheet_source() -> Select[Any]:
    return (
        select()
        .select_from(AssessmentSheet)
        .join(AssessmentScheme, AssessmentSheet.scheme_id == AssessmentScheme.id)
        .outerjoin(_sheet_unit, AssessmentSheet.unit_id == _sheet_unit.id)
        .outerjoin(Person, AssessmentSheet.person_id == Person.id)
    )


ASSESSMENT_SHEETS = Listing(
    key="assessment",
    title="考核评价",
    id_expr=AssessmentSheet.id,
    columns=(
        ListColumn("年度", AssessmentScheme.year, 60),
        ListColumn("考核方案", AssessmentScheme.name, 200),
        ListColumn("考核对象", func.coalesce(_sheet_unit.name, Person.name), 220),
        ListColumn("类别", AssessmentScheme.subject, 80),
        ListColumn("街道评分", AssessmentSheet.street_score, 80),
        ListColumn("部门评分", AssessmentSheet.department_score, 80),
        ListColumn("总分", AssessmentSheet.total_score, 70),
        ListColumn("等次", AssessmentSheet.grade, 60),
        ListColumn("状态", AssessmentSheet.status, 80),
    ),
    source=_sheet_source,
    search=(_sheet_unit.name, Person.name),
    default_sort=1,
)
