"""Windows-1252 or Mac Roman: which code page the bytes that are not UTF-8 were written in.

Excel writes plain "CSV" in the Windows code page on Windows and in Mac Roman on a Mac.
Both give every high byte some character, so the choice is a vote: each byte that is not
part of a UTF-8 sequence scores what it would be in each code page. A letter that names
hold (é, ü, ñ, Œ) scores 2, a rarer letter (Š, Ž) or common punctuation (’ “ – €) 1,
anything else (√, ◊, ˘) 0; a typographic apostrophe between two letters (O’Brien) scores
3. So cp1252's "O’Brien" (0x92) is not read as Mac Roman's "OíBrien", Mac Roman's
"O’Brien" (0xD5) not as cp1252's "OÕBrien", and Mac Roman's "Peña" (0x96) not as
cp1252's "Pe–a". Ties go to cp1252, the commoner.
"""

import re

CP1252 = "cp1252"
MAC_ROMAN = "mac_roman"
# cp1252 leaves these bytes undefined; in Mac Roman they are letters (Å, ç, è, ï, ù).
CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
# Bytes that are not UTF-8, as `surrogateescape` decoding shows them.
STRAY_BYTE = re.compile("[\udc80-\udcff]")
STRAY_UNDEFINED_IN_CP1252 = re.compile("[\udc81\udc8d\udc8f\udc90\udc9d]")
SAMPLE_PER_CHUNK = 1024  # a sample per chunk, up to a total, is enough to vote
SAMPLE = 16 * 1024

NAME_LETTERS = frozenset(
    [chr(code) for code in range(0xC0, 0x100) if chr(code).isalpha()] + ["Œ", "œ"]
)
RARE_LETTERS = frozenset("ŠšŽžŸ")
TEXT_PUNCTUATION = frozenset("‘’“”–—…€«»")


def _weight(char: str, between_letters: bool) -> int:
    if char == "’" and between_letters:
        return 3
    if char in NAME_LETTERS:
        return 2
    return 1 if char in RARE_LETTERS or char in TEXT_PUNCTUATION else 0


def _table(codec: str) -> tuple[tuple[int, int], ...]:
    """For each byte 0x80-0xFF, its weight alone and between two letters."""
    chars = [bytes([byte]).decode(codec, errors="ignore") for byte in range(0x80, 0x100)]
    return tuple((_weight(char, False), _weight(char, True)) for char in chars)


WEIGHTS = {CP1252: _table(CP1252), MAC_ROMAN: _table(MAC_ROMAN)}


class Vote:
    """The running score of each code page over the stray bytes seen so far."""

    def __init__(self) -> None:
        self.score = dict.fromkeys(WEIGHTS, 0)
        self.undefined_in_cp1252 = False
        self.counted = 0

    def add(self, chunk: bytes) -> None:
        """Count the bytes of `chunk` that are not part of a UTF-8 sequence."""
        text = chunk.decode("utf-8", errors="surrogateescape")
        if self.counted >= SAMPLE:
            # Enough to vote; only a byte undefined in cp1252 could still change it.
            self.undefined_in_cp1252 |= bool(STRAY_UNDEFINED_IN_CP1252.search(text))
            return
        for count, stray in enumerate(STRAY_BYTE.finditer(text)):
            if count == SAMPLE_PER_CHUNK:
                break
            self.counted += 1
            at = stray.start()
            byte = ord(text[at]) - 0xDC00  # always a high byte: ASCII is valid UTF-8
            if byte in CP1252_UNDEFINED:
                self.undefined_in_cp1252 = True
            between = text[at - 1 : at].isalpha() and text[at + 1 : at + 2].isalpha()
            for codec, weights in WEIGHTS.items():
                self.score[codec] += weights[byte - 0x80][between]

    def winner(self) -> str:
        if self.undefined_in_cp1252 or self.score[MAC_ROMAN] > self.score[CP1252]:
            return MAC_ROMAN
        return CP1252
