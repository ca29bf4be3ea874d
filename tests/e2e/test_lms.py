"""Inside an LMS. SCORM 1.2: `parcours package --scorm12` checked as an LMS importer would check it,
then played in a frame of a page that runs scorm-again's SCORM 1.2 runtime (the runtime LMSs embed),
served from a plain static server under a deep path, as an LMS serves an imported package.
cmi5: `parcours package --cmi5` checked, then launched by a fixture LMS beside a real Ralph, after
the reference AU library @xapi/cmi5 was launched the same way, and compared with it."""

import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from urllib.parse import urlencode

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement
from selenium.webdriver.common.by import By

from cmi5_lms import FixtureLms, serve_folder
from conftest import ROOT
from lrs import Ralph
from test_authoring import parcours
from test_courses import answer_and_check, course_json, lessons_of, pass_assessment, practice_questions
from test_player import heading, link, wait
from test_progress import reach_end, ticked

SCORM_AGAIN = ROOT / ".tools" / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
IMSCP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
# Where the "LMS" serves the imported package (Moodle serves them under a path like this one).
PACKAGE_PATH = "pluginfile/12/mod_scorm/content/1"

# The LMS's page: a SCORM 1.2 API from scorm-again on `window.API`, the data model the LMS
# kept from the previous launch (sessionStorage here), then the package's index.html in a frame.
HOST_HTML = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>LMS</title>
<script src="/scorm12.js"></script>
<script>
  window.lmsCalls = [];
  window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
  for (const name of ["LMSInitialize", "LMSCommit", "LMSFinish"]) {
    API.on(name, () => lmsCalls.push(name));
  }
  const kept = sessionStorage.getItem("lms-cmi");
  API.loadFromJSON(kept ? JSON.parse(kept) : { core: { student_id: "marie", student_name: "Dupont, Marie" } });
  addEventListener("DOMContentLoaded", () => { document.getElementById("sco").src = "/PACKAGE/index.html"; });
</script></head>
<body><iframe id="sco" name="sco" title="Module" style="width:1200px;height:850px"></iframe></body></html>
""".replace("PACKAGE", PACKAGE_PATH)


def package_demo(tmp_path_factory, standard):
    """`parcours package courses/demo --<standard>`: the zip's path."""
    out = tmp_path_factory.mktemp("package") / f"demo-{standard}.zip"
    made = parcours("package", ROOT / "courses" / "demo", f"--{standard}", "-o", out)
    assert made.returncode == 0, made.stderr
    return out


@pytest.fixture(scope="module")
def scorm_package(tmp_path_factory):
    return package_demo(tmp_path_factory, "scorm12")


def test_the_scorm_package_is_complete_and_self_contained(scorm_package):
    with zipfile.ZipFile(scorm_package) as package:
        assert package.testzip() is None
        names = set(package.namelist())
        manifest = ET.fromstring(package.read("imsmanifest.xml"))
        index = package.read("index.html").decode()
        config = json.loads(package.read("config.json"))

    assert manifest.tag == f"{IMSCP}manifest"
    metadata = manifest.find(f"{IMSCP}metadata")
    assert (metadata.findtext(f"{IMSCP}schema"), metadata.findtext(f"{IMSCP}schemaversion")) == ("ADL SCORM", "1.2")
    organizations = manifest.find(f"{IMSCP}organizations")
    organization = next(o for o in organizations.findall(f"{IMSCP}organization")
                        if o.get("identifier") == organizations.get("default"))
    assert organization.findtext(f"{IMSCP}title") == "Découvrir Parcours"
    [item] = organization.findall(f"{IMSCP}item")
    assert item.findtext(f"{ADLCP}masteryscore") == "60", "the assessment's pass mark"
    resources = {r.get("identifier"): r for r in manifest.find(f"{IMSCP}resources").findall(f"{IMSCP}resource")}
    sco = resources[item.get("identifierref")]
    assert (sco.get(f"{ADLCP}scormtype"), sco.get("type"), sco.get("href")) == ("sco", "webcontent", "index.html")
    listed = {f.get("href") for f in sco.findall(f"{IMSCP}file")}
    assert listed == names - {"imsmanifest.xml"}, "every file is listed, and every listed file is there"
    assert {"index.html", "courses/demo/course.toml", "courses/demo/evaluation.gift", "courses/index.json"} <= listed
    assert any(n.endswith(".wasm") for n in names) and any(n.endswith(".js") for n in names)

    # Self-contained and relative: nothing from another host, nothing from the LMS's root.
    assert not re.findall(r"""(?:href|src)=["']/|import [^;]*from '/|https?://""", index), index
    assert '<meta name="parcours-course" content="demo">' in index
    assert "sw.js" not in names and config == {"lrs": None}


