"""Header text → words: the spelling-tolerant half of header mapping.

"First Name [Required]", "first_name", "firstName", "FIRSTNAME" and "Name, First" all
become the words ("first", "name"); what the words mean is decided in synonyms.py.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list, written as prose to keep tables short."""
    return frozenset(text.split())


# Words that compound headers are made of ("guardianemail", "lastfirst", "webid"): a
# run-together token is split only when every piece is one of these, so an unknown word
# is never cut into nonsense.
LEXICON = _words(
    """
    account address addr alt alternate backup birth cell child code contact date display
    email family father first full given guardian home id identifier in last login mail
    middle mobile mother name network number parent phone preferred primary principal
    recovery role secondary short sign sortable student surname teacher tel telephone
    type user web work instructor tutor forename
    """
)
# Pieces have at least two letters and only tokens of four or more are split: "idnumber"
# is ("id", "number"), "sms" stays whole.
_MIN_PIECE = 2
# Real compounds are short ("preferredgivenname"); a longer token is left whole rather
# than searched, so a hostile 10,000-letter header cannot exhaust the recursion.
_MAX_COMPOUND = 40
_PLURALS = {"children": "child", "kids": "kid", "addresses": "address"}

_NOTE = re.compile(r"[\[(]([^\])]*)[\])]")
_EMAIL_SPELLINGS = re.compile(r"\be[\s_.\-]?mail", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGITS = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_POSSESSIVE = re.compile(r"['’]s\b")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


@dataclass(frozen=True, slots=True)
class HeaderWords:
    words: tuple[str, ...]  # lower-case, singular, compounds split, numbers removed
    notes: tuple[tuple[str, ...], ...]  # the words of each [bracketed] or (parenthesised) note
    number: int | None  # "Parent 2 Email" → 2; None when the header has no number


def header_words(text: str) -> HeaderWords:
    """Split a header cell into words, its bracketed notes and its number, if any."""
    text = unicodedata.normalize("NFKC", text)
    notes = tuple(words_of(note)[0] for note in _NOTE.findall(text))
    words, number = words_of(_NOTE.sub(" ", text))
    return HeaderWords(words=words, notes=tuple(note for note in notes if note), number=number)


def words_of(text: str) -> tuple[tuple[str, ...], int | None]:
    """The words of a piece of text, and the first number found in it."""
    text = _EMAIL_SPELLINGS.sub("email", text)
    text = _DIGITS.sub(" ", _CAMEL.sub(" ", text))
    text = _POSSESSIVE.sub("", text.lower())
    words: list[str] = []
    number: int | None = None
    after_digits = False
    for token in _NOT_WORD.split(text):
        if not token:
            continue
        if token.isdigit():
            number = int(token) if number is None else number
            after_digits = True
            continue
        if not (after_digits and token in _ORDINAL_SUFFIXES):  # "2nd Parent Email"
            words.extend(singular(piece) for piece in split_compound(token))
        after_digits = False
    return tuple(words), number


def singular(word: str) -> str:
    if word in _PLURALS:
        return _PLURALS[word]
    if word.endswith("s") and word[:-1] in LEXICON | _PLURAL_STEMS:
        return word[:-1]
    return word


# Stems whose plural ("guardians", "emails") is common in headers but which are not
# useful as compound pieces.
_PLURAL_STEMS = frozenset({"learner", "pupil", "kid", "relative", "grade", "surname"})


# Bounded: a long-running web process sees every header ever uploaded.
@lru_cache(maxsize=4096)
def split_compound(token: str) -> tuple[str, ...]:
    """'guardianemail' → ('guardian', 'email'); a token that cannot be split stays whole."""
    if token in LEXICON or not 2 * _MIN_PIECE <= len(token) <= _MAX_COMPOUND:
        return (token,)
    pieces = _segment(token)
    return pieces if pieces is not None else (token,)


def _segment(token: str) -> tuple[str, ...] | None:
    # Longest piece first, so "username" is ("user", "name") and never shorter guesses.
    if token in LEXICON or (token.endswith("s") and token[:-1] in LEXICON):
        return (token,)
    for end in range(len(token) - _MIN_PIECE, _MIN_PIECE - 1, -1):
        head = token[:end]
        if head in LEXICON:
            rest = _segment(token[end:])
            if rest is not None:
                return (head, *rest)
    return None
