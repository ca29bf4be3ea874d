"""Any conformant LRS: beside Ralph 5.1 (xAPI 1.0.3, file backend), xapi-rs 0.2.0, an LRS that
speaks only xAPI 2.0, on PostgreSQL. The player plays the demo course against xapi-rs through the
site's proxy (it reads the LRS's `about` and speaks 2.0.0), and `parcours report` gives the same
figures from both LRSs, plain, `--since` and `--cache` run twice.

xapi-rs 0.2.0 refuses a score whose `raw` equals its `max` ("raw is out-of-bounds": its score
check leaves the upper bound out, where xAPI includes it). Every right answer and every perfect
score is such a score: the outbox sets each one aside after its 400 and sends the rest, and the
tests check that exactly those are set aside (docs/learning-records.md says so to operators)."""

import json
import os
import subprocess
from datetime import datetime, timedelta

from selenium.webdriver.common.by import By

from campus import generate
from conftest import ROOT, Site, copy_site
from lrs import Ralph
from test_courses import course_json, lessons_of
from test_player import heading
from test_report import rate
from test_xapi import drained, expected_run, outbox_state, play_to_the_end, sent_statements, spa_go, summary

BINARY = ROOT / "target" / "release" / "parcours"
OUT_OF_BOUNDS = "raw is out-of-bounds"


