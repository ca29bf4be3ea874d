"""xAPI end to end: Chromium plays the demo course, the player's statements go through the
site's `/xapi/` proxy to a real Ralph, and every one arrives exactly once, in order, through
outages, reloads and an LRS that misbehaves."""

import base64
import json
import time
from collections import Counter

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement
from selenium.webdriver.common.by import By

from conftest import Site, copy_site
from lrs import LrsFront, Ralph
from test_courses import answer_and_check, course_json, lessons_of, pass_assessment, practice_questions
from test_a11y import violations
from test_player import heading, wait
from test_progress import reach_end, ticked

ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def ralph(tmp_path):
    lrs = Ralph(tmp_path / "ralph").start()
    yield lrs
    lrs.stop()


@pytest.fixture
def lrs_site(tmp_path, ralph):
    served = Site(copy_site(tmp_path / "site"), lrs=ralph)
    yield served
    served.close()


@pytest.fixture(scope="module")
def demo():
    return course_json("demo")


def spa_go(browser, href):
    """Follows a link inside the app, as a click does (no page load, the session goes on)."""
    browser.execute_script(
        "const a = document.createElement('a'); a.href = arguments[0]; document.body.appendChild(a); a.click(); a.remove();",
        href)


def waiting(browser):
    """How many statements wait in the outbox (every tab's)."""
    return browser.execute_script(
        "return Object.keys(localStorage).filter(k => k.startsWith('parcours:xapi:queue:')).length")


