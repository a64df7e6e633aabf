"""A workbook cell's value as the text the admin typed or saw.

Workbooks store numbers as 64-bit floats: `4155550123` arrives as `4155550123.0` and
must come out as "4155550123". Excel keeps only 15 significant digits, so a 16-digit
or longer whole number (a student id typed into a number cell) no longer holds what was
typed; their text is returned as `Inexact` so that a later stage can flag them.
"""

import datetime
import unicodedata
from decimal import Decimal

type CellValue = (
    int
    | float
    | str
    | bool
    | datetime.time
    | datetime.date
    | datetime.datetime
    | datetime.timedelta
)

EXACT_DIGITS = 10**15  # whole numbers below this survive Excel's 15 significant digits


class Inexact(str):
    """Cell text that may differ from what was typed (the file kept a rounded number)."""

    __slots__ = ()


def cell_text(value: CellValue) -> str:
    """The cell's text as the admin saw it; an `Inexact` when the file lost what was typed."""
    match value:
        case str():
            return value if value.isascii() else unicodedata.normalize("NFC", value)
        case bool():  # before int: True is an int
            return "TRUE" if value else "FALSE"
        case int():
            return str(value) if abs(value) < EXACT_DIGITS else Inexact(value)
        case float():
            return _number(value)
        case datetime.datetime():
            return _datetime(value)
        case datetime.date():
            return value.isoformat()
        case datetime.time():
            return _time(value)
        case datetime.timedelta():
            return _duration(value)
    return str(value)


def _number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return Inexact(value)
    if value.is_integer():
        return str(int(value)) if abs(value) < EXACT_DIGITS else Inexact(int(value))
    # Spreadsheets show at most 15 significant digits: 0.1 + 0.2 shows as 0.3.
    text = f"{value:.15g}"
    return format(Decimal(text), "f") if "e" in text else text


def _datetime(value: datetime.datetime) -> str:
    if value.time() == datetime.time(0):
        return value.date().isoformat()
    return f"{value.date().isoformat()} {_time(value.time())}"


def _time(value: datetime.time) -> str:
    """HH:MM:SS, seconds always (04:14:00, as the file holds it), and a fraction if any."""
    text = value.strftime("%H:%M:%S")
    return f"{text}.{value.microsecond:06d}".rstrip("0") if value.microsecond else text


def _duration(value: datetime.timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
