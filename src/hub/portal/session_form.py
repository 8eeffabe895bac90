"""The new-session form, read by hand rather than by FastAPI's `Form()` parameters.

FastAPI would refuse a missing or non-numeric field before the route runs, with a JSON body and
the input gone. Here every field is checked at once and each problem is reported by field name,
so the page can show it next to the field with everything else the user typed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.errors import InvalidInputError, PayloadTooLargeError
from hub.portal.errors import FieldErrors
from hub.resume import resume_text
from hub.services.records import NewSession

#: The text fields of the form: what is shown again after an error (never the file or token).
FIELDS = (
    "candidate_name",
    "candidate_email",
    "resume_text",
    "job_title",
    "job_text",
    "required_skills",
    "question_count",
    "seconds_per_question",
    "extra_time_percent",
    "centre_id",
    "interview_on",
    "font_scale",
    "high_contrast",
    "captions",
    "job_id",
    "invite",
)
NUMBERS = ("question_count", "seconds_per_question", "extra_time_percent")
#: The candidate's accessibility, chosen from lists (a browser sends every select's value).
CHOICES = ("font_scale", "high_contrast", "captions")
# Syntax only, as a browser's type=email does: one @, no spaces, a dot in the domain.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
M = TypeVar("M", bound=BaseModel)


def typed(form: FormData) -> dict[str, str]:
    """What the user typed into the text fields, to show it again."""
    values = {name: form.get(name, "") for name in FIELDS}
    return {name: value for name, value in values.items() if isinstance(value, str)}


async def read_session_form(
    form: FormData,
    max_resume_bytes: int,
    job: dict[str, str] | None = None,
    job_id: str | None = None,
) -> NewSession:
    """The form as the wire models a kiosk will receive; `FieldErrors` lists every problem.
    `job` (the chosen job's fields, `job_id` its id) replaces what was typed in those fields."""
    values = {**typed(form), **(job or {})}
    problems: dict[str, str] = {}
    name = values.get("candidate_name", "").strip()
    title = values.get("job_title", "").strip()
    email = values.get("candidate_email", "").strip()
    if not name:
        problems["candidate_name"] = "Enter the candidate's name."
    if not title:
        problems["job_title"] = "Enter the job title."
    if email and not _EMAIL.fullmatch(email):
        problems["candidate_email"] = (
            f"“{email[:100]}” is not an e-mail address: write it as name@example.org, "
            "or leave the field empty."
        )
    invite = values.get("invite") == "yes"
    if invite and not email:
        problems["candidate_email"] = (
            "Enter the candidate's e-mail address to e-mail the key, or untick "
            "“E-mail the key to the candidate”."
        )
    resume = values.get("resume_text", "")
    too_large = False
    upload = form.get("resume")
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            resume = await _resume(upload, max_resume_bytes)
        except (InvalidInputError, PayloadTooLargeError) as error:
            too_large = isinstance(error, PayloadTooLargeError)
            problems["resume"] = f"{str(error)[:1].upper()}{str(error)[1:]}; choose the file again."
    candidate = _wire(
        CandidateWire,
        problems,
        {"full_name": "candidate_name", "email": "candidate_email", "resume_text": "resume_text"},
        full_name=name,
        email=email,
        resume_text=resume,
    )
    skills = values.get("required_skills", "")
    job = _wire(
        JobWire,
        problems,
        {"title": "job_title", "text": "job_text", "required_skills": "required_skills"},
        title=title,
        text=values.get("job_text", ""),
        required_skills=[s.strip() for s in skills.split(",") if s.strip()],
    )
    chosen = {n: values[n].strip() for n in (*NUMBERS, *CHOICES) if values.get(n, "").strip()}
    settings = _wire(SettingsWire, problems, {n: n for n in (*NUMBERS, *CHOICES)}, **chosen)
    day = _day(values.get("interview_on", ""), problems)
    if problems or candidate is None or job is None or settings is None:
        only_size = too_large and len(problems) == 1
        raise FieldErrors(problems, status=413 if only_size else 422)
    return NewSession(
        candidate=candidate,
        job=job,
        settings=settings,
        centre_id=values.get("centre_id", "").strip() or None,
        interview_on=day,
        job_id=job_id,
        invite=invite,
    )


def _day(typed: str, problems: dict[str, str]) -> date | None:
    """The interview day (YYYY-MM-DD, as a date field sends it); empty means any day."""
    if not typed.strip():
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        problems["interview_on"] = (
            f"“{typed[:40]}” is not a date: choose one in the calendar (year-month-day), "
            "or leave the field empty for any day while the key is valid."
        )
        return None


async def _resume(upload: UploadFile, max_bytes: int) -> str:
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PayloadTooLargeError(
            f"the resume file is larger than {max_bytes} bytes, the most the hub accepts"
        )
    return await resume_text(upload.filename or "", data)


def _wire(
    model: type[M], problems: dict[str, str], fields: dict[str, str], **values: Any
) -> M | None:
    """`model(**values)`, or None with each validation error put under its form field."""
    try:
        return model(**values)
    except ValidationError as error:
        for problem in error.errors(include_url=False, include_input=False):
            field = fields.get(str(problem["loc"][0]), str(problem["loc"][0]))
            problems.setdefault(field, f"{problem['msg']}.")
        return None