def drained(browser, timeout=90):
    """Waits (bounded) until the outbox is empty."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if waiting(browser) == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"{waiting(browser)} statements still waiting after {timeout} s")


def sent_statements(site):
    """Every statement the player POSTed, in the order sent (resends included)."""
    return [s for method, _, body in site.handler.requests_log if method == "POST" for s in json.loads(body)]


def verb(statement):
    return statement["verb"]["id"].removeprefix(ADL)


def summary(statements):
    return [(verb(s), s["object"]["id"]) for s in statements]


def do_lesson(browser, site, course, lesson, done):
    spa_go(browser, f"/learn/demo/{lesson['id']}")
    heading(browser, lesson["title"])
    for question in practice_questions(lesson):
        answer_and_check(browser, question)
    reach_end(browser)
    wait(browser).until(lambda b: len(ticked(b)) >= done)


def play_to_the_end(browser, site, course):
    """From the course page: every lesson done, then the assessment passed (every answer right)."""
    for done, lesson in enumerate(lessons_of(course), start=1):
        do_lesson(browser, site, course, lesson, done)
    assessment = course["assessments"][0]
    spa_go(browser, f"/learn/{course['slug']}/assessment/{assessment['id']}")
    pass_assessment(browser, None, course, assessment, navigate=False)


def expected_run(course, lessons):
    """The statements one session through `lessons` (then the assessment and leaving) must give."""
    base = course["id"]
    expected = [("initialized", base)]
    module_ends = {m["lessons"][-1]["id"] for m in course["modules"]}
    for lesson in lessons:
        expected.append(("experienced", f"{base}/lessons/{lesson['id']}"))
        expected += [("answered", f"{base}/questions/{q['id']}") for q in practice_questions(lesson)]
        if lesson["id"] in module_ends:
            expected.append(("progressed", base))
    return expected


def test_a_full_run_reaches_ralph_exactly_once_in_order_and_valid(browser, lrs_site, ralph, demo):
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    play_to_the_end(browser, lrs_site.url, demo)
    spa_go(browser, "/")
    heading(browser, "Catalogue des parcours")
    drained(browser)

    base, lessons, assessment = demo["id"], lessons_of(demo), demo["assessments"][0]
    # completed comes with the last module's progress, before the assessment.
    expected = expected_run(demo, lessons) + [("completed", base)]
    expected += [("answered", f"{base}/questions/{item['question']['id']}") for item in assessment["items"]]
    expected += [("passed", f"{base}/assessments/{assessment['id']}"), ("terminated", base)]

    stored = ralph.statements(limit=500)
    assert summary(stored) == expected
    assert len({s["id"] for s in stored}) == len(stored), "no duplicates"

    sent = sent_statements(lrs_site)
    for statement in sent:
        BaseXapiStatement(**statement)  # Ralph's strict xAPI 1.0.3 model, independent of ours
    registration = {s["context"]["registration"] for s in sent}
    assert len(registration) == 1
    assert [s["timestamp"] for s in sent] == sorted(s["timestamp"] for s in sent)
    completed = [s for s in sent if verb(s) == "completed"]
    assert len(completed) == 1 and completed[0]["result"]["completion"] is True
    passed = next(s for s in sent if verb(s) == "passed")
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 5.0, "min": 0.0, "max": 5.0}
    assert passed["result"]["success"] is True and passed["result"]["duration"].startswith("PT")
    assert sent[-1]["result"]["duration"].startswith("PT")
    posts = [r for r in lrs_site.handler.requests_log if r[0] == "POST"]
    print(f"\nfull run: {len(stored)} statements in {len(posts)} requests")


def test_an_outage_and_a_reload_lose_and_duplicate_nothing(browser, lrs_site, ralph, demo):
    lessons = lessons_of(demo)
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    do_lesson(browser, lrs_site.url, demo, lessons[0], 1)
    do_lesson(browser, lrs_site.url, demo, lessons[1], 2)
    drained(browser)

    ralph.stop()
    do_lesson(browser, lrs_site.url, demo, lessons[2], 3)
    # The learner is told nothing of a short outage: the records wait, without a word.
    wait(browser).until(lambda b: waiting(b) > 0)
    assert browser.find_element(By.CSS_SELECTOR, ".tracking-status").text == ""
    browser.refresh()  # while Ralph is down: terminated waits, a new session begins
    heading(browser, lessons[2]["title"])
    do_lesson(browser, lrs_site.url, demo, lessons[3], 4)
    assert waiting(browser) > 0
    ralph.start()
    spa_go(browser, "/")
    heading(browser, "Catalogue des parcours")
    drained(browser, timeout=150)

    base = demo["id"]
    first = expected_run(demo, lessons[:2])
    second = [("experienced", f"{base}/lessons/{lessons[2]['id']}")] \
        + [("answered", f"{base}/questions/{q['id']}") for q in practice_questions(lessons[2])] \
        + [("terminated", base), ("initialized", base)]
    third = expected_run(demo, [lessons[3]])[1:] + [("terminated", base)]
    stored = ralph.statements(limit=500)
    assert summary(stored) == first + second + third
    assert len({s["id"] for s in stored}) == len(stored)


class Fault:
    """Makes the `/xapi/` proxy answer like a broken LRS; `hits` counts the requests it spoiled."""

    def __init__(self, mode, bad_object=None):
        self.mode, self.bad_object = mode, bad_object
        self.hits = 0

    def answer(self, handler, body):
        if self.mode == "slow":
            self.hits += 1
            time.sleep(10)
            return False
        if self.mode == "reject":
            objects = [s["object"]["id"] for s in json.loads(body or b"[]")]
            if self.bad_object in objects:
                self.hits += 1
                handler.reply(400, json.dumps({"detail": f"invalid statement about {self.bad_object}"}).encode())
                return True
            return False
        self.hits += 1
        status, text, content_type = {
            "500": (500, b"Internal Server Error", "text/plain"),
            "401": (401, b'{"detail":"Invalid credentials"}', "application/json"),
            # A captive portal (hotel or station Wi-Fi) answers 200 with its login page.
            "captive-portal": (200, b"<!doctype html><title>Wi-Fi</title><h1>Portail captif</h1>", "text/html"),
            # A proxy that answers 200 with JSON that is not an LRS's list of ids.
            "wrong-json": (200, b'{"status": "ok"}', "application/json"),
        }[self.mode]
        handler.reply(status, text, content_type)
        return True


def outbox_state(browser):
    """The outbox's stored state (failures, refusal, counts), as the player keeps it."""
    return json.loads(browser.execute_script("return localStorage.getItem('parcours:xapi:state')") or "{}")


def lesson_statements(course, lesson):
    """What finishing `lesson` alone sends (its progressed too, when it ends a module)."""
    return expected_run(course, [lesson])[1:]


def assert_ralph_holds(ralph, expected, phase):
    """Ralph holds exactly `expected` (verb, object) pairs, each as many times as listed: nothing
    lost, nothing twice."""
    stored = Counter(summary(ralph.statements(limit=500)))
    assert stored == Counter(expected), f"after {phase}: missing {Counter(expected) - stored}, extra {stored - Counter(expected)}"