def report(lrs, *args):
    """`parcours report` against `lrs`: (figures as JSON, what it said on stderr)."""
    user, password = lrs.auth
    env = dict(os.environ, PARCOURS_LRS_USERNAME=user, PARCOURS_LRS_PASSWORD=password)
    done = subprocess.run([str(BINARY), "report", "--endpoint", lrs.endpoint, "--json", *args], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def score_at_its_maximum(statement):
    score = statement.get("result", {}).get("score", {})
    return "raw" in score and "max" in score and score["raw"] == score["max"]


def differences(a, b, at=""):
    """Where two reports differ (paths and values), for the assertion's message."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for key in sorted(set(a) | set(b)) for d in differences(a.get(key), b.get(key), f"{at}/{key}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{at}/{i}")]
    return [] if a == b else [(at, a, b)]


def load(lrs, statements, batch=500):
    for start in range(0, len(statements), batch):
        answer = lrs.post(statements[start:start + batch], timeout=300)
        assert answer.status_code == 200, answer.text[:500]


def test_the_player_speaks_xapi_2_to_xapi_rs_and_its_figures_match_ralphs(browser, tmp_path, xapi_rs):
    demo = course_json("demo")
    site = Site(copy_site(tmp_path / "site"), lrs=xapi_rs)
    try:
        browser.get(f"{site.url}/learn/demo")
        heading(browser, demo["title"])
        play_to_the_end(browser, site.url, demo)
        spa_go(browser, "/learn/demo")
        heading(browser, demo["title"])
        rate(browser, 4, "Utile.")
        spa_go(browser, "/")
        heading(browser, "Catalogue des parcours")
        drained(browser)
        sent = {s["id"]: s for s in sent_statements(site)}
        rejected = outbox_state(browser).get("rejected", [])
    finally:
        site.close()

    # xapi-rs takes only 2.0.0 (anything else gets a bare 400): the player read its `about`.
    assert any(method == "GET" and path == "/xapi/about" for method, path, _ in site.handler.requests_log)
    base, lessons, assessment = demo["id"], lessons_of(demo), demo["assessments"][0]
    journey = expected_run(demo, lessons) + [("completed", base)]
    journey += [("answered", f"{base}/questions/{item['question']['id']}") for item in assessment["items"]]
    journey += [("passed", f"{base}/assessments/{assessment['id']}"), ("http://id.tincanapi.com/verb/rated", base),
                ("terminated", base)]
    assert sorted(summary(sent.values())) == sorted(journey), "the player made the whole journey's statements"

    # What xapi-rs refused is exactly its own defect's share, set aside with its words; the queue
    # went on past each one (the last statement, `terminated`, arrived).
    at_maximum = {i for i, s in sent.items() if score_at_its_maximum(s)}
    assert at_maximum, "right answers and a perfect score were sent"
    assert {r["statement"]["id"] for r in rejected} == at_maximum
    assert all(r["status"] == 400 and OUT_OF_BOUNDS in r["answer"] for r in rejected), rejected
    stored = xapi_rs.statements(limit=100)
    assert sorted(s["id"] for s in stored) == sorted(set(sent) - at_maximum), "everything else, once"
    assert ("terminated", base) in summary(stored), "the session's end arrived after every refusal"

    # The same statements in Ralph: the report reads the same figures from both.
    ralph = Ralph(tmp_path / "ralph").start()
    try:
        load(ralph, [sent[i] for i in sorted(set(sent) - at_maximum)])
        from_ralph, _ = report(ralph, "--course", base)
        from_xapi_rs, _ = report(xapi_rs, "--course", base)
    finally:
        ralph.stop()
    assert from_xapi_rs == from_ralph
    [course] = from_xapi_rs["courses"]
    assert (course["total"]["learners"], course["total"]["completed"]) == (1, 1)
    assert (course["total"]["satisfaction_mean"], course["total"]["satisfaction_answers"]) == (4.0, 1)


def test_the_report_gives_the_same_figures_from_ralph_and_from_xapi_rs(tmp_path, xapi_rs):
    """A simulated campus loaded into both LRSs, then more of it, recorded and stored after the
    last statement xapi-rs stored: `--since` that instant means the same on both (Ralph's file
    backend compares it with `timestamp`, xapi-rs with `stored` to the second, sending back what it
    stored earlier in that second: the report leaves that out)."""
    ralph = Ralph(tmp_path / "ralph").start()
    try:
        earlier, learners = generate(1500, seed=7)
        refused = [s for s in earlier if score_at_its_maximum(s)]
        assert refused, "the campus has perfect scores and top ratings"
        for statement in refused[:3]:
            answer = xapi_rs.post([statement])
            assert answer.status_code == 400 and OUT_OF_BOUNDS in answer.text, answer.text
        earlier = [s for s in earlier if not score_at_its_maximum(s)]
        for lrs in (ralph, xapi_rs):
            load(lrs, earlier)
        first = {}
        for lrs in (ralph, xapi_rs):
            first[lrs.version], _ = report(lrs)
            report(lrs, "--cache", str(tmp_path / f"cache-{lrs.version}.json"))
        assert first["2.0.0"] == first["1.0.3"], differences(first["1.0.3"], first["2.0.0"])
        assert first["2.0.0"]["statements_read"] == len(earlier)

        since = xapi_rs.newest()["stored"]
        boundary = datetime.fromisoformat(since.replace("Z", "+00:00"))
        later, _ = generate(600, seed=8, start=boundary + timedelta(seconds=1), days=0, first_learner=learners)
        later = [s for s in later if not score_at_its_maximum(s)]
        for lrs in (ralph, xapi_rs):
            load(lrs, later)
        sent_back = xapi_rs.statements(since=since, limit=100)
        assert len(sent_back) > len(later), "xapi-rs sends back what it stored earlier in the second of `since`"

        figures = {}
        for lrs in (ralph, xapi_rs):
            whole, _ = report(lrs)
            recent, _ = report(lrs, "--since", since)
            cached, said = report(lrs, "--cache", str(tmp_path / f"cache-{lrs.version}.json"))
            assert "counting from the start" not in said, said
            assert cached == whole, (lrs.version, differences(whole, cached))
            assert recent["statements_read"] == len(later), lrs.version
            figures[lrs.version] = (whole, recent)
        assert figures["2.0.0"] == figures["1.0.3"]
        whole = figures["2.0.0"][0]
        assert whole["statements_read"] == len(earlier) + len(later)
        total = whole["courses"][0]["total"]
        assert total["learners"] > 20 and total["passed"] > 0 and total["satisfaction_answers"] > 0, total
    finally:
        ralph.stop()