def lms_value(browser, element):
    """A value of the data model, read from the runtime as the LMS would store it."""
    browser.switch_to.default_content()
    value = browser.execute_script(f"return API.cmi.{element.removeprefix('cmi.')}")
    browser.switch_to.frame("sco")
    return value


def lms_calls(browser):
    browser.switch_to.default_content()
    calls = browser.execute_script("return lmsCalls")
    return calls


def test_a_run_in_an_lms_is_reported_to_its_scorm_runtime_and_resumed_from_it(browser, tmp_path, scorm_package):
    root = tmp_path / "lms"
    with zipfile.ZipFile(scorm_package) as package:
        package.extractall(root / PACKAGE_PATH)
    shutil.copy(SCORM_AGAIN, root / "scorm12.js")
    (root / "host.html").write_text(HOST_HTML)
    server, url = serve_folder(root)
    course = course_json("demo")
    lessons = lessons_of(course)
    try:
        browser.get(f"{url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, course["title"])
        assert browser.execute_script("return location.pathname") == f"/{PACKAGE_PATH}/learn/demo"
        wait(browser).until(lambda b: lms_value(b, "cmi.core.lesson_status") == "incomplete")

        # The whole course, by following its links (the LMS serves no page but index.html).
        link(browser, "Commencer").click()
        for done, lesson in enumerate(lessons, start=1):
            heading(browser, lesson["title"])
            for question in practice_questions(lesson):
                answer_and_check(browser, question)
            reach_end(browser)
            wait(browser).until(lambda b, n=done: len(ticked(b)) >= n)
            location = lms_value(browser, "cmi.core.lesson_location")
            assert location == lesson["id"], location
            if done < len(lessons):
                browser.find_element(By.CSS_SELECTOR, "a.lesson-next").click()
        [assessment] = course["assessments"]
        link(browser, assessment["title"]).click()
        pass_assessment(browser, None, course, assessment, navigate=False)

        wait(browser).until(lambda b: lms_value(b, "cmi.core.lesson_status") == "passed")
        assert [lms_value(browser, f"cmi.core.score.{k}") for k in ("raw", "min", "max")] == ["100", "0", "100"]
        suspend_data = lms_value(browser, "cmi.suspend_data")
        assert 0 < len(suspend_data) <= 4096
        calls = lms_calls(browser)
        assert calls.count("LMSInitialize") == 1 and "LMSCommit" in calls and "LMSFinish" not in calls

        # The learner leaves: the session is finished cleanly.
        browser.execute_script("document.getElementById('sco').src = 'about:blank'")
        wait(browser).until(lambda b: "LMSFinish" in lms_calls(b))
        cmi = browser.execute_script("return JSON.parse(JSON.stringify(API.cmi))")
        assert cmi["core"]["exit"] == "suspend"
        assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", cmi["core"]["session_time"]), cmi["core"]["session_time"]
        assert cmi["core"]["lesson_status"] == "passed"

        # The next launch, on another computer: this browser's storage is empty, the LMS gives
        # back what it kept.
        kept = {"core": {k: v for k, v in cmi["core"].items() if k not in ("session_time", "exit")},
                "suspend_data": cmi["suspend_data"]}
        browser.execute_script("localStorage.clear(); sessionStorage.setItem('lms-cmi', arguments[0])", json.dumps(kept))
        browser.get(f"{url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, course["title"])
        wait(browser).until(lambda b: len(ticked(b)) == len(lessons))
        link(browser, "Attestation de suivi").click()
        wait(browser).until(lambda b: "Marie Dupont" in b.find_element(By.CSS_SELECTOR, ".certificate").text)
        assert lms_value(browser, "cmi.core.lesson_status") == "passed"
        assert lms_value(browser, "cmi.suspend_data") == suspend_data, "nothing was lost on the way"
        assert lms_calls(browser).count("LMSInitialize") == 1
    finally:
        browser.switch_to.default_content()
        server.shutdown()
        server.server_close()


# ---- cmi5 -------------------------------------------------------------------------------------

XAPI_CMI5 = ROOT / ".tools" / "node_modules" / "@xapi" / "cmi5" / "dist" / "Cmi5.umd.js"
CMI5_NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
ACTOR = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "marie"},
         "name": "Marie Dupont"}
