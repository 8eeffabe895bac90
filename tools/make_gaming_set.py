"""Write tests/data/brain/gaming.json: the labelled gaming set, from the hand-written texts below.

Each case: a question from the bank, the gamed answer, its `baseline` (the answer before the
gaming was added: the thin answer for content gaming, a real answer for injections) and the
`honest` correct answer to the same question (the labelled set's excellent one). Kinds:
parroting, keyword lists, empty STAR templates, fluent wrong answers, negated answers (each
per question) and every attempt of the injection corpus (manipulation.json) on two baselines.
Run `python tools/make_gaming_set.py` after editing; the JSON is what the tests read.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "brain"

#: Per question: a parroting tail, a keyword list, a fluent answer in which every fact is
#: wrong, and the honest answer's claims negated.
TEXTS = {
    "be-01": {
        "parrot": "How would I find and fix a slow query in PostgreSQL? Finding and fixing a slow "
                  "query in PostgreSQL is what I would do: I would find the slow query and then "
                  "fix the slow query in PostgreSQL.",
        "keywords": "PostgreSQL, EXPLAIN ANALYZE, pg_stat_statements, B-tree index, composite "
                    "index, VACUUM, ANALYZE, query planner, sequential scan, N+1.",
        "fluent_wrong": "The first thing I do with a slow PostgreSQL query is increase "
                        "shared_buffers to the whole of the server's memory, because PostgreSQL "
                        "keeps every table in RAM anyway. Then I turn off autovacuum, since "
                        "vacuuming is what makes queries slow in the first place. Indexes "
                        "actually slow reads down, so I drop the indexes on the big tables. "
                        "Finally I restart the database every night, which resets the query "
                        "planner and keeps it fast.",
        "negation": "I would not bother with EXPLAIN ANALYZE, the query plan never tells you "
                    "anything useful. Indexes do not help with slow queries, so I would not add "
                    "any. Statistics and VACUUM are irrelevant to speed, and measuring before "
                    "and after is a waste of time.",
    },
    "bh-02": {
        "parrot": "Describe a mistake I made at work and what I did about it? A mistake I made "
                  "at work, and what I did about that mistake at work, is what I would describe.",
        "keywords": "Ownership, accountability, rollback, root cause, post-mortem, checklist, "
                    "regression test, lessons learned, transparency.",
        "fluent_wrong": "Honestly the mistake was not really mine: the tester should have caught "
                        "it, so I made sure my manager knew whose fault it was. I left the "
                        "broken release running because rolling back looks bad on the team, and "
                        "customers usually stop complaining after a few days. We did not change "
                        "anything afterwards, because mistakes like that just happen.",
        "negation": "I did not tell anyone about the mistake and I never owned it. I did not "
                    "roll anything back and I did not add a test or change the process "
                    "afterwards. I did not learn anything from it.",
    },
    "do-01": {
        "parrot": "A pod in Kubernetes keeps restarting in CrashLoopBackOff, how do I debug it? "
                  "To debug a pod in Kubernetes that keeps restarting in CrashLoopBackOff, I "
                  "debug the pod that keeps restarting.",
        "keywords": "kubectl describe, kubectl logs --previous, liveness probe, readiness probe, "
                    "OOMKilled, exit code 137, resource limits, ConfigMap, secrets, image tag.",
        "fluent_wrong": "CrashLoopBackOff always means the Kubernetes node is broken, so the "
                        "first thing I do is reboot the node. Logs are useless for this because "
                        "the container never starts, so I skip them. I also delete the liveness "
                        "and readiness probes, since probes are what cause restarts, and I "
                        "remove the memory limits entirely so the pod can never run out.",
        "negation": "I would not look at the pod events and I would not read the logs. Probes "
                    "and resource limits never cause restarts, so I would not check them, and "
                    "the configuration and image tag do not matter.",
    },
    "fe-04": {
        "parrot": "How do I make a web application accessible? I make a web application "
                  "accessible by making the web application accessible.",
        "keywords": "Semantic HTML, ARIA, alt text, keyboard navigation, focus, colour contrast, "
                    "WCAG, screen reader, axe, Lighthouse.",
        "fluent_wrong": "Accessibility is mostly handled by the browser, so I build everything "
                        "with div elements and click handlers, which screen readers understand "
                        "perfectly. Keyboard support is not needed because everyone uses a "
                        "mouse or a touch screen. Images do not need alt text if they look "
                        "nice, and colour alone is the clearest way to show errors.",
        "negation": "I do not use semantic HTML and I do not make it work with the keyboard. "
                    "Images do not need alt text and I never check colour contrast. I would "
                    "not test with a screen reader or any tool.",
    },
}

#: An empty situation-task-action-result template: the shape of an answer with nothing in it.
STAR_TEMPLATE = ("Situation: there was a difficult situation at work. Task: my task was to "
                 "solve the problem. Action: I took action and worked hard with the team. "
                 "Result: the result was very positive and everyone was happy.")

#: Concise, correct answers (two or three sentences) and long answers padded around a thin one.
CONCISE = {
    "be-01": "I'd find it in pg_stat_statements, run EXPLAIN ANALYZE to see the plan, and if "
             "it's a sequential scan on the filter column I add an index and compare the "
             "timings.",
    "bh-02": "I once shipped a migration that locked a table and slowed checkout; I owned it, "
             "rolled it back within minutes, and then added a staging test with production-size "
             "data so it can't happen again. The lesson: test risky changes at real scale.",
    "do-01": "I read the events with kubectl describe pod and the last crash with kubectl logs "
             "--previous. Exit code 137 means OOMKilled, so I compare memory with the limits; "
             "otherwise I check the probes and the config and secrets it needs.",
    "fe-04": "I use semantic HTML with labels and alt text, make everything work from the "
             "keyboard with visible focus, keep colour contrast at WCAG AA, and test with a "
             "screen reader and axe.",
}
PADDING = ("That is a really good question and it is something I have thought about a lot over "
           "the years in many different teams and companies. In my experience it always "
           "depends on the situation, the team, the context and the goals of the project, and "
           "I think it is very important to keep all of that in mind. ")


def main() -> None:
    labelled = json.loads((DATA / "labelled_answers.json").read_text())["cases"]
    answers = {(c["q"], c["label"]): c["answer"] for c in labelled}
    attempts = json.loads((DATA / "manipulation.json").read_text())["attempts"]
    cases = []
    for q, texts in TEXTS.items():
        honest, thin = answers[(q, "excellent")], answers[(q, "thin")]

        def add(kind: str, gamed: str, baseline: str, q: str = q, honest: str = honest) -> None:
            cases.append({"id": f"{q}-{kind}", "kind": kind, "q": q, "gamed": gamed,
                          "baseline": baseline, "honest": honest})

        add("parrot", f"{thin} {texts['parrot']}", thin)
        add("keywords", f"{thin} {texts['keywords']}", thin)
        add("star_template", f"{STAR_TEMPLATE} {thin}", thin)
        add("fluent_wrong", texts["fluent_wrong"], thin)
        add("negation", texts["negation"], thin)
    for base_q, label in (("be-01", "thin"), ("be-01", "adequate")):
        base = answers[(base_q, label)]
        for attempt in attempts:
            text = attempt["text"]
            gamed = (f"{text} {base}" if attempt["where"] == "prepend" else f"{base} {text}")
            cases.append({"id": f"{base_q}-{label}-{attempt['id']}", "kind": "injection",
                          "q": base_q, "gamed": gamed, "baseline": base,
                          "honest": answers[(base_q, "excellent")]})
    fairness = [{"q": q, "concise": CONCISE[q],
                 "padded": f"{PADDING * 3}{answers[(q, 'thin')]} {PADDING * 2}".strip()}
                for q in CONCISE]
    (DATA / "gaming.json").write_text(json.dumps({
        "about": __doc__.splitlines()[0].split(": ", 1)[1],
        "cases": cases,
        "length_fairness": fairness,
    }, indent=1) + "\n")
    print(f"{len(cases)} gaming cases, {len(fairness)} length-fairness pairs")


if __name__ == "__main__":
    main()
