"""HR pages about jobs (requisitions): list, create, edit, close; the job page ranks its
candidates, compares two or three side by side, keeps a shortlist, and exports them (CSV, zip
of PDF reports). Admin and HR only; everything scoped to the user's organisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData, UploadFile

from contract.wire import IDENTIFIER_PATTERN
from hub import glossary
from hub.api.deps import HubDep
from hub.container import Hub
from hub.errors import InvalidInputError, PayloadTooLargeError
from hub.portal.deps import UserDep, render, require
from hub.portal.errors import FORM_ERRORS, FieldErrors, check_form, fields_of, sentence
from hub.resume import resume_text
from hub.services.job_exports import candidates_csv, chunks, reports_zip
from hub.services.jobs import CRITERIA, SORTS, JobForm, Jobs
from hub.views import PortalUser

router = APIRouter(include_in_schema=False)
READERS = ("admin", "hr")
JobId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
Csrf = Annotated[str, Form(max_length=200)]
FIELDS = ("title", "description", "required_skills", "question_count", "seconds_per_question")


def get_jobs(hub: HubDep) -> Jobs:
    return Jobs(hub.database, hub.clock)


JobsDep = Annotated[Jobs, Depends(get_jobs)]


def read_job_form(values: dict[str, str]) -> JobForm:
    """The job form checked; `FieldErrors` lists every problem by field."""
    problems: dict[str, str] = {}
    title = values.get("title", "").strip()
    if not title:
        problems["title"] = "Enter the job title."
    elif len(title) > 500:
        problems["title"] = "Keep the title under 500 characters."
    skills = tuple(s.strip() for s in values.get("required_skills", "").split(",") if s.strip())
    if len(skills) > 100 or any(len(s) > 500 for s in skills):
        problems["required_skills"] = "List at most 100 skills, each under 500 characters."
    numbers: dict[str, int] = {}
    for field, low, high, words in (
        ("question_count", 1, 50, "questions"),
        ("seconds_per_question", 10, 3600, "seconds per question"),
    ):
        typed = values.get(field, "").strip()
        numbers[field] = int(typed) if typed.isdecimal() and len(typed) < 6 else -1
        if not low <= numbers[field] <= high:
            problems[field] = f"Choose between {low} and {high} {words}."
    if problems:
        raise FieldErrors(problems)
    return JobForm(
        title,
        values.get("description", ""),
        skills,
        numbers["question_count"],
        numbers["seconds_per_question"],
    )


async def _typed(form: FormData, hub: Hub) -> dict[str, str]:
    """The job form's text fields; an uploaded description file replaces the typed one (read
    in the hub's sandbox, like a resume)."""
    values = {n: v for n in FIELDS if isinstance(v := form.get(n, ""), str)}
    upload = form.get("description_file")
    if isinstance(upload, UploadFile) and upload.filename:
        limit = hub.settings.max_resume_bytes
        data = await upload.read(limit + 1)
        try:
            if len(data) > limit:
                raise PayloadTooLargeError(
                    f"the description file is larger than {limit} bytes, the most the hub accepts"
                )
            values["description"] = await resume_text(upload.filename, data)
        except (InvalidInputError, PayloadTooLargeError) as error:
            text = str(error)
            raise FieldErrors(
                {"description_file": f"{text[:1].upper()}{text[1:]}; choose the file again."}
            ) from None
    return values


def _form_page(
    request: Request,
    user: PortalUser,
    form: dict[str, str],
    job_id: str | None = None,
    status_code: int = 200,
    **extra: object,
) -> HTMLResponse:
    return render(request, "job_form.html", user, status_code, form=form, job_id=job_id, **extra)


@router.get("/jobs", response_class=HTMLResponse)
def job_list(
    request: Request,
    user: UserDep,
    jobs: JobsDep,
    q: Annotated[str, Query(max_length=200)] = "",
    open_only: Annotated[bool, Query(alias="open")] = False,
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
) -> HTMLResponse:
    require(user, *READERS)
    found = jobs.list(user, q, open_only, page)
    return render(request, "jobs.html", user, jobs=found, q=q, open_only=open_only)


@router.get("/jobs/new", response_class=HTMLResponse)
def new_job_page(request: Request, user: UserDep) -> HTMLResponse:
    require(user, *READERS)
    return _form_page(request, user, {"question_count": "6", "seconds_per_question": "180"})


async def _save(
    request: Request, hub: Hub, user: PortalUser, jobs: Jobs, job_id: str | None
) -> HTMLResponse | RedirectResponse:
    async with request.form(max_files=1, max_fields=10) as form:
        typed = {n: v for n in FIELDS if isinstance(v := form.get(n, ""), str)}
        try:
            check_form(request, str(form.get("csrf_token", "")))
            job_form = read_job_form(await _typed(form, hub))
            saved = (
                jobs.update(user, job_id, job_form) if job_id else jobs.create(user, job_form)
            )
        except FORM_ERRORS as error:
            return _form_page(
                request, user, typed, job_id, error.status,
                errors=fields_of(error), error=sentence(error),
            )
    return RedirectResponse(f"/jobs/{saved.job_id}", status_code=303)