def test_a_misbehaving_lrs_never_stops_the_learner_nor_loses_anything(browser, lrs_site, ralph, demo):
    lessons = lessons_of(demo)
    base = demo["id"]
    handler = lrs_site.handler
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    drained(browser)
    expected = [("initialized", base)]
    assert_ralph_holds(ralph, expected, "the start")

    # Answers that are not an LRS's: an error, then (for the next lesson) a captive portal's page
    # and a stranger's JSON, both with 200. Nothing is counted as sent while they last (each is
    # seen to be hit); everything arrives, once, afterwards.
    for done, modes in enumerate((["500"], ["captive-portal", "wrong-json"]), start=1):
        lesson = lessons[done - 1]
        for step, mode in enumerate(modes):
            fault = handler.fault = Fault(mode)
            if step == 0:
                do_lesson(browser, lrs_site.url, demo, lesson, done)
            wait(browser).until(lambda b: fault.hits > 0)
            wait(browser).until(lambda b: (outbox_state(b).get("failing_since") or 0) > 0)
            assert waiting(browser) > 0, f"{mode}: the statements are kept"
            assert_ralph_holds(ralph, expected, mode)
        handler.fault = None
        drained(browser)
        expected += lesson_statements(demo, lesson)
        assert_ralph_holds(ralph, expected, "+".join(modes))

    # Credentials refused (401), then mended on the server: the waiting statements leave by
    # themselves at the next scheduled retry, without a reload or anything for the learner to do.
    fault = handler.fault = Fault("401")
    do_lesson(browser, lrs_site.url, demo, lessons[2], 3)
    wait(browser).until(lambda b: outbox_state(b).get("paused") == 401)
    assert browser.find_element(By.CSS_SELECTOR, ".tracking-status").text == "", "nothing for the learner to do yet"
    spa_go(browser, "/learn/demo?details")  # the technical details say it, for whoever looks
    heading(browser, demo["title"])
    details = browser.find_element(By.CSS_SELECTOR, ".tracking-panel .tracking-details").get_attribute("textContent")
    assert "HTTP 401" in details and "renvoyés régulièrement" in details, details
    assert fault.hits > 0 and waiting(browser) > 0
    handler.fault = None
    loaded_at = browser.execute_script("return performance.timeOrigin")
    drained(browser)
    assert browser.execute_script("return performance.timeOrigin") == loaded_at, "the same page, not reloaded"
    expected += lesson_statements(demo, lessons[2])
    assert_ralph_holds(ralph, expected, "401")

    exercise = lessons[3]
    bad = ("answered", f"{base}/questions/{practice_questions(exercise)[0]['id']}")
    fault = handler.fault = Fault("reject", bad[1])
    do_lesson(browser, lrs_site.url, demo, exercise, 4)
    drained(browser)
    assert fault.hits > 0, "the LRS was asked to store the statement it rejects"
    expected += [item for item in lesson_statements(demo, exercise) if item != bad]
    assert_ralph_holds(ralph, expected, "a 400 for one statement")

    # A slow LRS (10 s an answer): the learner goes on at the usual pace (printed, not asserted:
    # the machine's load is the other variable), and nothing is sent twice.
    fault = handler.fault = Fault("slow")
    started = time.monotonic()
    do_lesson(browser, lrs_site.url, demo, lessons[4], 5)
    print(f"\na lesson with a 10 s LRS took {time.monotonic() - started:.1f} s")
    wait(browser).until(lambda b: fault.hits > 0)
    handler.fault = None
    drained(browser)
    expected += lesson_statements(demo, lessons[4]) + [("completed", base)]  # every lesson is done
    assert_ralph_holds(ralph, expected, "a slow LRS")

    stored = ralph.statements(limit=500)
    assert len({s["id"] for s in stored}) == len(stored), "no duplicates"
    spa_go(browser, "/learn/demo?details")
    heading(browser, demo["title"])
    browser.find_element(By.CSS_SELECTOR, ".tracking-panel summary").click()
    rejected = browser.find_element(By.CSS_SELECTOR, ".statement-list[data-state=rejected]").text
    assert "HTTP 400" in rejected and "invalid statement about" in rejected