DEFINED = ("initialized", "completed", "passed", "failed", "terminated")

# The reference AU: @xapi/cmi5 (the npm library AUs are built with) launched the same way,
# making the same cmi5-defined statements as a full run.
REFERENCE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reference AU</title>
<script src="/cmi5.umd.js"></script></head><body><script>
(async () => {
  try {
    const cmi5 = new Cmi5();
    await cmi5.initialize();
    await cmi5.complete();
    await cmi5.pass(1);
    await cmi5.terminate();
    window.referenceDone = "ok";
  } catch (error) { window.referenceDone = "error: " + error; }
})();
</script></body></html>"""


@pytest.fixture(scope="module")
def cmi5_package(tmp_path_factory):
    return package_demo(tmp_path_factory, "cmi5")


def test_the_cmi5_package_describes_the_course_and_one_au(cmi5_package):
    with zipfile.ZipFile(cmi5_package) as package:
        assert package.testzip() is None
        names = set(package.namelist())
        structure = ET.fromstring(package.read("cmi5.xml"))
    assert structure.tag == f"{CMI5_NS}courseStructure"
    course = structure.find(f"{CMI5_NS}course")
    assert course.get("id") == "https://parcours.example.org/courses/demo"
    assert course.find(f"{CMI5_NS}title/{CMI5_NS}langstring").text == "Découvrir Parcours"
    [au] = structure.findall(f"{CMI5_NS}au")
    assert au.get("id") == "https://parcours.example.org/courses/demo/au"
    assert (au.get("moveOn"), au.get("masteryScore"), au.get("launchMethod")) == ("CompletedAndPassed", "0.6", "AnyWindow")
    assert au.find(f"{CMI5_NS}title/{CMI5_NS}langstring").get("lang") == "fr"
    assert au.findtext(f"{CMI5_NS}url") in names
    assert {"index.html", "courses/demo/course.toml", "config.json"} <= names and "sw.js" not in names


@pytest.fixture
def cmi5_lms(tmp_path, cmi5_package):
    ralph = Ralph(tmp_path / "ralph").start()
    lms = FixtureLms(ralph)
    lms.pages["/reference.html"] = REFERENCE_HTML.encode()
    lms.pages["/cmi5.umd.js"] = XAPI_CMI5.read_bytes()
    lms.pages["/returned.html"] = b"<!doctype html><title>LMS</title><h1>Back in the LMS</h1>"
    with zipfile.ZipFile(cmi5_package) as package:
        package.extractall(tmp_path / "content" / "au")
    server, url = serve_folder(tmp_path / "content")
    lms.package_url = f"{url}/au/index.html"
    yield lms
    server.shutdown()
    server.server_close()
    lms.close()
    ralph.stop()


def launch_url(base, launch):
    return f"{base}?{urlencode(launch.query)}"


def verb_of(statement):
    return statement["verb"]["id"].rsplit("/", 1)[1]


def categories(statement):
    return {a["id"] for a in statement.get("context", {}).get("contextActivities", {}).get("category", [])}


def request_kinds(requests_made):
    """What a launch asked of the LMS, in order, statements counted once."""
    kinds = []
    for r in requests_made:
        if r["path"].startswith("/fetch/"):
            kind = "POST fetch"
        elif r["path"] == "/xapi/activities/state":
            kind = f"{r['method']} state {r['query'].get('stateId')} ({', '.join(sorted(r['query']))})"
        elif r["path"] == "/xapi/agents/profile":
            kind = f"{r['method']} profile {r['query'].get('profileId')} ({', '.join(sorted(r['query']))})"
        else:
            kind = "statements"
        if r["method"] != "OPTIONS" and (not kinds or kinds[-1] != kind):
            kinds.append(kind)
    return kinds


def test_a_cmi5_launch_follows_the_reference_au_and_the_cmi5_rules(browser, cmi5_lms):
    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")

    # The reference: @xapi/cmi5 in the same browser, launched the same way.
    reference = lms.launch(ACTOR, au_id, mastery_score=0.8)
    browser.get(launch_url(f"{lms.url}/reference.html", reference))
    wait(browser).until(lambda b: b.execute_script("return window.referenceDone"))
    done = browser.execute_script("return window.referenceDone")
    assert done == "ok", (done, [(r["method"], r["path"], r["query"]) for r in lms.log])
    expected = {verb_of(s): s for s in lms.statements_of(reference)}

    # Parcours, launched from the package the LMS imported.
    launch = lms.launch(ACTOR, au_id, mastery_score=0.8)
    browser.get(launch_url(cmi5_lms.package_url, launch))
    heading(browser, course["title"])
    assert "80 %" in link_to_assessment_text(browser, course), "the LMS's mastery score is the pass mark"
    link(browser, "Commencer").click()
    lessons = lessons_of(course)
    for done, lesson in enumerate(lessons, start=1):
        heading(browser, lesson["title"])
        for question in practice_questions(lesson):
            answer_and_check(browser, question)
        reach_end(browser)
        wait(browser).until(lambda b, n=done: len(ticked(b)) >= n)
        if done < len(lessons):
            browser.find_element(By.CSS_SELECTOR, "a.lesson-next").click()
    [assessment] = course["assessments"]
    link(browser, assessment["title"]).click()
    pass_assessment(browser, None, course, assessment, navigate=False)
    browser.find_element(By.XPATH, "//button[contains(., 'Quitter le module')]").click()
    wait(browser).until(lambda b: "Back in the LMS" in b.page_source)

    # The same conversation as the reference's: token, launch data, preferences, statements.
    ours, theirs = request_kinds(lms.requests_of(launch)), request_kinds(lms.requests_of(reference))
    assert ours[:3] == theirs[:3] == [
        "POST fetch",
        "GET state LMS.LaunchData (activityId, agent, registration, stateId)",
        "GET profile cmi5LearnerPreferences (agent, profileId)",
    ], (ours, theirs)
    assert all(r["version"] == "1.0.3" for r in lms.requests_of(launch) if r["path"].startswith("/xapi/")
               and r["method"] != "OPTIONS")

    statements = lms.statements_of(launch)
    verbs = [verb_of(s) for s in statements]
    assert verbs[0] == "initialized" and verbs[-1] == "terminated", verbs
    assert verbs.count("initialized") == verbs.count("terminated") == 1
    assert verbs.count("completed") == 1 and verbs.count("passed") == 1 and "failed" not in verbs, verbs
    assert verbs.index("completed") < verbs.index("terminated") and verbs.index("passed") < verbs.index("terminated")
    for statement in statements:
        BaseXapiStatement(**statement)  # Ralph's strict xAPI 1.0.3 model, independent of ours
        verb = verb_of(statement)
        context = statement["context"]
        assert statement["actor"]["account"] == ACTOR["account"], verb
        assert context["registration"] == launch.registration, verb
        assert context["extensions"][SESSION_ID] == launch.session_id, "the context template is in every statement"
        grouping = {a["id"] for a in context["contextActivities"]["grouping"]}
        assert f"{au_id}#course" in grouping, verb
        if verb in DEFINED:
            # As the reference AU makes it: the AU as object, the same categories, the mastery
            # score where it makes one, and at least the same result.
            reference_statement = expected[verb]
            assert statement["object"]["id"] == reference_statement["object"]["id"] == au_id, verb
            assert categories(statement) == categories(reference_statement), verb
            ours_ext, theirs_ext = set(context.get("extensions", {})), set(reference_statement["context"].get("extensions", {}))
            assert theirs_ext <= ours_ext, (verb, ours_ext, theirs_ext)
            assert set(reference_statement.get("result", {})) <= set(statement.get("result", {})), verb
        else:
            assert CMI5_CATEGORY not in categories(statement), verb
    passed = next(s for s in statements if verb_of(s) == "passed")
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] >= 0.8
    assert passed["context"]["extensions"][MASTERY] == 0.8
    completed = next(s for s in statements if verb_of(s) == "completed")
    assert completed["result"]["completion"] is True and "success" not in completed["result"]
    assert MOVEON_CATEGORY in categories(completed) and MOVEON_CATEGORY in categories(passed)

    # Every statement reached the LRS, once.
    stored = [s for s in lms.ralph.statements(limit=500) if s["context"]["registration"] == launch.registration]
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in statements)

    # Another day, on another computer (empty browser storage): the same enrolment launched
    # again finds its progress, saved by the player in the LMS's State API.
    assert lms.saved_state(launch, "parcours.progress"), "the progress was saved in the LMS"
    browser.get(cmi5_lms.package_url.replace("index.html", "config.json"))
    browser.execute_script("localStorage.clear(); sessionStorage.clear()")
    again = lms.relaunch(launch)
    browser.get(launch_url(cmi5_lms.package_url, again))
    heading(browser, course["title"])
    wait(browser).until(lambda b: len(ticked(b)) == len(lessons))
    assert browser.find_elements(By.XPATH, "//a[contains(., 'Attestation de suivi')]"), "passed, as before"
    browser.find_element(By.XPATH, "//button[contains(., 'Quitter le module')]").click()
    wait(browser).until(lambda b: "Back in the LMS" in b.page_source)
    verbs_again = [verb_of(s) for s in lms.statements_of(again)]
    assert verbs_again == ["initialized", "terminated"], "completed and passed are never sent twice in a registration"


def link_to_assessment_text(browser, course):
    """The assessment's page text, reached from the course page (and back)."""
    [assessment] = course["assessments"]
    link(browser, assessment["title"]).click()
    heading(browser, assessment["title"])
    text = browser.find_element(By.TAG_NAME, "main").text
    browser.back()
    heading(browser, course["title"])
    return text


