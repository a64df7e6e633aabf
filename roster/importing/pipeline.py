"""The import's core entry points, shared by every door (CLI, web wizard, API, task).

    results = [read_file(path) for path in paths]          # sources/
    preview = preview_import(results, org=org, choices=Choices(role=...))
    outcome = apply_import(preview, org=org, invite=True, by=by)  # or not, for a dry run

preview_import reads, maps, validates and plans without writing; apply_import applies
that plan under the organization's lock (apply.py). Both report their progress, when
asked, as Steps (progress.py).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction

from roster.accounts.models import Role
from roster.audit.log import By, record
from roster.audit.models import Action
from roster.importing.apply import Outcome, apply_plan
from roster.importing.bundles.bundle import UnreadableBundleFile
from roster.importing.directory import Directory
from roster.importing.intake import decide_files
from roster.importing.issues import Issue
from roster.importing.mapping_memory import NO_MEMORY, MappingMemory
from roster.importing.models import RememberedMapping
from roster.importing.plan import Plan, plan_import
from roster.importing.progress import Report, Stage, Step
from roster.importing.sources import ReadError, ReadResult
from roster.importing.summary import summary_dict, totals
from roster.importing.validate import TableInput, Validated, validate_import
from roster.orgs.models import Organization


class UnclearRole(Exception):
    """A table whose role is not given and cannot be guessed."""

    def __init__(self, file: str | None, message: str) -> None:
        super().__init__(f"{file or 'pasted text'}: {message}")
        self.file = file  # base name of the file; None for pasted text
        self.message = message  # what is wrong, without the file's name


class UnreadableFile(ReadError):
    """A ReadError that names its file (the base name, as issues do; None for pasted text).

    Rows stream from the readers while they are validated, so a file may turn out
    unreadable (a row limit reached, a broken record) long after it was opened.
    """

    def __init__(self, file: str | None, error: ReadError) -> None:
        super().__init__(error.code, error.message)
        self.file = file


@dataclass(frozen=True, slots=True)
class Choices:
    """The admin's choices before validation."""

    # The role given for the files (`--role`): of a single table (a CSV, pasted text), or
    # of a workbook's one tab of people when its name does not say (intake.decide).
    role: Role | None = None
    # (result index, table index) → {column index: field, or None to ignore it}
    columns: dict[tuple[int, int], dict[int, str | None]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Preview:
    """What an import would do, computed without writing: the plan and its inputs."""

    plan: Plan
    tables: tuple[TableInput, ...]
    notes: tuple[str, ...] = ()  # neutral sentences on tables left out (intake.decide)

    def invitations(self, *, invite: bool) -> int:
        return len(self.plan.invitations()) if invite else 0


def preview_import(
    results: Sequence[ReadResult],
    *,
    org: Organization,
    choices: Choices,
    progress: Report | None = None,
) -> Preview:
    """Map, validate and plan the tables of `results` as one import into `org`.

    Which tables are taken, with which role and columns, is intake.decide's answer.
    Raises UnclearRole when a table's role is neither given nor guessable, and
    UnreadableFile when a file turns out unreadable while its rows are read.
    """
    report = progress or _silent
    notes: list[str] = []
    bundled: list[Issue] = []
    memory = RememberedMapping.objects.memory_of(org.pk)
    tables = tuple(table_inputs(results, choices, notes, memory, bundled))
    validated = with_bundle_issues(_validate(tables, org.default_region, report), bundled)
    # Every row read ends up either kept (people) or skipped: that is the import's size.
    rows = len(validated.people) + len(validated.skipped)
    report(Step(Stage.READING, rows, rows))
    report(Step(Stage.PLANNING, 0, rows))
    directory = Directory.load(org, validated.identity_keys(), validated.external_keys())
    plan = plan_import(validated, directory)
    report(Step(Stage.PLANNING, rows, rows))
    return Preview(plan=plan, tables=tables, notes=tuple(notes))


def apply_import(
    preview: Preview,
    *,
    org: Organization,
    invite: bool,
    by: By,
    import_job: int | None = None,
    progress: Report | None = None,
) -> Outcome:
    """Apply a preview (all or nothing); record invitations for new accounts when asked.

    One audit entry with the counts, in the same transaction (`import_job`: the stored
    import applied, if any). Progress counts the plan's kept rows (those not skipped for
    errors while validating).
    """
    report = progress or _silent
    total = len(preview.plan.validated.people)
    report(Step(Stage.APPLYING, 0, total))
    with transaction.atomic():
        outcome = apply_plan(
            preview.plan,
            org=org,
            invite=invite,
            progress=lambda done: report(Step(Stage.APPLYING, done, total)),
            job_id=import_job,
        )
        summary = summary_dict(outcome.plan, invitations=outcome.invitations, links=outcome.links)
        record(org, Action.APPLIED, by=by, import_job=import_job, detail=totals(summary))
    # Only now is it committed (unless a caller's transaction is still open).
    report(Step(Stage.APPLYING, total, total))
    return outcome


def _silent(step: Step) -> None:
    pass


def _validate(tables: Sequence[TableInput], region: str, report: Report) -> Validated:
    """validate_import, with the file a read error comes from named on the error."""

    def reading(done: int) -> None:
        report(Step(Stage.READING, done, None))

    current: list[TableInput] = []

    def each() -> Iterator[TableInput]:
        for table in tables:
            current[:] = [table]
            yield table

    try:
        return validate_import(each(), region=region, progress=reading)
    except ReadError as error:
        raise UnreadableFile(current[0].file if current else None, error) from error


def with_bundle_issues(validated: Validated, issues: Sequence[Issue]) -> Validated:
    """`validated` with a bundle's issues on its link files' cells (intake.Intake.issues)
    listed after the tables' issues: no table of people holds their rows."""
    if not issues:
        return validated
    # One place after every table's (plan.py merges planning's issues by place): they
    # keep the bundle's order, file by file.
    after = (len(validated.sources), 0)
    return replace(
        validated,
        issues=[*validated.issues, *issues],
        places=[*validated.places, *[after] * len(issues)],
    )


def table_inputs(
    results: Sequence[ReadResult],
    choices: Choices,
    notes: list[str] | None = None,
    memory: MappingMemory = NO_MEMORY,
    issues: list[Issue] | None = None,
) -> list[TableInput]:
    """The tables each file holds people in (intake.decide), with the organization's
    remembered mappings (`memory`), then the admin's choices.

    The notes on tables left out (hidden, or holding no people) and on columns mapped
    from memory are added to `notes`; a bundle's issues on its link files to `issues`.
    Raises UnclearRole for the first table whose role is neither given nor guessable.
    """
    tables: list[TableInput] = []
    names: set[tuple[str, str]] = set()
    try:
        decided = decide_files(results, choices.role, memory)
    except UnreadableBundleFile as error:
        raise UnreadableFile(error.file, error) from error
    for result_index, intake in decided:
        result = results[result_index]
        if notes is not None:
            notes.extend(intake.notes)
        if issues is not None:
            issues.extend(intake.issues)
        for found in intake.tables:
            if found.unclear is not None:
                raise UnclearRole(result.file, found.unclear)
            if notes is not None:
                where = f"{found.sheet}{f' ({result.file})' if result.file else ''}"
                notes.extend(f"{where}: {each.sentence}" for each in found.recalled)
            columns = found.columns
            for column, chosen in choices.columns.get((result_index, found.index), {}).items():
                columns = columns.with_choice(column, chosen)
            tables.append(
                TableInput(
                    found.table,
                    columns,
                    found.role,
                    result.file,
                    unique_sheet(found.sheet, result.file or "", names),
                    found.flags,
                    found.source,
                    found.id_column,
                )
            )
    return tables


def unique_sheet(sheet: str, file: str, names: set[tuple[str, str]]) -> str:
    """The name a table's issues carry, made unique within its file: "Student", then
    "Student (2)". `names` holds those taken. (A bundle's file that gives a table per
    role names each with its role already: bundle.named_by_role.)

    The stored review finds a flag's tab by (file, sheet), so every door names alike.
    """
    if not sheet:
        return ""
    candidate, number = sheet, 1
    while (file, candidate) in names:
        number += 1
        candidate = f"{sheet} ({number})"
    names.add((file, candidate))
    return candidate