@pytest.mark.parametrize("content, message, detail", [
    (None, "config.json est introuvable", None),
    ('{"lrs": {"endpont": "/xapi/"}}', "config.json est incorrect", "config.json:1:"),
    # The page's security policy would block it: refused where it is written, not retried forever.
    ('{"lrs": {"endpoint": "http://lrs.example.gouv.fr/xAPI/"}}', "config.json est incorrect", "security policy"),
], ids=["missing", "misspelt", "http-lrs"])
def test_a_missing_or_broken_config_turns_tracking_off_not_learning(browser, tmp_path, demo, content, message,
                                                                    detail):
    root = copy_site(tmp_path / "site")
    if content is None:
        (root / "config.json").unlink()
    else:
        (root / "config.json").write_text(content)
    served = Site(root)
    try:
        browser.get(f"{served.url}/learn/demo?details")
        heading(browser, demo["title"])
        browser.find_element(By.CSS_SELECTOR, ".tracking-panel summary").click()
        config = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".tracking-config").text)
        assert message in config
        if detail:
            assert detail in config, config
        do_lesson(browser, served.url, demo, lessons_of(demo)[0], 1)
        assert waiting(browser) >= 2, "statements are kept"
        assert not [r for r in served.handler.requests_log if r[0] == "POST"], "nothing is sent"
    finally:
        served.close()


def test_two_tabs_never_send_the_same_statement_twice(browser, lrs_site, ralph, demo):
    lessons = lessons_of(demo)
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    for done, lesson in enumerate(lessons[:3], start=1):
        browser.switch_to.window(first if done % 2 else browser.window_handles[1])
        do_lesson(browser, lrs_site.url, demo, lesson, done)
    drained(browser)

    posted = [s["id"] for s in sent_statements(lrs_site)]
    assert len(posted) == len(set(posted)), "each statement was POSTed by one tab, once"
    stored = summary(ralph.statements(limit=500))
    assert stored.count(("initialized", demo["id"])) == 2, "one session per tab"
    for lesson in lessons[:3]:
        assert stored.count(("experienced", f"{demo['id']}/lessons/{lesson['id']}")) == 1


def test_a_deployment_that_wants_e_mails_sends_nothing_before_one_is_given(browser, tmp_path, ralph, demo):
    root = copy_site(tmp_path / "site")
    (root / "config.json").write_text(json.dumps(
        {"lrs": {"endpoint": "/xapi/"}, "actor": {"home-page": "https://campus.example.org", "identify-by": "mbox"}}))
    served = Site(root, lrs=ralph)
    try:
        browser.get(f"{served.url}/learn/demo")
        heading(browser, demo["title"])
        do_lesson(browser, served.url, demo, lessons_of(demo)[0], 1)
        spa_go(browser, "/learn/demo")
        field = wait(browser).until(lambda b: b.find_element(By.ID, "learner-email"))
        field.send_keys("pas une adresse")
        browser.find_element(By.CSS_SELECTOR, ".email-form button").click()
        assert "n’est pas valide" in wait(browser).until(lambda b: b.find_element(By.ID, "email-error").text)
        assert not [r for r in served.handler.requests_log if r[0] == "POST"], "nothing sent without an e-mail"
        field.clear()
        field.send_keys("camille.martin@finances.gouv.fr")
        browser.find_element(By.CSS_SELECTOR, ".email-form button").click()
        drained(browser)
        stored = ralph.statements(limit=500)
        assert stored and all(s["actor"].get("mbox") == "mailto:camille.martin@finances.gouv.fr" for s in stored)
        assert all("account" not in s["actor"] for s in stored)
        assert not browser.find_elements(By.ID, "learner-email"), "asked once"
    finally:
        served.close()


def network(browser, online):
    """Cuts or restores the page's network, as DevTools' "Offline" does."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions",
                            {"offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


# Records every change of the app's live region for the learner's notice.
ANNOUNCEMENTS = """
window.__announced = [];
const region = document.getElementById("tracking-announcer");
new MutationObserver(() => window.__announced.push(region.textContent))
  .observe(region, {childList: true, subtree: true, characterData: true});
