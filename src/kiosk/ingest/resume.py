"""What the interview needs from a resume: the name, roles, education, skills with evidence.

Rules over sections, not a layout model. The resume is split at its headings
(`sections.py`); the header (name, contact, headline) never yields a job, so "Backend Engineer ·
Pune" at the top is a headline, not a role at an organisation called Pune. Inside the
experience section, lines are either heads (title, organisation, place, dates; short) or
descriptions (bullets, sentences); each run of heads starts one role, and its descriptions
follow it. Every skill mention keeps the sentence it was seen in and the role it belongs to, so
a question can say "You list Kafka at Acme Payments" only when the resume does.

What the rules cannot settle is listed in `ResumeProfile.doubts`; a second reader (the
on-device judge model, with the resume fenced as data) can be passed as `second_pass` and is
called only then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from kiosk.ingest.dates import DateSpan, find_spans, merged_months
from kiosk.ingest.sections import Section, SectionKind, split_sections
from kiosk.ingest.skills import SkillVocabulary, load_vocabulary

_ROLE_WORDS = re.compile(
    r"\b(?:engineer|engineering manager|developer|programmer|manager|analyst|scientist|designer|"
    r"architect|lead|consultant|specialist|administrator|admin|tester|intern|director|"
    r"executive|representative|owner|researcher|technician|officer|head|sre|devops|qa|"
    r"associate|assistant|coordinator|co-?founder|founder|cto|ceo|cfo|vp|president|trainee|"
    r"fellow|teacher|lecturer|professor|accountant|writer|editor|recruiter|partner|"
    r"member of technical staff|mts|sde|swe|strategist|advisor|adviser|auditor|supervisor|"
    r"operator|agent|nurse|physician|technologist|apprentice|werkstudent|praktikant)s?\b",
    re.IGNORECASE,
)
_ORG_SUFFIX = re.compile(
    r"\b(?:ltd|limited|inc|llc|llp|gmbh|ag|se|sa|s\.a|sas|sarl|s\.r\.l|srl|spa|s\.p\.a|bv|b\.v|"
    r"nv|plc|pvt|private|corp|corporation|company|co|technologies|technology|tech|solutions|"
    r"systems|labs?|software|services|consulting|consultancy|group|bank|university|institute|"
    r"analytics|logistics|networks|studios?|digital|partners|holdings|industries|enterprises|"
    r"foundation|hospital|payments|media|ventures|oy|ab|kg|pte|pty|infotech|infosystems|"
    r"global|international|health|capital|insurance|retail|motors|airlines|telecom)\.?$",
    re.IGNORECASE,
)
#: Places seen in resumes' job lines, so "Infosys Ltd, Pune" is an organisation and a place.
_LOCATIONS = frozenset({
    "remote", "hybrid", "onsite", "on-site", "india", "usa", "us", "uk", "germany", "france",
    "spain", "portugal", "italy", "netherlands", "belgium", "ireland", "poland", "sweden",
    "norway", "denmark", "finland", "switzerland", "austria", "canada", "australia",
    "singapore", "uae", "dubai", "bangalore", "bengaluru", "pune", "mumbai", "delhi",
    "new delhi", "noida", "gurgaon", "gurugram", "hyderabad", "chennai", "kolkata", "ahmedabad",
    "kochi", "jaipur", "chandigarh", "mysore", "indore", "nagpur", "coimbatore", "trivandrum",
    "thiruvananthapuram", "london", "manchester", "edinburgh", "glasgow", "leeds", "bristol",
    "dublin", "berlin", "munich", "münchen", "hamburg", "frankfurt", "cologne", "köln",
    "stuttgart", "paris", "lyon", "madrid", "barcelona", "lisbon", "lisboa", "porto", "milan",
    "milano", "rome", "roma", "amsterdam", "rotterdam", "brussels", "warsaw", "kraków",
    "krakow", "stockholm", "oslo", "copenhagen", "helsinki", "zurich", "zürich", "geneva",
    "vienna", "wien", "prague", "budapest", "new york", "san francisco", "seattle", "austin",
    "boston", "chicago", "los angeles", "denver", "atlanta", "toronto", "vancouver", "sydney",
    "melbourne",
})
_US_STATE = re.compile(r"^[A-Z]{2}$")
_LABEL = re.compile(
    r"^\s*(?P<label>company|organi[sz]ation|employer|client|designation|role|title|position|"
    r"job title|location|duration|period|dates?|tenure)\s*[:\-–]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-•*▪■►◆●○◦✓➢➤»·]|\d{1,2}[.)])\s+")
_SEPARATORS = re.compile(r"\s*(?:,|\||·|•|\t|\s{3,}|\s[–—-]\s|\s@\s|\sat\s|[()\[\]])\s*",
                         re.IGNORECASE)
_AT = re.compile(r"\s(?:at|@)\s", re.IGNORECASE)
_EXPLICIT_YEARS = re.compile(
    r"(?P<n>\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)(?:\s+of)?(?:\s+\w+){0,3}?\s+experience",
    re.IGNORECASE,
)
_DEGREE_SHORT = re.compile(
    r"(?<![\w.])(?:B\.?\s?Sc|M\.?\s?Sc|B\.?\s?Tech|M\.?\s?Tech|B\.E\.?|M\.E\.?|BE|ME|B\.?A\.?|"
    r"M\.?A\.?|B\.S\.?|M\.S\.?|BS|MS|B\.?\s?Eng|M\.?\s?Eng|Ph\.?\s?D|MBA|BBA|BCA|MCA|B\.?\s?Com|"
    r"M\.?\s?Com|LL\.?B|LL\.?M|M\.?Phil|HSC|SSC|CBSE|ICSE|GCSE|A-[Ll]evels?|Abitur|MEng|BEng)"
    r"(?![\w])"
)
_DEGREE_WORD = re.compile(
    r"\b(?:bachelor'?s?|master'?s?|doctorate|doctor of|diploma|associate degree|licence|"
    r"licenciatura|laurea|diplom|high school|higher secondary|secondary school|class xii|"
    r"class x|12th|10th|post[- ]?graduate|undergraduate|degree|mestrado|grado)\b",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(?:universit\w*|college|institute|school|academy|iit|nit|iiit|bits|polytechnic|"
    r"politecnico|hochschule|[ée]cole|universidade|universidad|technische|eth|epfl|faculty|"
    r"campus|conservatoire)\b",
    re.IGNORECASE,
)
_EDU_SEPARATORS = re.compile(r"\s*(?:,|\||·|•|\t|\s{3,}|\s[–—-]\s)\s*")
_GRADE = re.compile(r"%|\b(?:c?gpa|grade|percentage|marks|distinction|honou?rs)\b", re.IGNORECASE)
_LONE_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:[-'’][^\W\d_]+)*\.?$")
_NOT_A_NAME = re.compile(
    r"^(?:curriculum vitae|resume|résumé|cv|bio-?data|profile|contact)$", re.IGNORECASE
)
#: Lower-case words inside names: "Ana de la Cruz", "Ludwig van Beethoven".
_NAME_PARTICLES = frozenset({
    "de", "da", "das", "do", "dos", "du", "del", "della", "der", "den", "la", "le", "van",
    "von", "bin", "binti", "al", "el", "di", "ter", "ten", "y", "e",
})
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z])")
#: Heads longer than this are descriptions: a title, organisation, place and dates fit in 16.
_MAX_HEAD_WORDS = 16


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """One job: title, organisation, place and dates as the resume gives them."""

    title: str
    organisation: str
    start_year: int | None = None
    end_year: int | None = None  # this year when the role is current
    location: str = ""
    start_month: int | None = None  # None when the resume gives only a year
    end_month: int | None = None
    current: bool = False
    dates_text: str = ""
    description: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EducationEntry:
    degree: str
    institution: str
    year: int | None  # year completed (or expected), when given
    text: str  # the entry's lines as written


@dataclass(frozen=True, slots=True)
class SkillEvidence:
    """One mention of a skill: the sentence, where it stands and the role it belongs to."""

    skill: str  # canonical name
    written: str  # the spelling the resume uses ("Postgres", "k8s")
    sentence: str
    section: SectionKind
    role_index: int | None = None  # into ResumeProfile.roles


#: A second reader for resumes the rules doubt (see module docstring): given the text and the
#: rules' draft, it returns a corrected profile, or None to keep the draft.
SecondPass = Callable[[str, "ResumeProfile"], "ResumeProfile | None"]

_SECTION_WEIGHT = {
    SectionKind.EXPERIENCE: 0, SectionKind.PROJECTS: 1, SectionKind.SUMMARY: 2,
    SectionKind.CERTIFICATIONS: 3, SectionKind.OTHER: 4, SectionKind.EDUCATION: 4,
    SectionKind.SKILLS: 5, SectionKind.HEADER: 6, SectionKind.PERSONAL: 6,
}


@dataclass(frozen=True, slots=True)
class ResumeProfile:
    """The parsed resume."""

    text: str
    name: str
    skills: tuple[str, ...]  # canonical, in order of first mention
    roles: tuple[RoleEntry, ...]
    years_experience: float | None
    education: tuple[EducationEntry, ...]
    evidence: tuple[SkillEvidence, ...]
    doubts: tuple[str, ...] = ()  # what the rules could not settle
    parsed_by: str = "rules"
    skill_context: dict[str, str] = field(default_factory=dict)  # skill -> best sentence

    def evidence_for(self, skill: str) -> SkillEvidence | None:
        """The strongest mention: a sentence about work beats a line in a skills list."""
        mentions = [e for e in self.evidence if e.skill == skill]
        if not mentions:
            return None
        return min(mentions, key=lambda e: (_SECTION_WEIGHT[e.section], e.role_index is None))

    def role_for_skill(self, skill: str) -> RoleEntry | None:
        """The role whose description mentions the skill, for resume-grounded questions."""
        for mention in sorted((e for e in self.evidence if e.skill == skill),
                              key=lambda e: _SECTION_WEIGHT[e.section]):
            if mention.role_index is not None:
                return self.roles[mention.role_index]
        return None

    @property
    def written_skills(self) -> tuple[str, ...]:
        """Skills as the resume spells them, for speech-recognition hints."""
        return tuple(dict.fromkeys(e.written for e in self.evidence))


# -- lines ------------------------------------------------------------------------------------
def _is_description(line: str, today: date) -> bool:
    if _BULLET.match(line):
        return True
    if find_spans(line, today) and len(line.split()) <= 2 * _MAX_HEAD_WORDS:
        return False  # a dated line is a job's head, however much else it says
    words = line.split()
    if len(words) > _MAX_HEAD_WORDS:
        return True
    return line.rstrip().endswith(".") and len(words) > 6 and not _LABEL.match(line)


def _strip_bullet(line: str) -> str:
    return _BULLET.sub("", line).strip()


def _fragments(text: str) -> list[str]:
    return [f.strip(" .;:-–—") for f in _SEPARATORS.split(text) if f and f.strip(" .;:-–—")]


def _is_location(fragment: str) -> bool:
    lower = fragment.lower().strip()
    if lower in _LOCATIONS or _US_STATE.match(fragment):
        return True
    parts = [p.strip() for p in lower.split(",")]
    return bool(parts) and all(p in _LOCATIONS or len(p) == 2 for p in parts) and len(parts) > 1


def _is_title(fragment: str) -> bool:
    return bool(_ROLE_WORDS.search(fragment)) and not _ORG_SUFFIX.search(fragment)


# -- roles ------------------------------------------------------------------------------------
@dataclass
class _Entry:
    heads: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)

    def dated(self, today: date) -> bool:
        return any(find_spans(h, today) for h in self.heads)


def _entries(lines: tuple[str, ...], today: date) -> list[_Entry]:
    """Group experience lines into entries: a run of heads, then its descriptions."""
    entries: list[_Entry] = []
    dates_first: bool | None = None  # does this resume put the dated line before the title?
    for line in lines:
        if _is_description(line, today):
            if not entries:
                entries.append(_Entry())
            entries[-1].body.append(line)
            continue
        current = entries[-1] if entries else None
        has_span = bool(find_spans(line, today))
        if current is None or current.body or len(current.heads) >= 4:
            entries.append(_Entry([line]))
        elif has_span and current.dated(today):
            # Two dated heads in a row: two roles without descriptions between them. Heads
            # after the first one's dates belong to the next role when titles come first.
            last_dated = max(i for i, h in enumerate(current.heads) if find_spans(h, today))
            moved = [] if dates_first else current.heads[last_dated + 1:]
            del current.heads[last_dated + 1:]
            entries.append(_Entry([*moved, line]))
        else:
            current.heads.append(line)
        if has_span and dates_first is None:
            dates_first = len(entries[-1].heads) == 1 and len(entries) == 1 and _untitled(line)
    return entries


def _untitled(line: str) -> bool:
    """A dated line with no job title on it (the title comes on the next line)."""
    return not any(_is_title(f) for f in _fragments(line))


def _role(entry: _Entry, today: date) -> tuple[RoleEntry | None, str | None]:
    """The role an entry describes, or None with the reason it was not read as one."""
    span: DateSpan | None = None
    title = organisation = location = ""
    loose: list[str] = []
    for head in entry.heads:
        spans = find_spans(head, today)
        if spans and span is None:
            span = spans[0]
        text = head
        for found in spans:
            text = text.replace(found.text, " | ")
        labelled = _LABEL.match(text)
        if labelled:
            label, value = labelled.group("label").lower(), labelled.group("value").strip(" |")
            if label in ("designation", "role", "title", "position", "job title"):
                title = title or value
            elif label == "location":
                location = location or value
            elif label in ("company", "organisation", "organization", "employer", "client"):
                parts = _fragments(value)
                organisation = organisation or (parts[0] if parts else "")
                rest = parts[1:]
                if rest and not location and _is_location(rest[0]):
                    location = rest[0]
            continue
        after_at = _AT.split(text, maxsplit=1)
        for position, part in enumerate(after_at):
            for fragment in _fragments(part):
                if position == 1 and not organisation and not _is_title(fragment):
                    organisation = fragment  # "Engineer at Globex Ltd"
                elif _is_location(fragment):
                    location = location or fragment
                elif _is_title(fragment) and not title:
                    title = fragment
                else:
                    loose.append(fragment)
    if span is None:
        for line in entry.body[:2]:
            spans = find_spans(line, today)
            if spans:
                span = spans[0]
                break
    for fragment in loose:
        if not organisation and (title or _ORG_SUFFIX.search(fragment) or len(loose) == 1):
            organisation = fragment
        elif not title and organisation and not _ORG_SUFFIX.search(fragment):
            title = fragment if not _is_location(fragment) else title
        elif not location and organisation and len(fragment.split()) <= 3:
            location = fragment
    if not title and not organisation:
        return None, None
    if span is None and not (title and organisation):
        return None, f"an experience entry without dates was not read as a job: {entry.heads[0]!r}"
    role = RoleEntry(
        title=title,
        organisation=organisation,
        start_year=span.start.year if span else None,
        end_year=(span.end_or(today).year if span else None),
        location=location,
        start_month=span.start.month if span and span.month_known else None,
        end_month=(span.end_or(today).month if span and span.month_known else None),
        current=bool(span and span.current),
        dates_text=span.text if span else "",
        description=tuple(_strip_bullet(b) for b in entry.body),
    )
    doubt = None
    if not title:
        doubt = f"no job title found for the role at {organisation}"
    elif not organisation:
        doubt = f"no organisation found for the role {title!r}"
    return role, doubt


def _roles(sections: list[Section], today: date) -> tuple[list[tuple[RoleEntry, _Entry]],
                                                          list[str]]:
    experience = [s for s in sections if s.kind is SectionKind.EXPERIENCE]
    doubts: list[str] = []
    if not experience:
        # No experience heading: only dated lines that carry a job title count (so a header
        # line such as "Backend Engineer · Pune" never does), and never education lines.
        lines = tuple(
            line for s in sections if s.kind is not SectionKind.EDUCATION for line in s.lines
        )
        candidates = []
        for entry in _entries(lines, today):
            # Only the dated and titled heads: the name and contact lines above them are not
            # part of the job.
            entry.heads = [h for h in entry.heads if find_spans(h, today)
                           or any(_is_title(f) for f in _fragments(h))]
            if entry.dated(today) and any(_is_title(f) for h in entry.heads
                                          for f in _fragments(h)):
                candidates.append(entry)
        if any(find_spans(line, today) for line in lines):
            doubts.append("no experience heading: jobs were read only from dated lines")
    else:
        candidates = [e for s in experience for e in _entries(s.lines, today)]
    roles: list[tuple[RoleEntry, _Entry]] = []
    employer = ""  # an organisation on a line of its own, heading several roles (promotions)
    for entry in candidates:
        if not entry.heads:
            continue
        first = entry.heads[0]
        if not find_spans(first, today) and not any(_is_title(f) for f in _fragments(first)):
            employer = ""
        role, doubt = _role(entry, today)
        if role is not None and role.organisation and not any(
                _is_title(f) for f in _fragments(first)) and not find_spans(first, today):
            employer = role.organisation
        elif role is not None and not role.organisation and employer:
            role, doubt = replace(role, organisation=employer), None
        if doubt:
            doubts.append(doubt)
        if role is not None:
            roles.append((role, entry))
    return roles, doubts


# -- name, education, evidence ------------------------------------------------------------------
def _name(sections: list[Section]) -> str:
    """The first line near the top that reads as a person's name: the header, else a
    "Personal information" section (Europass puts the name there)."""
    near_top = [line for s in sections[:3]
                if s.kind in (SectionKind.HEADER, SectionKind.PERSONAL) for line in s.lines[:6]]
    for line in near_top:
        text = re.sub(r"^\s*(?:full\s+)?name\s*[:\-]\s*", "", line, flags=re.IGNORECASE)
        first = _fragments(text)[0] if _fragments(text) else ""
        if _NOT_A_NAME.match(first.strip()):
            continue
        tokens = first.split()
        if not 2 <= len(tokens) <= 5 or len(first) > 60:
            continue
        if not all(_NAME_TOKEN.match(t) for t in tokens) or _ROLE_WORDS.search(first):
            continue
        if not all(t[0].isupper() or t.lower() in _NAME_PARTICLES for t in tokens):
            continue  # "references available on request" is not a name
        return first.title() if first.isupper() else first
    return ""


def _education(sections: list[Section], today: date) -> tuple[EducationEntry, ...]:
    lines = [line for s in sections if s.kind is SectionKind.EDUCATION for line in s.lines]
    if not lines:  # no heading: only lines that name a degree outright
        lines = [line for s in sections if s.kind not in (SectionKind.EXPERIENCE,)
                 for line in s.lines
                 if (_DEGREE_SHORT.search(line) or _DEGREE_WORD.search(line))
                 and len(line.split()) <= _MAX_HEAD_WORDS]
    groups: list[list[str]] = []
    for line in lines:
        starts = bool(_DEGREE_SHORT.search(line) or _DEGREE_WORD.search(line))
        has_degree = groups and any(
            _DEGREE_SHORT.search(g) or _DEGREE_WORD.search(g) for g in groups[-1]
        )
        if not groups or (starts and has_degree) or len(groups[-1]) >= 4:
            groups.append([line])
        else:
            groups[-1].append(line)
    entries = []
    for group in groups:
        degree = institution = ""
        others: list[str] = []
        for line in group:
            text = _strip_bullet(line)
            for span in find_spans(text, today):
                text = text.replace(span.text, " | ")
            for fragment in _EDU_SEPARATORS.split(text):
                fragment = _LONE_YEAR.sub("", fragment).strip(" .;:-–—")
                if not fragment or _LONE_YEAR.fullmatch(fragment) or find_spans(fragment, today):
                    continue
                if not degree and (_DEGREE_SHORT.search(fragment) or _DEGREE_WORD.search(fragment)):
                    degree = fragment
                elif not institution and _INSTITUTION.search(fragment):
                    institution = fragment
                elif not (_is_location(fragment) or _GRADE.search(fragment)):
                    others.append(fragment)
        if degree and not institution and others:
            institution = others[0]  # "BA Graphic Design, Central Saint Martins, 2017"
        if not degree and not institution:
            continue
        years = [int(y) for line in group for y in _LONE_YEAR.findall(line)]
        plausible = [y for y in years if y <= today.year + 6]
        entries.append(EducationEntry(degree, institution, max(plausible, default=None),
                                      " / ".join(_strip_bullet(g) for g in group)))
    return tuple(entries)


def _sentences(line: str) -> list[str]:
    text = _strip_bullet(line)
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _evidence(
    sections: list[Section], roles: list[tuple[RoleEntry, _Entry]], vocabulary: SkillVocabulary
) -> tuple[SkillEvidence, ...]:
    owner: dict[str, int] = {}
    for index, (_, entry) in enumerate(roles):
        for line in (*entry.heads, *entry.body):
            owner.setdefault(line, index)
    found: list[SkillEvidence] = []
    for section in sections:
        for line in section.lines:
            role_index = owner.get(line) if section.kind is SectionKind.EXPERIENCE or (
                line in owner) else None
            for sentence in _sentences(line):
                for mention in vocabulary.find(sentence):
                    found.append(SkillEvidence(mention.skill, mention.alias, sentence,
                                               section.kind, role_index))
    return tuple(found)


def _years(text: str, spans: list[DateSpan], today: date) -> float | None:
    """The larger of what the resume states ("7+ years of experience") and what its jobs'
    dates add up to (overlaps counted once)."""
    explicit = [float(m.group("n")) for m in _EXPLICIT_YEARS.finditer(text)]
    from_dates = round(merged_months(spans, today) / 12, 1) if spans else None
    candidates = [v for v in (max(explicit, default=None), from_dates) if v is not None]
    return max(candidates) if candidates else None


def parse_resume(
    text: str,
    vocabulary: SkillVocabulary | None = None,
    today: date | None = None,
    second_pass: SecondPass | None = None,
) -> ResumeProfile:
    """Parse `text`; when the rules have doubts and `second_pass` is given, it may correct
    the draft (its result is marked `parsed_by="rules+second_pass"`)."""
    vocabulary = vocabulary or load_vocabulary()
    today = today or date.today()
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    sections = split_sections(lines)
    pairs, doubts = _roles(sections, today)
    roles = [role for role, _ in pairs]
    spans = [span for _, entry in pairs for h in entry.heads[:4]
             for span in find_spans(h, today)[:1]]
    evidence = _evidence(sections, pairs, vocabulary)
    name = _name(sections)
    if not name:
        doubts.append("no candidate name found at the top of the resume")
    if not any(s.kind is SectionKind.HEADER for s in sections[:1]) or not sections[0].lines:
        doubts.append("the resume has no header above its first section")
    profile = ResumeProfile(
        text=text,
        name=name,
        skills=vocabulary.skills_in(text),
        roles=tuple(roles),
        years_experience=_years(text, spans, today),
        education=_education(sections, today),
        evidence=evidence,
        doubts=tuple(dict.fromkeys(doubts)),
    )
    profile = replace(profile, skill_context={
        skill: best.sentence for skill in profile.skills
        if (best := profile.evidence_for(skill)) is not None
    })
    if profile.doubts and second_pass is not None:
        corrected = second_pass(text, profile)
        if corrected is not None:
            return replace(corrected, parsed_by="rules+second_pass")
    return profile


__all__ = ["EducationEntry", "ResumeProfile", "RoleEntry", "SecondPass", "SkillEvidence",
           "parse_resume"]
