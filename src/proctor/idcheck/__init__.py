"""ID verification: read the card, match the name, check expiry, compare the faces.

Every check that fails or is uncertain is marked for an invigilator, who can override it with a
recorded reason; the software never turns a candidate away on its own.
"""

from proctor.idcheck.facematch import FaceMatch, FaceMatcher, MatchDecision
from proctor.idcheck.fields import FieldReading, IdFields, parse_date, parse_id_fields
from proctor.idcheck.images import (
    ImageDamagedError,
    ImageFileError,
    ImageMissingError,
    decode_image,
    load_image,
)
from proctor.idcheck.names import NameMatch, match_name, name_tokens
from proctor.idcheck.ocr import IdCardReader, OcrLine
from proctor.idcheck.verify import (
    Check,
    CheckResult,
    IdVerification,
    IdVerifier,
    Override,
    override,
)

__all__ = [
    "Check",
    "CheckResult",
    "FaceMatch",
    "FaceMatcher",
    "FieldReading",
    "IdCardReader",
    "IdFields",
    "IdVerification",
    "IdVerifier",
    "ImageDamagedError",
    "ImageFileError",
    "ImageMissingError",
    "MatchDecision",
    "NameMatch",
    "OcrLine",
    "Override",
    "decode_image",
    "load_image",
    "match_name",
    "name_tokens",
    "override",
    "parse_date",
    "parse_id_fields",
]
