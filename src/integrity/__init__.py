"""Integrity rules as a pure function of (observations, policy): the code that judges.

Why a package of its own: the kiosk judges live (`proctor` feeds it each frame's numbers) and
the hub re-judges a synced observation track under another policy; both must run the *same*
rule code, thresholds and hysteresis, or a re-judgement proves nothing. The hub may import only
`contract` and this package, and `contract` is the shared vocabulary and wire, not behaviour, so
the rule engine lives here, a leaf that imports `contract`, the standard library and pydantic
(the policy's validation) only: no OpenCV, no models, no database (import-linter checks it).

* `policy` - every threshold, validated (`load_policy`, `Policy.digest`)
* `observation` - one moment of the track: what the rules read
* `rules` / `hysteresis` - the `RuleEngine` the live proctor and every replay run
* `track` - the track as gzip JSON-lines chunks
* `replay` - re-judge a track under another policy and compare, in words
* `summary` - the integrity summary of a list of events
"""

from integrity.events import ProctorEvent
from integrity.observation import TRACK_RATE_HZ, CameraStatus, Observation, TrackRecord
from integrity.policy import Policy, PolicyError, load_policy, parse_policy
from integrity.replay import Comparison, JudgedEvent, compare, replay
from integrity.rules import RuleEngine
from integrity.summary import summarize
from integrity.track import Chunk, Run, TrackError, TrackHeader, decode_chunk, encode_chunk, runs_of

__all__ = [
    "TRACK_RATE_HZ",
    "CameraStatus",
    "Chunk",
    "Comparison",
    "JudgedEvent",
    "Observation",
    "Policy",
    "PolicyError",
    "ProctorEvent",
    "RuleEngine",
    "Run",
    "TrackError",
    "TrackHeader",
    "TrackRecord",
    "compare",
    "decode_chunk",
    "encode_chunk",
    "load_policy",
    "parse_policy",
    "replay",
    "runs_of",
    "summarize",
]
