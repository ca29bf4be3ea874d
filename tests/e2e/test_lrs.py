"""Ralph, the LRS the player talks to, behaves as the outbox expects once its file backend is fixed."""

import copy
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from lrs import Ralph, free_port

ROOT = Path(__file__).resolve().parents[2]


def statement(verb="experienced", n=0):
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "https://parcours.example.org", "name": "learner"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": f"https://parcours.example.org/courses/demo/lessons/l{n}"},
        "timestamp": "2026-11-28T10:00:00.000Z",
    }


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    lrs = Ralph(tmp_path_factory.mktemp("ralph")).start()
    yield lrs
    lrs.stop()


def test_consecutive_batches_are_stored_with_the_fix(ralph):
    first, second = [statement(n=1), statement(n=2)], [statement(n=3)]
    answer = ralph.post(first)
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()) == sorted(s["id"] for s in first)
    # Without scripts/ralph_fs_fix.py, this second write answers 500.
    answer = ralph.post(second)
    assert answer.status_code == 200, answer.text
    stored = {s["id"] for s in ralph.statements(limit=100)}
    assert {s["id"] for s in first + second} <= stored


def test_verb_and_activity_filters_match_with_the_fix(ralph):
    completed, other = statement(verb="completed", n=7), statement(n=8)
    assert ralph.post([completed, other]).status_code == 200
    # Without the second fix of scripts/ralph_fs_fix.py, both queries find nothing.
    by_verb = {s["id"] for s in ralph.statements(verb="http://adlnet.gov/expapi/verbs/completed")}
    assert completed["id"] in by_verb and other["id"] not in by_verb
    by_activity = {s["id"] for s in ralph.statements(activity=other["object"]["id"])}
    assert by_activity == {other["id"]}


def test_a_resend_is_safe_and_a_different_statement_with_a_known_id_conflicts(ralph):
    sent = statement(n=4)
    assert ralph.post([sent]).status_code == 200
    assert ralph.post([sent]).status_code == 204, "an identical resend is accepted, not duplicated"
    changed = copy.deepcopy(sent)
    changed["object"]["id"] += "-autre"
    assert ralph.post([changed]).status_code == 409
    assert sum(1 for s in ralph.statements(limit=100) if s["id"] == sent["id"]) == 1


@pytest.fixture
def gate(ralph, tmp_path):
    """The `/xapi/` proxy of `make run` (scripts/xapi_gate.py) in front of Ralph, as run.sh starts it."""
    auth_file = tmp_path / "gate-auth"
    auth_file.write_text(":".join(ralph.auth) + "\n")
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "xapi_gate.py"), "--port", str(port),
                                "--lrs", f"{ralph.url}/xAPI/", "--auth-file", str(auth_file)])
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_the_xapi_proxy_forwards_only_statement_posts_and_the_lrs_about(ralph, gate):
    headers = {"X-Experience-API-Version": "1.0.3"}
    kept = statement(n=5)
    answer = requests.post(f"{gate}/xapi/statements", json=[kept], headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    assert kept["id"] in {s["id"] for s in ralph.statements(limit=100)}

    # Anonymous reads of the learners' records, through the proxy's credentials: refused.
    for path in ["/xapi/statements", f"/xapi/statements?statementId={kept['id']}", "/xapi/statements?limit=1"]:
        answer = requests.get(gate + path, headers=headers, timeout=30)
        assert answer.status_code == 405, (path, answer.status_code)
        assert kept["id"] not in answer.text
    forged = statement(n=6)
    refused = {
        ("PUT", f"/xapi/statements?statementId={forged['id']}"): 405,
        ("DELETE", "/xapi/statements"): 405,
        ("POST", "/xapi/statements?method=GET"): 403,
        ("POST", "/xapi/activities/state?stateId=x"): 403,
        ("GET", "/xapi/about?format=exact"): 403,
        ("POST", "/xapi/about"): 403,
        ("POST", "/xapi/../xAPI/statements"): 403,
    }
    for (method, path), status in refused.items():
        answer = requests.request(method, gate + path, json=forged, headers=headers, timeout=30)
        assert answer.status_code == status, (method, path, answer.status_code, answer.text)
    too_big = requests.post(f"{gate}/xapi/statements", data=b"[" + b" " * 1_000_001 + b"]",
                            headers={**headers, "Content-Type": "application/json"}, timeout=30)
    assert too_big.status_code == 413
    assert forged["id"] not in {s["id"] for s in ralph.statements(limit=100)}
    # The one read that goes through: the LRS's `about`, without the credentials (Ralph 5.1 has
    # none and answers its own 404; the player then speaks 1.0.3).
    about = requests.get(f"{gate}/xapi/about", headers=headers, timeout=30)
    assert about.status_code == 404 and about.json() == {"detail": "Not Found"}, about.text