"""


def test_offline_the_course_reopens_and_works_and_records_leave_when_the_network_is_back(browser, lrs_site, ralph, demo):
    lessons = lessons_of(demo)
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    wait(browser).until(lambda b: b.execute_script("return !!navigator.serviceWorker.controller"))
    do_lesson(browser, lrs_site.url, demo, lessons[0], 1)
    drained(browser)

    try:
        network(browser, online=False)
        lrs_site.close()  # and the site itself is gone: only the service worker's cache is left
        browser.refresh()
        heading(browser, lessons[0]["title"])
        # One calm sentence, in the banner and in the one live region; then pages and checks go
        # by without a word more for screen readers.
        offline = "Vous êtes hors ligne : votre progression est enregistrée sur cet appareil."
        assert browser.find_element(By.CSS_SELECTOR, ".tracking-status").text == offline
        announcer = browser.find_element(By.ID, "tracking-announcer")
        assert announcer.get_attribute("textContent") == offline and announcer.get_attribute("aria-live") == "polite"
        browser.execute_script(ANNOUNCEMENTS)
        do_lesson(browser, lrs_site.url, demo, lessons[3], 2)  # a lesson with questions, never opened
        assert browser.execute_script("return window.__announced") == [], "nothing announced again"
        assert announcer.get_attribute("textContent") == offline
        assert waiting(browser) > 0
        assert not violations(browser), "the notice passes axe"
    finally:
        lrs_site.start()
        network(browser, online=True)
    drained(browser)

    base = demo["id"]
    stored = summary(ralph.statements(limit=500))
    assert len(stored) == len(set(s["id"] for s in ralph.statements(limit=500)))
    assert stored.count(("experienced", f"{base}/lessons/{lessons[3]['id']}")) == 1
    for question in practice_questions(lessons[3]):
        assert stored.count(("answered", f"{base}/questions/{question['id']}")) == 1


def test_an_attempt_resumed_after_a_browser_restart_reaches_ralph_once(lrs_site, ralph, demo, tmp_path):
    """Two answers given, then the browser is closed; reopened with its profile, the attempt is
    resumed and finished: Ralph holds each question's `answered` once and one `passed`, for
    the one attempt."""
    from conftest import new_driver
    from test_assessment import answer_through_to_results, answer_two_then_move_to_the_third, button, step

    base = demo["id"]
    [assessment] = demo["assessments"]
    page = f"{lrs_site.url}/learn/demo/assessment/{assessment['id']}"
    profile = tmp_path / "profile"
    browser = new_driver(profile)
    try:
        browser.get(page)
        heading(browser, assessment["title"])
        answer_two_then_move_to_the_third(browser)
        drained(browser)
    finally:
        browser.quit()
    assert not [s for s in summary(ralph.statements(limit=500)) if s[0] in ("answered", "passed", "failed")], \
        "nothing about the attempt is sent before it is finished"

    browser = new_driver(profile)
    try:
        browser.get(page)
        heading(browser, assessment["title"])
        assert "Tentatives utilisées : 0 sur 2" in browser.find_element(By.CSS_SELECTOR, ".facts").text
        button(browser, "Reprendre l’évaluation (question 3 sur 5)").click()
        assert step(browser) == "Question 3 sur 5"
        for _ in range(2):
            button(browser, "Précédent").click()
        results = answer_through_to_results(browser, answered_already=2)
        assert "Score : 5 sur 5 (100 %)" in results, "the two answers given before the restart count"
        drained(browser)
    finally:
        browser.quit()

    stored = Counter(summary(ralph.statements(limit=500)))
    for item in assessment["items"]:
        assert stored[("answered", f"{base}/questions/{item['question']['id']}")] == 1, item["question"]["id"]
    assert stored[("passed", f"{base}/assessments/{assessment['id']}")] == 1
    assert stored[("failed", f"{base}/assessments/{assessment['id']}")] == 0


@pytest.mark.parametrize("answers_cors", [True, False], ids=["lrs-answers-cors", "lrs-without-cors"])
def test_an_lrs_on_another_origin_gets_the_statements_only_if_it_answers_cors(browser, tmp_path, ralph, demo,
                                                                              answers_cors):
    """config.json may name the LRS itself (another origin, which then holds credentials the
    learner can read: docs/learning-records.md). The browser asks it first (a CORS preflight):
    an LRS that answers gets every statement; one that does not gets none, and they wait."""
    root = copy_site(tmp_path / "site")
    served = Site(root)
    front = LrsFront(ralph, cors_origin=served.url if answers_cors else None)
    user, password = ralph.auth
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    (root / "config.json").write_text(json.dumps(
        {"lrs": {"endpoint": f"{front.url}/xAPI/", "authorization": f"Basic {token}"}}))
    try:
        lesson = lessons_of(demo)[0]
        browser.get(f"{served.url}/learn/demo")
        heading(browser, demo["title"])
        do_lesson(browser, served.url, demo, lesson, 1)
        assert front.preflights > 0, "the browser asked the LRS first"
        if answers_cors:
            drained(browser)
            assert_ralph_holds(ralph, [("initialized", demo["id"])] + lesson_statements(demo, lesson), "CORS")
        else:
            time.sleep(3)
            assert waiting(browser) >= 2, "the statements are kept"
            assert ralph.statements(limit=10) == [], "the browser sent nothing past the preflight"
    finally:
        front.close()
        served.close()
