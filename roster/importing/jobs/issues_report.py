"""A stored import's issues report (the review's download, the API's …/report.{csv,xlsx}):
every flagged cell, then a bundle's issues on its link files, as the command line lists
them."""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from roster.importing.issues import Issue, IssueCode
from roster.importing.models import ImportFlag, ImportJob
from roster.importing.report import XLSX, write_issues_csv, write_issues_xlsx
from roster.importing.summary import issue_of

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


@dataclass(frozen=True, slots=True)
class ReportFile:
    name: str  # import-12-issues.csv
    content_type: str
    content: bytes | str


def stored_issues(job: ImportJob) -> Iterator[Issue]:
    """The stored flags in the report's order, then the bundle's issues on its link files."""
    flags = (
        ImportFlag.objects.filter(job=job)
        .select_related("tab")
        .order_by("tab__position", "row", "column")
    )
    for flag in flags.iterator(chunk_size=5000):
        yield Issue(
            code=IssueCode(flag.code),
            message=flag.message,
            file=flag.tab.file_name or None,
            sheet=flag.tab.sheet,
            row=flag.row,
            column=flag.column_label or None,
        )
    # After every tab's, as the command line lists them (pipeline.with_bundle_issues).
    yield from map(issue_of, job.bundle_issues)


def issues_report(job: ImportJob, kind: Literal["csv", "xlsx"]) -> ReportFile:
    if kind == "csv":
        text = io.StringIO()
        write_issues_csv(stored_issues(job), text)
        content: bytes | str = text.getvalue()
    else:
        data = io.BytesIO()
        write_issues_xlsx(stored_issues(job), data)
        content = data.getvalue()
    return ReportFile(f"import-{job.pk}-issues.{kind}", CONTENT_TYPES[kind], content)
