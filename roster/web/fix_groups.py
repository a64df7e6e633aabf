"""The side list's groups of flags, each with the fixes that make sense for it.

Presentation only: the groups are the stored flags of one tab counted by code, column
and cause (jobs/fixes.py decides what a cause is and which fixes a group offers).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max

from roster.importing.issues import IssueCode
from roster.importing.jobs.fixes import GROUP_FIXES, cause_of, fixes_for
from roster.importing.jobs.fixes import Group as FlagGroup
from roster.importing.models import ImportFlag, ImportTab

# What the cells of a group have in common, after "37 Parent Email cells …".
_SAYING = {
    IssueCode.UNKNOWN_ASSOCIATION: "name nobody in your organization or this import",
    IssueCode.ASSOCIATION_ROLE_MISMATCH: "name someone who has another role",
    IssueCode.MISSING_REQUIRED: "are empty",
    IssueCode.DUPLICATE_IN_FILE: "repeat an email or username used in another row",
    IssueCode.ROLE_CONFLICT: "belong to a user with another role",
    IssueCode.STUDENT_NEEDS_PARENT: "are students without an email who need a parent",
    IssueCode.VALUE_TOO_LONG: "are longer than the field allows",
    IssueCode.FORMULA_LIKE_VALUE: "start like a spreadsheet formula",
    IssueCode.CHARACTERS_REMOVED: "had invisible control characters removed",
    IssueCode.NAME_SPLIT_GUESS: "were split from a full name",
}


@dataclass(frozen=True, slots=True)
class FixGroup:
    group: FlagGroup
    count: int
    severity: int
    heading: str  # "37 Parent Email cells name nobody in your organization or this import"
    detail: str  # the cause in the engine's words, when the heading does not say it
    fixes: list[tuple[str, str]]  # (fix, button text)

    @property
    def code(self) -> str:
        return self.group.code


def fix_groups(tab: ImportTab) -> list[FixGroup]:
    """The tab's flagged cells grouped by code, column and cause, the biggest groups first."""
    counted = (
        ImportFlag.objects.filter(tab=tab)
        .exclude(row=None)
        .values_list("code", "column", "column_label", "message")
        .annotate(n=Count("id"), worst=Max("severity"))
        .order_by()
    )
    counts: dict[FlagGroup, int] = defaultdict(int)
    worst: dict[FlagGroup, int] = defaultdict(int)
    labels: dict[FlagGroup, str] = {}
    for code, column, label, message, n, severity in counted:
        group = FlagGroup(code, column, cause_of(message))
        counts[group] += n
        worst[group] = max(worst[group], severity)
        labels[group] = label
    groups = []
    for group, count in counts.items():
        code = IssueCode(group.code)
        noun = f"{labels[group] or 'row'} cell{'s' if count != 1 else ''}"
        saying = _SAYING.get(code)
        detail = group.cause.removeprefix(code.description).strip()
        if "“…”" in detail:
            detail = ""  # "“…” is named in the parent column": the heading says it better
        heading = (
            f"{count:,} {noun} {saying}" if saying else f"{count:,} {noun}: {code.description}"
        )
        fixes = [(fix, GROUP_FIXES[fix]) for fix in fixes_for(tab, group)]
        groups.append(FixGroup(group, count, worst[group], heading, detail, fixes))
    return sorted(groups, key=lambda each: (-each.severity, -each.count, each.heading))
