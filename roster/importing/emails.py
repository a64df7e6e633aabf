"""Email checks at import speed: a plain-address fast path in front of fields.check_email.

email_validator costs about 25 µs an address; an import of 100,000 students names some
400,000 addresses (their own, their parents', their instructors'). Most are plain ASCII
`local@domain.tld`, for which the library's answer is known without asking it: the same
address with the domain in lower case. Those are answered here; everything else (quoted
local parts, Unicode, Punycode and other `--` labels, role mailboxes such as `Info@`,
reserved domains, long local parts) goes to the library, and every answer is remembered
for the rest of the import. The fast path must give exactly the library's answer:
tests/importing/test_emails.py compares them on generated addresses.
"""

import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from roster.importing.fields import Checked, check_email

# A strict subset of what email_validator accepts: dot-atoms of the safest characters,
# DNS labels of letters, digits and inner dashes, an alphabetic top-level domain.
_PLAIN = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# A label with dashes in its third and fourth places: Punycode (`xn--`), which the library
# decodes to Unicode, or a reserved form it refuses (`ab--cd`). Either way, not plain.
_DASHES_AT_3 = re.compile(r"(?:@|\.)[^.]{2}--")
_MAX_LOCAL = 64
_MAX_TOTAL = 254
_RESERVED = frozenset(SPECIAL_USE_DOMAIN_NAMES)
_RESERVED_ENDINGS = tuple("." + name for name in SPECIAL_USE_DOMAIN_NAMES)
# Mailboxes the library writes in lower case (RFC 2142: `Postmaster@` is `postmaster@`).
_ROLE_MAILBOXES = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)
_MEMORY = 200_000


def plain_email(value: str) -> str | None:
    """The normalised form of a plain address, or None when the library must decide."""
    if len(value) > _MAX_TOTAL or not _PLAIN.fullmatch(value) or _DASHES_AT_3.search(value):
        return None
    local, domain = value.split("@", 1)
    domain = domain.lower()
    if len(local) > _MAX_LOCAL or local.lower() in _ROLE_MAILBOXES:
        return None
    if domain in _RESERVED or domain.endswith(_RESERVED_ENDINGS):
        return None
    return f"{local}@{domain}"


class EmailChecker:
    """fields.check_email with the fast path and a memory: one instance per import."""

    def __init__(self, max_length: int = _MAX_TOTAL, memory: int = _MEMORY) -> None:
        self.max_length = max_length
        self.memory = memory
        self._seen: dict[str, Checked] = {}

    def __call__(self, value: str, *, remember: bool = False) -> Checked:
        """Check one address; `remember` it when it is likely to come again (a link)."""
        known = self._seen.get(value)
        if known is not None:
            return known
        plain = plain_email(value) if len(value) <= self.max_length else None
        checked = Checked(plain) if plain is not None else check_email(value, self.max_length)
        # Own addresses are unique in a good import: only links are worth remembering.
        if remember and len(self._seen) < self.memory:
            self._seen[value] = checked
        return checked
