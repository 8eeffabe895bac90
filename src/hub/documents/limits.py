"""How far an uploaded document may unpack before the hub gives up on it."""

from __future__ import annotations

from dataclasses import dataclass


class DocumentRefusedError(ValueError):
    """The document is beyond a limit or unreadable; the message says which, for a person."""


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    #: bytes a document may inflate to in all (a real resume's text is a few hundred KB)
    max_inflated_bytes: int = 8 * 2**20
    #: inflated bytes per compressed byte in any one member (text compresses ~10:1; bombs 1000:1)
    max_ratio: int = 100
    #: members of a DOCX (a resume has a few dozen; a many-entry bomb has tens of thousands)
    max_entries: int = 1000
    #: nesting depth of XML elements (a resume's document.xml nests about ten deep)
    max_xml_depth: int = 256
    #: seconds of wall clock and of CPU the reading child may use
    seconds: float = 10.0
    #: address space of the reading child, in bytes
    max_memory_bytes: int = 1024 * 2**20