@router.post("/jobs/new", response_model=None)
async def create_job(
    request: Request, hub: HubDep, user: UserDep, jobs: JobsDep
) -> HTMLResponse | RedirectResponse:
    require(user, *READERS)
    return await _save(request, hub, user, jobs, None)


@router.get("/jobs/{job_id}/edit", response_class=HTMLResponse)
def edit_job_page(request: Request, job_id: JobId, user: UserDep, jobs: JobsDep) -> HTMLResponse:
    require(user, *READERS)
    job = jobs.get(user, job_id)
    form = {
        "title": job.title,
        "description": job.description,
        "required_skills": ", ".join(job.required_skills),
        "question_count": str(job.question_count),
        "seconds_per_question": str(job.seconds_per_question),
    }
    return _form_page(request, user, form, job.job_id)


@router.post("/jobs/{job_id}/edit", response_model=None)
async def edit_job(
    request: Request, job_id: JobId, hub: HubDep, user: UserDep, jobs: JobsDep
) -> HTMLResponse | RedirectResponse:
    require(user, *READERS)
    jobs.get(user, job_id)  # another organisation's: not found, before anything is read
    return await _save(request, hub, user, jobs, job_id)


def _job_page(
    request: Request,
    user: PortalUser,
    jobs: Jobs,
    job_id: str,
    sort: str = "score",
    shortlisted: bool = False,
    status_code: int = 200,
    **extra: object,
) -> HTMLResponse:
    job = jobs.get(user, job_id)
    return render(
        request,
        "job.html",
        user,
        status_code,
        job=job,
        candidates=jobs.candidates(user, job_id, sort, shortlisted),
        sort=sort if sort in SORTS else "score",
        shortlisted=shortlisted,
        criteria=[glossary.criterion(c) for c in CRITERIA],
        **extra,
    )


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request,
    job_id: JobId,
    user: UserDep,
    jobs: JobsDep,
    sort: Annotated[str, Query(max_length=20)] = "score",
    shortlisted: bool = False,
) -> HTMLResponse:
    require(user, *READERS)
    return _job_page(request, user, jobs, job_id, sort, shortlisted)


@router.post("/jobs/{job_id}/close", response_model=None)
def close_job(
    request: Request,
    job_id: JobId,
    user: UserDep,
    jobs: JobsDep,
    closed: Annotated[str, Form(max_length=5)] = "yes",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """Close the job (`closed=yes`) or open it again (`closed=no`); audited."""
    require(user, *READERS)
    try:
        check_form(request, csrf_token)
        jobs.set_closed(user, job_id, closed != "no")
    except FORM_ERRORS as error:
        return _job_page(
            request, user, jobs, job_id, status_code=error.status, error=sentence(error)
        )
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/jobs/{job_id}/shortlist", response_model=None)
def shortlist(
    request: Request,
    job_id: JobId,
    user: UserDep,
    jobs: JobsDep,
    session_id: Annotated[str, Form(pattern=IDENTIFIER_PATTERN)],
    add: Annotated[str, Form(max_length=5)] = "yes",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """Put a candidate on the job's shortlist (`add=yes`) or take them off (`add=no`); audited."""
    require(user, *READERS)
    try:
        check_form(request, csrf_token)
        jobs.set_shortlisted(user, job_id, session_id, add != "no")
    except FORM_ERRORS as error:
        return _job_page(
            request, user, jobs, job_id, status_code=error.status, error=sentence(error)
        )
    return RedirectResponse(f"/jobs/{job_id}#candidates", status_code=303)


@router.get("/jobs/{job_id}/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    job_id: JobId,
    user: UserDep,
    jobs: JobsDep,
    s: Annotated[list[str], Query(max_length=10)] = [],  # noqa: B006
) -> HTMLResponse:
    """The ticked candidates side by side: criteria as rows, candidates as columns."""
    require(user, *READERS)
    try:
        chosen = jobs.compare(user, job_id, s)
    except InvalidInputError as error:
        return _job_page(
            request, user, jobs, job_id, status_code=error.status, error=sentence(error)
        )
    return render(
        request,
        "job_compare.html",
        user,
        job=jobs.get(user, job_id),
        chosen=chosen,
        criteria=[glossary.criterion(c) for c in CRITERIA],
    )


@router.get("/jobs/{job_id}/candidates.csv")
def export_csv(job_id: JobId, user: UserDep, jobs: JobsDep) -> Response:
    """The job's candidates in rank order, one row per session; audited."""
    require(user, *READERS)
    candidates = jobs.candidates(user, job_id)
    jobs.record_export(user, job_id, f"CSV of {len(candidates)} candidates")
    return Response(
        candidates_csv(candidates),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="candidates.csv"'},
    )


@router.get("/jobs/{job_id}/reports.zip")
def export_reports(job_id: JobId, hub: HubDep, user: UserDep, jobs: JobsDep) -> Response:
    """A zip of the PDF reports of the job's candidates who have one; audited."""
    require(user, *READERS)
    with_report = [c for c in jobs.candidates(user, job_id) if c.has_report]
    archive = reports_zip(with_report, lambda sid: hub.records.report_pdf(user, sid))
    jobs.record_export(user, job_id, f"zip of {len(with_report)} PDF reports")
    return StreamingResponse(
        chunks(archive),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="reports.zip"'},
    )