def test_browse_mode_sends_only_the_session_and_a_used_fetch_url_is_explained(browser, cmi5_lms):
    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")
    launch = lms.launch(ACTOR, au_id, launch_mode="Browse", language="en-GB")
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course["title"])
    assert browser.find_element(By.XPATH, "//button[contains(., 'Leave the module')]"), \
        "the learner's language preference (English) is the interface's"
    lesson = next(l for l in lessons_of(course) if practice_questions(l))
    link(browser, lesson["title"]).click()
    heading(browser, lesson["title"])
    answer_and_check(browser, practice_questions(lesson)[0])
    browser.find_element(By.XPATH, "//button[contains(., 'Leave the module')]").click()
    wait(browser).until(lambda b: "Back in the LMS" in b.page_source)
    assert [verb_of(s) for s in lms.statements_of(launch)] == ["initialized", "terminated"]

    # The same launch URL in a new tab: the fetch URL was used; the learner is told, and can
    # still follow the module.
    browser.switch_to.new_window("tab")
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course["title"])
    alert = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".lms-status")).text
    # No launch, so no preference: the course's language (French); the LMS's words are quoted.
    assert "Le lancement depuis la plateforme de formation a échoué : la plateforme a refusé le lancement " \
        "(erreur 1 : the token was already fetched)" in alert, alert
    browser.close()
    browser.switch_to.window(browser.window_handles[0])
