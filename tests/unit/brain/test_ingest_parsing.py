"""Skills with aliases, resume fields, JD sections, language and the match."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.ingest import detect_language, load_vocabulary, match_resume, parse_job, parse_resume


def test_aliases_map_to_canonical_skills() -> None:
    vocabulary = load_vocabulary()
    found = vocabulary.skills_in("k8s, JS, Golang, postgres, sklearn and CI/CD pipelines")
    assert set(found) == {"kubernetes", "javascript", "go", "postgresql", "scikit-learn",
                          "ci/cd"}


def test_plain_english_words_are_not_skills() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.skills_in("let's go and rest a bit, then react calmly") == ()
    assert vocabulary.skills_in("We use Go and REST") == ("go", "rest api")
    assert "c" not in vocabulary.skills_in("C++ and C# developer")


def test_resume_fields(data_dir: Path) -> None:
    resume = parse_resume((data_dir / "resume_backend.txt").read_text(), today=date(2025, 6, 1))
    assert {"python", "kafka", "kubernetes", "postgresql", "redis"} <= set(resume.skills)
    titles = [r.title for r in resume.roles]
    assert "Senior Backend Engineer" in titles and "Backend Developer" in titles
    acme = resume.roles[0]
    assert acme.organisation == "Acme Payments" and acme.start_year == 2019
    assert acme.end_year == 2025
    # January 2016 (a year alone counts from January) to June 2025: 113 months, beating the 7+
    assert resume.years_experience == 9.4
    assert [(e.degree, e.institution, e.year) for e in resume.education] == [
        ("BSc Computer Science", "University of Leeds", 2016)]
    assert resume.role_for_skill("kafka").organisation == "Acme Payments"


def test_job_sections(data_dir: Path) -> None:
    job = parse_job((data_dir / "jd_backend.txt").read_text())
    assert job.title == "Senior Backend Engineer"
    required = {r.key for r in job.required}
    assert {"python", "postgresql", "docker", "kubernetes", "kafka | rabbitmq"} <= required
    assert {"go", "terraform", "aws", "graphql"} <= {r.key for r in job.nice_to_have}
    assert not {o for r in job.required for o in r.options} & {
        o for r in job.nice_to_have for o in r.options}
    assert job.families[0] == "backend"
    assert job.language.code == "en" and job.language_note == ""


def test_foreign_language_job_is_detected_and_reported(data_dir: Path) -> None:
    job = parse_job((data_dir / "jd_german.txt").read_text())
    assert job.language.code == "de"
    assert "German" in job.language_note
    assert "python" in {r.key for r in job.required}  # skill names still match


def test_language_guess_on_short_or_french_text() -> None:
    assert detect_language("Python").code == "unknown"
    french = "Nous recherchons un développeur avec une expérience de Python pour notre équipe"
    assert detect_language(french).code == "fr"


def test_match_lists_matched_missing_and_reasons(data_dir: Path) -> None:
    resume = parse_resume((data_dir / "resume_backend.txt").read_text())
    job = parse_job((data_dir / "jd_backend.txt").read_text())
    match = match_resume(resume, job)
    queues = next(f for f in match.required if f.requirement.key == "kafka | rabbitmq")
    assert queues.met and queues.met_by == ("kafka",) and queues.via_alternative
    assert "aws" in {f.requirement.key for f in match.matched_nice}
    assert "terraform" in {f.requirement.key for f in match.missing_nice}
    expected = 100 * (0.8 * len(match.matched_required) / len(job.required)
                      + 0.2 * len(match.matched_nice) / len(job.nice_to_have))
    assert abs(match.score - round(expected, 1)) < 1e-6
    assert any("missing required" in r for r in match.reasons)


def test_match_without_any_skill_says_so() -> None:
    match = match_resume(parse_resume("Gardener"), parse_job("We need a friendly gardener."))
    assert match.score == 0 and any("no skill" in r for r in match.reasons)
