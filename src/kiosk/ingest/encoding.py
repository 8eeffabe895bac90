"""Which single-byte code page a text resume was saved in, decided from its bytes.

charset-normalizer ranks readings by how garbled they look (chaos) and how much they look like
a language (coherence). Alone it called a short Latin-1 resume Baltic (cp775, "José" ->
"Josķ"), and a short Turkish one Western ("Ayşe" -> "Ayþe"), because on a few lines several code
pages read equally cleanly. So it is limited to the code pages resumes are saved in, and ties
go to the reading whose letters one language can account for: Turkish has ş, ı and ü
together, no language has ž, ż and ü together, and no word mixes Latin and Cyrillic.
"""

from __future__ import annotations

from charset_normalizer import from_bytes

#: Commonest first (charset-normalizer's names): the last tie-break.
SINGLE_BYTE = ("cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "cp1251", "koi8_r",
               "cp1257", "iso8859_7", "cp1253")

_LANGUAGE_LETTERS = tuple(frozenset(letters) for letters in (
    "àâçéèêëîïôùûüÿœæ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíòóù",  # Italian
    "åæøäöé",  # Scandinavian
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech and Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "çğıöşü",  # Turkish
    "āčēģīķļņšūžėįų",  # Baltic
    "ćčđšž",  # Croatian, Slovene, Serbian (Latin)
))


def _is_cyrillic_or_greek(ch: str) -> bool:
    return 0x370 <= ord(ch) <= 0x4FF


def _misfit(text: str) -> int:
    """How badly one language accounts for the text's letters: accented Latin letters the
    best-fitting language lacks, plus words that mix Latin and Cyrillic or Greek letters
    ("Josй": Latin-1 read as cp1251)."""
    mixed = sum(
        1 for word in text.split()
        if any(ch.isascii() and ch.isalpha() for ch in word)
        and any(_is_cyrillic_or_greek(ch) for ch in word)
    )
    letters = {ch.lower()[0] for ch in text if ch.isalpha() and ord(ch) > 127}
    letters = {ch for ch in letters if ord(ch) > 127 and not _is_cyrillic_or_greek(ch)}
    if not letters:
        return mixed
    return mixed + min(len(letters - language) for language in _LANGUAGE_LETTERS)


def decode_single_byte(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of the most plausible reading, or None when no code page fits."""
    matches = list(from_bytes(data, cp_isolation=list(SINGLE_BYTE)))
    if not matches:
        return None
    best = min(matches, key=lambda m: (round(m.chaos, 2), _misfit(str(m)),
                                       -round(m.coherence, 2), SINGLE_BYTE.index(m.encoding)))
    return str(best), best.encoding


__all__ = ["SINGLE_BYTE", "decode_single_byte"]
