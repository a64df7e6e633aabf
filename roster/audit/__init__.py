"""The audit log: who did what to an organization's users and imports, when, from where.

Writers call roster.audit.log.record inside their own transaction; doors build the `By`
(who acts, through which door, from which address) and pass it to the core.
"""
