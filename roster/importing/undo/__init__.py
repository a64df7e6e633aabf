"""Undo an applied import: put back what it changed, remove what it added, where nothing
has built on it since (docs/import-rules.md, "Undo").

    applied_ids = record_apply(job, outcome)       # by the apply, in its transaction
    plan = plan_undo(job)                          # the preview: what undo would do
    result = undo_import(job.pk, org=org, by=By.web(request))  # all or nothing, under the org's lock
"""

from roster.importing.undo.perform import undo_import
from roster.importing.undo.plan import Kept, Reason, UndoPlan, plan_undo
from roster.importing.undo.record import apply_and_store, record_apply
from roster.importing.undo.refusals import UndoRefused, refusal

__all__ = [
    "Kept",
    "Reason",
    "UndoPlan",
    "UndoRefused",
    "apply_and_store",
    "plan_undo",
    "record_apply",
    "refusal",
    "undo_import",
]
