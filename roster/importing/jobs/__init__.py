"""ImportJob lifecycle: uploaded → reviewing → applying → applied | failed; a draft → discarded.

These functions are the only writers of an import job and its tabs, rows and flags:

    job = create_job(org, admin, [NewSource(...)])      # read the upload into rows
    check_job(job)                                       # the engine flags every row
    choose_role(job, tab, Role.PARENT)                   # a tab whose role is unknown
    choose_column(job, tab, column, "parent_emails")     # remembered for the organization
    forget_mapping(job, tab, column)                     # … unless the admin forgets it
    edit_cell(job, tab, number, column, value)           # … the admin reviews and edits;
    replace_rows(job, read_file(fixed))                  # a fix file (fix_tabs) sent back
                                                         # flags follow (job.flags_current)
    fix_group(job, tab, Group(code, column), "trim")     # … many rows at once (jobs/fixes.py)
    find_replace(job, tab, column, "a", "b", whole=False)
    undo(job); redo(job)                                 # any step (jobs/journal.py)
    answer_invite(job, invite=True)
    if start_apply(job):                                 # once, however often Yes is pressed
        apply_job(job.pk)                                # at once, or in a task
    fail_if_abandoned(job)                               # its worker died: failed, to retry
    discard_job(job, admin)                              # a draft thrown away, files and all
    purge_job(job.pk)                                    # … then its rows (at once, or a task)
"""

from roster.importing.jobs.apply import apply_job, preview_job, start_apply
from roster.importing.jobs.check import SYNC_ROWS, check_job, checks_at_once
from roster.importing.jobs.create import NewSource, create_job
from roster.importing.jobs.drafts import discard_job, purge_job, record_touch
from roster.importing.jobs.edit import (
    answer_invite,
    choose_column,
    choose_role,
    delete_rows,
    edit_cell,
    forget_mapping,
)
from roster.importing.jobs.fix_rows import Replaced, fix_tabs, replace_rows
from roster.importing.jobs.fixes import (
    GROUP_FIXES,
    Group,
    count_replacements,
    find_replace,
    fix_group,
)
from roster.importing.jobs.journal import Steps, next_steps, redo, undo
from roster.importing.jobs.lease import fail_if_abandoned
from roster.importing.jobs.revision import EditError
from roster.importing.jobs.tables import decided, undecided_tabs

__all__ = [
    "GROUP_FIXES",
    "SYNC_ROWS",
    "EditError",
    "Group",
    "Steps",
    "NewSource",
    "Replaced",
    "answer_invite",
    "apply_job",
    "check_job",
    "count_replacements",
    "checks_at_once",
    "choose_column",
    "choose_role",
    "create_job",
    "decided",
    "discard_job",
    "delete_rows",
    "edit_cell",
    "fail_if_abandoned",
    "find_replace",
    "fix_group",
    "fix_tabs",
    "forget_mapping",
    "next_steps",
    "preview_job",
    "purge_job",
    "record_touch",
    "redo",
    "replace_rows",
    "start_apply",
    "undecided_tabs",
    "undo",
]
