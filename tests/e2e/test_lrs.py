"""Ralph, the LRS the player talks to, behaves as the outbox expects once its file backend is fixed."""

import copy
import uuid

import pytest

from lrs import Ralph


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


def test_a_resend_is_safe_and_a_different_statement_with_a_known_id_conflicts(ralph):
    sent = statement(n=4)
    assert ralph.post([sent]).status_code == 200
    assert ralph.post([sent]).status_code == 204, "an identical resend is accepted, not duplicated"
    changed = copy.deepcopy(sent)
    changed["object"]["id"] += "-autre"
    assert ralph.post([changed]).status_code == 409
    assert sum(1 for s in ralph.statements(limit=100) if s["id"] == sent["id"]) == 1
