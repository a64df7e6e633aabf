"""A full name → first and last name: the guess behind every `name_split_guess` warning."""


def _words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list, written as prose to keep tables short."""
    return frozenset(text.split())


# Lower-case words that begin a family name ("Mary Ann de la Cruz", "Ludwig van Beethoven").
PARTICLES = _words(
    """
    da das de del della der den des di do dos du la le van von ten ter bin binti bint al
    el
    """
)
# Generational and academic suffixes stay with the family name: "King Jr.", not "Jr.".
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq"})


def split_full_name(text: str) -> tuple[str, str] | None:
    """("first", "last") from "First Last" or "Last, First"; None for a single word.

    The family name is the last word, with any particles before it and suffixes after
    it; everything before is the first name ("Mary Ann de la Cruz" → "Mary Ann",
    "de la Cruz"). With a comma, what comes before it is the family name, unless what
    follows is only a suffix ("Martin Luther King, Jr.").
    """
    text = " ".join(text.split())
    if "," in text:
        before, after = (part.strip() for part in text.split(",", 1))
        if before and after and not _is_suffix(after):
            return after, before
        text = f"{before} {after}".strip()
    return _split_words(text.split())


def _split_words(words: list[str]) -> tuple[str, str] | None:
    end = len(words)
    while end > 2 and _is_suffix(words[end - 1]):
        end -= 1
    if end < 2:
        return None
    start = end - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def _is_suffix(word: str) -> bool:
    return word.lower().replace(".", "").replace(",", "") in SUFFIXES
