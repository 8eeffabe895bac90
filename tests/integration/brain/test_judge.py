"""The on-device judge with the real model: its licence as the file states it, contradictions
found and named, and the fallback to embeddings when it runs out of time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.brain import OfflineScorer
from kiosk.brain.embeddings import MiniLmEncoder
from kiosk.brain.judge import MODEL_NAME, PointJudge, Verdict, get_judge_model
from kiosk.brain.scoring import ENGINE_NAME, JUDGED_ENGINE_NAME
from modelstore import load_manifest, require_model

from .test_gaming import CASES, bank_question

pytestmark = pytest.mark.slow


#: These tests are about verdicts, not speed: on a loaded 2-core machine one prompt can take a
#: minute, and the kiosk's budget (60 s an answer) would hand the rest to the embeddings.
PATIENT_S = 900.0


@pytest.fixture(scope="session")
def judged(encoder: MiniLmEncoder) -> OfflineScorer:
    return OfflineScorer(encoder, PointJudge(get_judge_model(), budget_s=PATIENT_S))


def test_manifest_licence_is_what_the_gguf_says() -> None:
    gguf = pytest.importorskip("gguf")
    entry = load_manifest().files_of(MODEL_NAME)[0]
    reader = gguf.GGUFReader(str(require_model(MODEL_NAME) / Path(entry.path).name))
    name = reader.fields["general.name"].contents()
    assert "Qwen2.5 Coder 1.5B Instruct" in name
    if "general.license" in reader.fields:
        assert entry.licence.startswith(reader.fields["general.license"].contents())
    else:
        assert entry.licence.startswith("not stated in the file")


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "fluent_wrong"],
                         ids=lambda c: c["id"])
def test_a_fluent_answer_whose_facts_are_wrong_earns_little(judged: OfflineScorer,
                                                            case: dict) -> None:
    """Every fact wrong, none negated in words: the model often still says "yes", but unsure,
    and an unsure "yes" earns no more than the model's confidence is worth."""
    question = bank_question(case["q"])
    wrong = judged.assess(question, "a", case["gamed"])
    honest = judged.assess(question, "a", case["honest"])
    credits = [(v.verdict.value, v.credit, v.note, v.point) for v in wrong.points]
    assert wrong.path.startswith("judge") and honest.path.startswith("judge")
    assert honest.score.overall - wrong.score.overall >= 3.0, (wrong.score.overall, credits)
    assert sum(v.credit for v in wrong.points) < sum(v.credit for v in honest.points) / 2, credits


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "negation"][:2],
                         ids=lambda c: c["id"])
def test_negated_answer_is_contradicted_and_says_so(judged: OfflineScorer, case: dict) -> None:
    question = bank_question(case["q"])
    negated = judged.assess(question, "a", case["gamed"])
    honest = judged.score(question, "a", case["honest"])
    print(negated.score.feedback,
          json.dumps([(v.verdict.value, v.by, v.point) for v in negated.points]))
    assert negated.path.startswith("judge") and negated.score.engine == JUDGED_ENGINE_NAME
    contradicted = [v for v in negated.points if v.verdict == Verdict.CONTRADICTED]
    assert contradicted and all(v.evidence in case["gamed"] for v in contradicted)
    assert "Contradicts:" in negated.score.feedback
    covered_part = negated.score.feedback.split("Covered:")[1].split(".")[0] if (
        "Covered:" in negated.score.feedback) else ""
    assert not any(v.point in covered_part for v in contradicted)
    assert honest.overall - negated.score.overall >= 3.0
    # the judged score is final and keeps what decided it, point by point
    assert not negated.score.provisional and negated.score.path == negated.path
    kept = {p.point: p for p in negated.score.points}
    assert [kept[v.point].verdict for v in negated.points] == [v.verdict for v in negated.points]
    assert all(kept[v.point].decided_by == v.by and kept[v.point].evidence == v.evidence
               for v in negated.points)


def test_the_embeddings_pass_is_provisional_and_says_who_decided(judged: OfflineScorer) -> None:
    case = next(c for c in CASES if c["kind"] == "negation")
    fast = judged.assess(bank_question(case["q"]), "a", case["honest"], use_judge=False)
    assert fast.score.provisional and fast.score.path == "embeddings"
    assert fast.score.points and all(p.decided_by == "embeddings" for p in fast.score.points)


def test_out_of_time_falls_back_to_embeddings(encoder: MiniLmEncoder) -> None:
    case = next(c for c in CASES if c["kind"] == "negation")
    scorer = OfflineScorer(encoder, PointJudge(get_judge_model(), budget_s=0.0))
    result = scorer.assess(bank_question(case["q"]), "a", case["honest"])
    assert result.path == "embeddings" and result.score.engine == ENGINE_NAME
    assert all(v.by == "embeddings" for v in result.points)
    assert any("ran out of time" in v.note for v in result.points)
    assert result.score.provisional  # the judge did not finish: an online re-score may follow


def test_the_judge_runs_without_llama_cpp_chatter_on_stderr(tmp_path: Path) -> None:
    """`kiosk score` with the judge prints its result and nothing of llama.cpp's own logging
    ("slot print_timing", "~Server: ..."), which is C++ writing straight to file descriptor 2:
    the runtime's log level is set where the model is built, not by hiding stderr."""
    case = next(c for c in CASES if c["kind"] == "negation")
    answer = tmp_path / "answer.txt"
    answer.write_text(case["honest"], encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_LOG_LEVEL"}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "score", "--question", bank_question(case["q"]).text,
         "--answer", str(answer), "--json"],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"].startswith("judge")  # the model did run
    assert done.stderr == ""


def test_the_models_loopback_port_refuses_other_programs() -> None:
    """llama.cpp's server in xllamacpp listens on 127.0.0.1 as well; the kiosk talks to it
    in-process, so anything that connects to the port must be refused (401), not served."""
    import urllib.error
    import urllib.request

    import psutil

    model = get_judge_model()
    assert model.complete([{"role": "user", "content": "Say yes."}], 'root ::= "yes"', 2).text
    def llama_server(port: int) -> bool:  # its /health is public; other test servers differ
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as reply:
                return json.loads(reply.read()).get("status") == "ok"
        except (urllib.error.URLError, ValueError, AttributeError):
            return False

    ports = [c.laddr.port for c in psutil.Process().net_connections("tcp")
             if c.status == psutil.CONN_LISTEN and c.laddr.ip == "127.0.0.1"]
    ports = [p for p in ports if llama_server(p)]
    assert ports, "the model's server is expected to listen on the loopback"
    for port in ports:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=30)
        assert refused.value.code == 401


def test_a_process_ending_while_the_judge_works_exits_cleanly() -> None:
    """The judge answers on a daemon thread. A process that ends while llama.cpp is mid-reply
    (the demo, once its report is written, with the last answers still being judged) must
    exit normally: finalising the interpreter under a running request crashed it (SIGSEGV)."""
    script = (
        "import threading\n"
        "from kiosk.brain.judge import get_judge_model\n"
        "model = get_judge_model()\n"
        "started = threading.Event()\n"
        "def judge_forever():\n"
        "    while True:\n"
        "        started.set()\n"
        "        model.complete([{'role': 'user', 'content': 'Count to fifty in words.'}],\n"
        "                       'root ::= [a-z ,]+', 24)\n"
        "threading.Thread(target=judge_forever, daemon=True).start()\n"
        "started.wait()\n"
        "print('leaving while the model answers', flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])  # was -11 (SIGSEGV)
    assert "leaving" in done.stdout
