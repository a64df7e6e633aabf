"""What a cell's characters become in a stored value (docs/import-rules.md, "Text cells").

- Control characters (C0 and C1, U+0000–U+001F and U+007F–U+009F) other than tab, line
  feed and carriage return are removed, and the caller flags the row with
  `characters_removed`, naming each one.
- A value with nothing visible in it (only whitespace, format characters such as U+200B
  ZERO WIDTH SPACE, combining marks with no letter to sit on, blank-looking letters) is
  empty: a required field is then `missing_required`, as for a blank cell.
"""

import re
import unicodedata

_C0 = (
    "NULL, START OF HEADING, START OF TEXT, END OF TEXT, END OF TRANSMISSION, ENQUIRY,"
    " ACKNOWLEDGE, BELL, BACKSPACE, CHARACTER TABULATION, LINE FEED, LINE TABULATION,"
    " FORM FEED, CARRIAGE RETURN, SHIFT OUT, SHIFT IN, DATA LINK ESCAPE, DEVICE CONTROL ONE,"
    " DEVICE CONTROL TWO, DEVICE CONTROL THREE, DEVICE CONTROL FOUR, NEGATIVE ACKNOWLEDGE,"
    " SYNCHRONOUS IDLE, END OF TRANSMISSION BLOCK, CANCEL, END OF MEDIUM, SUBSTITUTE, ESCAPE,"
    " INFORMATION SEPARATOR FOUR, INFORMATION SEPARATOR THREE, INFORMATION SEPARATOR TWO,"
    " INFORMATION SEPARATOR ONE"
)
_C1 = (
    "PADDING CHARACTER, HIGH OCTET PRESET, BREAK PERMITTED HERE, NO BREAK HERE, INDEX,"
    " NEXT LINE, START OF SELECTED AREA, END OF SELECTED AREA, CHARACTER TABULATION SET,"
    " CHARACTER TABULATION WITH JUSTIFICATION, LINE TABULATION SET, PARTIAL LINE FORWARD,"
    " PARTIAL LINE BACKWARD, REVERSE LINE FEED, SINGLE SHIFT TWO, SINGLE SHIFT THREE,"
    " DEVICE CONTROL STRING, PRIVATE USE ONE, PRIVATE USE TWO, SET TRANSMIT STATE,"
    " CANCEL CHARACTER, MESSAGE WAITING, START OF GUARDED AREA, END OF GUARDED AREA,"
    " START OF STRING, SINGLE GRAPHIC CHARACTER INTRODUCER, SINGLE CHARACTER INTRODUCER,"
    " CONTROL SEQUENCE INTRODUCER, STRING TERMINATOR, OPERATING SYSTEM COMMAND,"
    " PRIVACY MESSAGE, APPLICATION PROGRAM COMMAND"
)
# Unicode has no name for control characters, only these aliases (unicodedata.lookup's).
CONTROL_NAMES: dict[str, str] = {
    **{chr(code): name for code, name in enumerate(_C0.split(", "))},
    "\x7f": "DELETE",
    **{chr(0x80 + code): name for code, name in enumerate(_C1.split(", "))},
}
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # not tab, LF, CR
# Letters and symbols that draw nothing: the Hangul fillers and the Braille blank.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Letters, numbers, punctuation, symbols; private-use characters draw a glyph too.
_VISIBLE_CATEGORIES = ("L", "N", "P", "S", "Co")


def remove_controls(raw: str) -> tuple[str, str]:
    """`raw` without its control characters (tab and line breaks kept), and those removed."""
    removed = _CONTROLS.findall(raw)
    if not removed:
        return raw, ""
    return _CONTROLS.sub("", raw), "".join(removed)


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: no letter, digit, punctuation mark or symbol in it."""
    if text.isascii():
        return not text.strip()
    return not any(_visible(ch) for ch in text)


def _visible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category.startswith(_VISIBLE_CATEGORIES) and ch not in _BLANK_LOOKING


def control_names(removed: str) -> str:
    """ "U+0007 BELL, U+001B ESCAPE": each control character once, in the order met."""
    return ", ".join(f"U+{ord(ch):04X} {CONTROL_NAMES[ch]}" for ch in dict.fromkeys(removed))


def removed_message(removed: str, column: str) -> str:
    """ "Removed 2 control characters (U+0007 BELL, U+001B ESCAPE) from First Name"."""
    count = len(removed)
    noun = "control character" if count == 1 else "control characters"
    return f"Removed {count} {noun} ({control_names(removed)}) from {column}."
