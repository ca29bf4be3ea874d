"""Inside an LMS. SCORM 1.2: `parcours package --scorm12` checked as an LMS importer would check it,
then played in a frame of a page that runs scorm-again's SCORM 1.2 runtime (the runtime LMSs embed),
served from a plain static server under a deep path, as an LMS serves an imported package.
cmi5: `parcours package --cmi5` checked, then launched by a fixture LMS beside a real Ralph, after
the reference AU library @xapi/cmi5 was launched the same way, and compared with it."""

import functools
from collections import Counter
import http.server
import json
import posixpath
import re
import threading
import shutil
import xml.etree.ElementTree as ET
import zipfile
from urllib.parse import urlencode

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement
from selenium.webdriver.common.by import By

from cmi5_lms import FixtureLms, serve_folder
from conftest import ROOT
from lrs import Ralph, free_port
from test_authoring import parcours
from test_courses import (answer_and_check, complete_lesson_from_here, course_json, lessons_of, pass_assessment,
                          practice_questions)
from test_player import heading, link, wait
from test_progress import reach_end, ticked

SCORM_AGAIN = ROOT / ".tools" / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
IMSCP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
# Where the "LMS" serves the imported package (Moodle serves them under a path like this one).
PACKAGE_PATH = "pluginfile/12/mod_scorm/content/1"

# The LMS's runtime: a SCORM 1.2 API from scorm-again on `window.API`, committing to the LMS's
# server (synchronous commits, as scorm-again does by default: what LMSCommit returns is what the
# server said), started from the data the server kept from the previous launch. `lmsCalls` lists
# the calls that open, commit and finish a session.
RUNTIME_SCRIPT = """<script src="/scorm12.js"></script>
<script>
  window.lmsCalls = [];
  function startRuntime() {
    const kept = new XMLHttpRequest();
    kept.open("GET", "/lms/launch.json", false);
    kept.send();
    window.API = new Scorm12API({ autocommit: false, lmsCommitUrl: location.origin + "/lms/commit", logLevel: 5 });
    for (const name of ["LMSInitialize", "LMSCommit", "LMSFinish"]) {
      API.on(name, () => lmsCalls.push(name));
    }
    API.loadFromJSON(JSON.parse(kept.responseText));
  }
  startRuntime();
</script>"""

# The LMS's page: its runtime, then the package's index.html in a frame.
HOST_HTML = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>LMS</title>
RUNTIME
<script>
  addEventListener("DOMContentLoaded", () => { document.getElementById("sco").src = "/PACKAGE/index.html"; });
</script></head>
<body><iframe id="sco" name="sco" title="Module" style="width:1200px;height:850px"></iframe></body></html>
""".replace("RUNTIME", RUNTIME_SCRIPT).replace("PACKAGE", PACKAGE_PATH)

class ScormLms:
    """The server side of a SCORM 1.2 LMS: it serves the host page and the imported package, and
    keeps only what the runtime commits (`commits`). The next launch starts from the last commit,
    as an LMS does: the learner's data, without the previous session's time and exit."""

    LEARNER = {"core": {"student_id": "marie", "student_name": "Dupont, Marie"}}

    def __init__(self, root):
        self.commits = []
        lms = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/lms/launch.json":
                    return self.answer(lms.launch_data())
                return super().do_GET()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.split("?")[0] != "/lms/commit":
                    return self.send_error(404)
                lms.commits.append(json.loads(body))
                return self.answer({"result": True, "errorCode": 0})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def committed(self):
        """The data model as last committed (`cmi`), or None."""
        return self.commits[-1].get("cmi", self.commits[-1]) if self.commits else None

    def launch_data(self):
        cmi = self.committed()
        if cmi is None:
            return self.LEARNER
        core = {k: v for k, v in cmi["core"].items() if k in ("student_id", "student_name", "lesson_location",
                                                              "lesson_status", "score")}
        return {"core": {**core, "entry": "resume"}, "suspend_data": cmi.get("suspend_data", "")}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


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
    assert {"index.html", "courses/demo.json", "courses/demo/course.toml", "courses/index.json"} <= listed
    assert any(n.endswith(".wasm") for n in names) and any(n.endswith(".js") for n in names)

    # Self-contained and relative: nothing from another host, nothing from the LMS's root (the
    # policy's own list of allowed connections aside), under a Content-Security-Policy.
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', index)
    assert policy and "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy.group(1), index
    page = index.replace(policy.group(0), "")
    assert not re.findall(r"""(?:href|src)=["']/|import [^;]*from '/|https?://""", page), page
    assert '<meta name="parcours-course" content="demo">' in index
    assert "sw.js" not in names and config == {"lrs": None}


def test_every_page_of_a_package_is_a_file_and_every_link_leads_to_one(scorm_package):
    """An LMS serves a package's files as they are (no folder's index.html, no fallback page):
    each page of the player is a file of its own, pre-rendered, and each link of each page names
    a file of the package, so that any page reloads and reads without the player."""
    course = course_json("demo")
    pages = {"index.html", "learn/demo.html", "learn/demo/attestation.html"}
    pages |= {f"learn/demo/{lesson['id']}.html" for lesson in lessons_of(course)}
    pages |= {f"learn/demo/assessment/{assessment['id']}.html" for assessment in course["assessments"]}
    with zipfile.ZipFile(scorm_package) as package:
        names = set(package.namelist())
        assert pages <= names, pages - names
        for page in sorted(pages):
            html = package.read(page).decode()
            assert '<div id="prerendered">' in html and '<meta name="parcours-course" content="demo">' in html
            # The page's own files (its stylesheet, the player) and its links alike.
            for address in re.findall(r"""(?:href|src)=["']([^"'#]*)|from '([^']*)'""", html):
                address = "".join(address)
                if not address or address.startswith(("http:", "https:", "mailto:")):
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), address))
                assert target in names, f"{page} links to {address}, which the package does not hold"
        lesson = lessons_of(course)[0]
        html = package.read(f"learn/demo/{lesson['id']}.html").decode()
        assert lesson["title"] in html, "the lesson reads before the player starts"


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


def scorm_lms_with(scorm_package, root):
    """A `ScormLms` serving, from `root`, the host page with scorm-again and `scorm_package`
    unzipped under the LMS's deep path."""
    with zipfile.ZipFile(scorm_package) as package:
        package.extractall(root / PACKAGE_PATH)
    shutil.copy(SCORM_AGAIN, root / "scorm12.js")
    (root / "host.html").write_text(HOST_HTML)
    return ScormLms(root)


def test_a_run_in_an_lms_is_reported_to_its_scorm_runtime_and_resumed_from_it(browser, tmp_path, scorm_package):
    lms = scorm_lms_with(scorm_package, tmp_path / "lms")
    url = lms.url
    course = course_json("demo")
    lessons = lessons_of(course)
    try:
        browser.get(f"{url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, course["title"])
        assert browser.execute_script("return location.pathname") == f"/{PACKAGE_PATH}/learn/demo.html"
        wait(browser).until(lambda b: lms_value(b, "cmi.core.lesson_status") == "incomplete")

        # The whole course, by following its links (the LMS serves no page but index.html); the
        # LMS knows where the learner is after each lesson.
        def location_is(lesson):
            location = lms_value(browser, "cmi.core.lesson_location")
            assert location == lesson["id"], location

        complete_the_course(browser, course, after_each_lesson=location_is)

        wait(browser).until(lambda b: lms_value(b, "cmi.core.lesson_status") == "passed")
        assert [lms_value(browser, f"cmi.core.score.{k}") for k in ("raw", "min", "max")] == ["100", "0", "100"]
        suspend_data = lms_value(browser, "cmi.suspend_data")
        assert 0 < len(suspend_data) <= 4096
        calls = lms_calls(browser)
        assert calls.count("LMSInitialize") == 1 and "LMSCommit" in calls and "LMSFinish" not in calls
        # Committed, not only set: the LMS's server holds it.
        assert lms.committed()["core"]["lesson_status"] == "passed"
        assert lms.committed()["suspend_data"] == suspend_data

        # The learner leaves: the session is finished cleanly.
        browser.execute_script("document.getElementById('sco').src = 'about:blank'")
        wait(browser).until(lambda b: "LMSFinish" in lms_calls(b))
        cmi = browser.execute_script("return JSON.parse(JSON.stringify(API.cmi))")
        assert cmi["core"]["exit"] == "suspend"
        assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", cmi["core"]["session_time"]), cmi["core"]["session_time"]
        assert cmi["core"]["lesson_status"] == "passed"

        # LMSFinish commits the session's end.
        wait(browser).until(lambda _: lms.committed()["core"]["exit"] == "suspend")
        assert lms.committed()["core"]["session_time"] == cmi["core"]["session_time"]

        # The next launch, on another computer: this browser's storage is empty, the LMS starts
        # the runtime from what was committed.
        browser.execute_script("localStorage.clear(); sessionStorage.clear()")
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
        lms.close()


def test_only_a_package_talks_to_an_lms_a_site_leaves_it_alone_and_is_lighter(browser, tmp_path, scorm_package):
    """The SCORM and cmi5 sessions are in the LMS package's player only (`make dist` builds two):
    a site `parcours build` wrote, framed by the same LMS page, plays without touching the LMS's
    API, and its player is the smaller one."""
    root = tmp_path / "lms"
    made = parcours("build", ROOT / "courses" / "demo", "-o", root / PACKAGE_PATH)
    assert made.returncode == 0, made.stderr
    shutil.copy(SCORM_AGAIN, root / "scorm12.js")
    # A site's address is its folder (`index.html` is no route of a site).
    (root / "host.html").write_text(HOST_HTML.replace(f"/{PACKAGE_PATH}/index.html", f"/{PACKAGE_PATH}/"))
    lms = ScormLms(root)
    course = course_json("demo")
    try:
        browser.get(f"{lms.url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, "Catalogue des parcours")
        link(browser, course["title"]).click()
        heading(browser, course["title"])
        lesson = lessons_of(course)[0]
        link(browser, lesson["title"]).click()
        heading(browser, lesson["title"])
        # The player chooses its LMS session as it starts, before it shows a page: by now a
        # player with the sessions would have called LMSInitialize.
        assert lms_calls(browser) == []
        assert lms_value(browser, "cmi.core.lesson_status") in ("", "not attempted")
        assert lms.commits == []
    finally:
        browser.switch_to.default_content()
        lms.close()
    with zipfile.ZipFile(scorm_package) as package:
        package_wasm = [package.getinfo(n).file_size for n in package.namelist() if n.endswith("_bg.wasm")]
    site_wasm = [p.stat().st_size for p in (root / PACKAGE_PATH).glob("*_bg.wasm")]
    assert len(package_wasm) == len(site_wasm) == 1
    assert site_wasm[0] < package_wasm[0], (site_wasm, package_wasm)


# The LMS's page for a package opened in a new window, as LMSs open a package that does not fit
# their frame: the API stays in this window, the package's window finds it as its `opener`. After
# LMSFinish the LMS takes the package's next LMSInitialize, as Moodle's runtime does (it marks
# itself not initialized and keeps the learner's data): here, a runtime started again from what
# the server kept.
WINDOW_HOST_HTML = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>LMS</title>
RUNTIME
<script>
  // The next session, from what the server kept (Moodle goes on with the same data).
  const finished = () => { setTimeout(() => { startRuntime(); API.on("LMSFinish", finished); }, 0); };
  API.on("LMSFinish", finished);
</script></head>
<body><button id="open" onclick="open('/PACKAGE/index.html', 'module', 'width=1200,height=850')">Ouvrir le module</button>
</body></html>
""".replace("RUNTIME", RUNTIME_SCRIPT).replace("PACKAGE", PACKAGE_PATH)


def assert_nothing_missing(browser):
    missing = browser.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.responseStatus >= 400).map(e => e.name)")
    assert missing == [], f"every file the page asked for is in the package (its icon too): {missing}"


def test_a_package_in_a_new_window_reloads_a_lesson_from_its_file_and_goes_on_committing(
        browser, tmp_path, scorm_package):
    lms = scorm_lms_with(scorm_package, tmp_path / "lms")
    (tmp_path / "lms" / "window.html").write_text(WINDOW_HOST_HTML)
    course = course_json("demo")
    first, second = lessons_of(course)[:2]
    browser.get(f"{lms.url}/window.html")
    host = browser.current_window_handle

    def lms_calls_in_host():
        module = browser.current_window_handle
        browser.switch_to.window(host)
        calls = browser.execute_script("return lmsCalls")
        browser.switch_to.window(module)
        return calls

    try:
        browser.find_element(By.ID, "open").click()
        wait(browser).until(lambda b: len(b.window_handles) == 2)
        browser.switch_to.window(next(h for h in browser.window_handles if h != host))
        heading(browser, course["title"])
        link(browser, "Commencer").click()
        heading(browser, first["title"])
        assert browser.execute_script("return location.pathname") == f"/{PACKAGE_PATH}/learn/demo/{first['id']}.html"
        reach_end(browser)
        wait(browser).until(lambda b: first["title"] in ticked(b))

        assert_nothing_missing(browser)

        # The learner reloads the window: the LMS serves the lesson's own file (no fallback page
        # here: a missing file is a 404), and the page finds the LMS's API again.
        browser.refresh()
        heading(browser, first["title"])
        wait(browser).until(lambda b: lms_calls_in_host().count("LMSInitialize") == 2)
        assert lms_calls_in_host().count("LMSFinish") == 1, "the reloaded page's session was finished"
        wait(browser).until(lambda b: first["title"] in ticked(b))

        # The session goes on: the next lesson, read to its end, is committed to the LMS's server.
        browser.find_element(By.CSS_SELECTOR, "a.lesson-next").click()
        heading(browser, second["title"])
        reach_end(browser)
        wait(browser).until(lambda b: second["title"] in ticked(b))
        wait(browser).until(lambda _: (lms.committed() or {}).get("core", {}).get("lesson_location") == second["id"])
        assert lms.committed()["suspend_data"], "the progress itself, not only the place"
        assert_nothing_missing(browser)
    finally:
        for handle in browser.window_handles:
            if handle != host:
                browser.switch_to.window(handle)
                browser.close()
        browser.switch_to.window(host)
        lms.close()


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
    with zipfile.ZipFile(cmi5_package) as package:
        config = json.loads(package.read("config.json"))
    assert config == {"lrs": None, "cmi5": {"allowed-origins": []}}, "only a cmi5 package accepts launches"


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
    lms.allowed_origins.add(url)
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
    lessons = complete_the_course(browser, course)
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
            assert statement["verb"]["id"] == reference_statement["verb"]["id"], verb
            # The same extensions with the same values (each launch has its own session id).
            for key, value in reference_statement["context"].get("extensions", {}).items():
                expected_value = launch.session_id if key == SESSION_ID else value
                assert context["extensions"].get(key) == expected_value, (verb, key)
            # The same result: completion and success alike, a duration of the same form, a score
            # with at least the same parts.
            ours_result, theirs_result = statement.get("result", {}), reference_statement.get("result", {})
            assert set(theirs_result) <= set(ours_result), (verb, ours_result, theirs_result)
            for key in ("completion", "success"):
                if key in theirs_result:
                    assert ours_result[key] == theirs_result[key], (verb, key)
            if "duration" in theirs_result:
                assert re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?", ours_result["duration"]), verb
            if "score" in theirs_result:
                assert set(theirs_result["score"]) <= set(ours_result["score"]), verb
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
    assert lms.violations == [], "the LMS found no breach of the cmi5 rules"


def complete_the_course(browser, course, after_each_lesson=lambda lesson: None):
    """From the course page: every lesson read with its questions answered (then
    `after_each_lesson(lesson)`), then the assessment passed. The lessons, in order."""
    link(browser, "Commencer").click()
    lessons = lessons_of(course)
    for done, lesson in enumerate(lessons, start=1):
        heading(browser, lesson["title"])
        for question in practice_questions(lesson):
            answer_and_check(browser, question)
        reach_end(browser)
        wait(browser).until(lambda b, n=done: len(ticked(b)) >= n)
        after_each_lesson(lesson)
        if done < len(lessons):
            browser.find_element(By.CSS_SELECTOR, "a.lesson-next").click()
    [assessment] = course["assessments"]
    link(browser, assessment["title"]).click()
    pass_assessment(browser, None, course, assessment, navigate=False)
    return lessons


@pytest.mark.parametrize("where", ["the same browser", "another computer"])
def test_a_passed_the_lms_never_took_is_sent_at_the_next_launch_once(browser, cmi5_lms, where):
    """The LMS answers 504 to `passed` until the tab is closed. The registration is satisfied at
    the next launch: from the statements left in this browser, or, on another computer, from the
    progress saved in the LMS, which says the LMS took `completed` but not `passed`."""
    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")
    launch = lms.launch(ACTOR, au_id, mastery_score=0.6)
    lms.fail_statements = lambda statements: any(verb_of(s) == "passed" for s in statements)
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course["title"])
    complete_the_course(browser, course)
    wait(browser).until(lambda b: any(verb_of(s) == "passed" for s in lms.failed))
    browser.close()
    browser.switch_to.window(first)
    sent_first = [verb_of(s) for s in lms.statements_of(launch)]
    assert "completed" in sent_first and "passed" not in sent_first, sent_first
    wait(browser).until(lambda b: (lms.saved_state(launch, "parcours.progress") or {}).get("k") == 1)

    lms.fail_statements = lambda statements: False
    if where == "another computer":
        browser.get(lms.package_url.replace("index.html", "config.json"))
        browser.execute_script("localStorage.clear(); sessionStorage.clear()")
    again = lms.relaunch(launch)
    browser.get(launch_url(lms.package_url, again))
    heading(browser, course["title"])
    wait(browser).until(lambda b: "passed" in [verb_of(s) for s in lms.statements_of(again)])
    browser.find_element(By.XPATH, "//button[contains(., 'Quitter le module')]").click()
    wait(browser).until(lambda b: "Back in the LMS" in b.page_source)

    verbs = [verb_of(s) for s in lms.statements_of(again)]
    assert verbs[0] == "initialized" and verbs[-1] == "terminated", verbs
    assert verbs.count("passed") == 1 and "completed" not in verbs, verbs
    passed = next(s for s in lms.statements_of(again) if verb_of(s) == "passed")
    assert passed["context"]["extensions"][SESSION_ID] == again.session_id, "sent in the session of the relaunch"
    assert passed["result"]["score"]["scaled"] >= 0.6 and passed["context"]["extensions"][MASTERY] == 0.6
    assert sorted(lms.registrations[launch.registration]) == ["completed", "passed"], "the registration is satisfied"
    stored = [verb_of(s) for s in ralph_statements_of(lms, launch)]
    assert stored.count("passed") == 1 and stored.count("completed") == 1, stored
    assert lms.violations == [], "nothing after terminated, nothing the reference player refuses"


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
    assert lms.violations == []

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


def ralph_statements_of(lms, launch):
    return [s for s in lms.ralph.statements(limit=500) if s.get("context", {}).get("registration") == launch.registration]


def test_closing_the_tab_sends_terminated_and_saves_progress_to_the_lms_across_origins(browser, cmi5_lms):
    """No "Quitter": the learner closes the tab. The page's last requests (`keepalive`, with a CORS
    preflight since they carry the token) still reach the LMS on its other origin."""
    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")
    lesson = next(l for l in lessons_of(course) if practice_questions(l))
    launch = lms.launch(ACTOR, au_id)
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course["title"])
    complete_lesson_from_here(browser, lesson)
    browser.close()
    browser.switch_to.window(first)

    wait(browser).until(lambda b: [verb_of(s) for s in lms.statements_of(launch)][-1:] == ["terminated"])
    assert lms.violations == []
    content_origin = lms.package_url.split("/au/")[0]
    preflights = [r for r in lms.log if r["method"] == "OPTIONS"]
    assert {(r["path"], r["asked"]) for r in preflights} >= {("/xapi/statements", "POST")}, preflights
    assert all(r["origin"] == content_origin for r in lms.requests_of(launch) if r["method"] != "POST"
               or not r["path"].startswith("/fetch/")), "every request came from the content's origin"
    terminated = lms.statements_of(launch)[-1]
    assert terminated["result"]["duration"].startswith("PT")
    wait(browser).until(lambda b: any(verb_of(s) == "terminated" for s in ralph_statements_of(lms, launch)))

    # The progress was saved in the LMS as the tab closed: another computer finds the lesson done.
    browser.get(lms.package_url.replace("index.html", "config.json"))
    browser.execute_script("localStorage.clear(); sessionStorage.clear()")
    again = lms.relaunch(launch)
    browser.get(launch_url(lms.package_url, again))
    heading(browser, course["title"])
    wait(browser).until(lambda b: lesson["title"] in ticked(b))
    assert lms.violations == []


def test_a_reload_ends_the_launch_and_says_so_without_using_its_token_again(browser, cmi5_lms):
    """Leaving the page is the session's end: `terminated` (a closing page cannot be told from a
    reload). The lesson reloaded in the tab, from its own file and without the launch's
    parameters in its address, still belongs to the launch: it must not use the ended session's
    token (8.1.2.0-2), and says the session ended; the module still plays, progress stays in the
    browser."""
    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")
    lesson = next(l for l in lessons_of(course) if practice_questions(l))
    launch = lms.launch(ACTOR, au_id)
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course["title"])
    link(browser, lesson["title"]).click()
    heading(browser, lesson["title"])
    answer_and_check(browser, practice_questions(lesson)[0])
    assert browser.execute_script("return location.search") == "", "a lesson's address is the lesson's file"
    browser.refresh()
    heading(browser, lesson["title"])
    alert = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".lms-status")).text
    assert "cette session est terminée" in alert, alert
    wait(browser).until(lambda b: [verb_of(s) for s in lms.statements_of(launch)][-1:] == ["terminated"])
    answer_and_check(browser, practice_questions(lesson)[-1])
    verbs = [verb_of(s) for s in lms.statements_of(launch)]
    assert verbs.count("initialized") == 1 and verbs[-1] == "terminated", verbs
    assert lms.violations == [], "nothing used the token after terminated"


def test_a_link_followed_before_the_player_started_keeps_the_cmi5_launch(browser, cmi5_lms):
    """The package's first page reads before the player has started (slow network, modest
    laptop): a lesson followed from it then is a page load without the launch's parameters. It
    still belongs to the launch: the player there follows it (token, `initialized`)."""
    lms = cmi5_lms
    course = course_json("demo")
    first = lessons_of(course)[0]
    launch = lms.launch(ACTOR, "https://parcours.example.org/courses/demo/au")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*.wasm"]})
    try:
        browser.get(launch_url(lms.package_url, launch))
        heading(browser, course["title"], taken_over=False)
        browser.find_element(By.CSS_SELECTOR, "a.button.primary").click()
        heading(browser, first["title"], taken_over=False)
        assert browser.execute_script("return location.search") == ""
        assert lms.statements_of(launch) == [], "no player has run yet"
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    browser.refresh()
    heading(browser, first["title"])
    wait(browser).until(lambda b: "initialized" in [verb_of(s) for s in lms.statements_of(launch)])
    assert not browser.find_elements(By.CSS_SELECTOR, ".lms-status"), "the launch was followed, nothing to say"
    assert lms.violations == []


def read_lesson_then_leave(browser, lesson):
    """From the course page: reads `lesson` to its end, then "Quitter le module" back to the LMS."""
    link(browser, lesson["title"]).click()
    heading(browser, lesson["title"])
    reach_end(browser)
    wait(browser).until(lambda b: lesson["title"] in ticked(b))
    browser.find_element(By.XPATH, "//button[contains(., 'Quitter le module')]").click()
    wait(browser).until(lambda b: "Back in the LMS" in b.page_source)


def test_a_new_registration_starts_afresh_in_the_same_browser(browser, cmi5_lms):
    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")
    lesson = lessons_of(course)[0]
    first = lms.launch(ACTOR, au_id)
    browser.get(launch_url(lms.package_url, first))
    heading(browser, course["title"])
    read_lesson_then_leave(browser, lesson)

    # The LMS enrols the learner again (a new attempt at the course): a new registration.
    second = lms.launch(ACTOR, au_id)
    browser.get(launch_url(lms.package_url, second))
    heading(browser, course["title"])
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".toc a"))
    assert lesson["title"] not in ticked(browser), "the new registration's progress starts empty"
    read_lesson_then_leave(browser, lesson)

    experienced = f"{course['id']}/lessons/{lesson['id']}"
    for launch in (first, second):
        verbs = [(verb_of(s), s["object"]["id"]) for s in lms.statements_of(launch)]
        assert verbs[0] == ("initialized", au_id) and verbs[-1] == ("terminated", au_id), verbs
        assert ("experienced", experienced) in verbs, "each registration has its own record of the lesson"
        stored = ralph_statements_of(lms, launch)
        assert any(s["object"]["id"] == experienced for s in stored)
    assert lms.violations == []


@pytest.mark.parametrize("failure, told", [
    ("unknown fetch URL", "la plateforme a refusé le lancement (erreur 3 : unknown launch)"),
    ("no launch data", "la plateforme a répondu 404 à la demande de LMS.LaunchData"),
    ("LMS unreachable", "la plateforme est injoignable"),
    # A crafted link: the token is fetched from the LMS, the records would go elsewhere.
    ("records sent elsewhere", "ce module n’accepte pas les lancements de cette plateforme (http://127.0.0.2"),
])
def test_a_failed_launch_is_explained_and_the_module_still_plays_sending_nothing(browser, cmi5_lms, failure, told):
    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")
    launch = lms.launch(ACTOR, au_id)
    if failure == "unknown fetch URL":
        launch.query["fetch"] = f"{lms.url}/fetch/{'0' * 32}"
    elif failure == "no launch data":
        lms.states.pop((au_id, json.dumps(json.loads(launch.query["actor"]), sort_keys=True), launch.registration,
                        "LMS.LaunchData"))
    elif failure == "records sent elsewhere":
        launch.query["endpoint"] = f"http://127.0.0.2:{free_port()}/xapi/"
    else:
        closed = f"http://127.0.0.1:{free_port()}"
        launch.query["fetch"], launch.query["endpoint"] = f"{closed}/fetch/x", f"{closed}/xapi/"
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course["title"])
    alert = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".lms-status")).text
    assert "Le lancement depuis la plateforme de formation a échoué" in alert and told in alert, alert
    lesson = next(l for l in lessons_of(course) if practice_questions(l))
    link(browser, lesson["title"]).click()
    heading(browser, lesson["title"])
    answer_and_check(browser, practice_questions(lesson)[0])
    assert lms.statements_of(launch) == [] and ralph_statements_of(lms, launch) == []
    assert lms.violations == []
    if failure == "records sent elsewhere":
        assert not any(r["path"].startswith("/fetch/") for r in lms.requests_of(launch)), "no token was fetched"


def test_an_assessment_under_way_is_resumed_from_the_scorm_lms_alone(browser, tmp_path, scorm_package):
    """Two answers given, then the learner leaves; the next launch is on another computer (this
    browser's storage emptied): the LMS's `suspend_data` alone brings the attempt back, at its
    question, with its answers, and no attempt counted."""
    from test_assessment import answer_two_then_move_to_the_third, assert_resumed_at_the_third

    lms = scorm_lms_with(scorm_package, tmp_path / "lms")
    course = course_json("demo")
    [assessment] = course["assessments"]
    try:
        browser.get(f"{lms.url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, course["title"])
        link(browser, assessment["title"]).click()
        answered = answer_two_then_move_to_the_third(browser)
        wait(browser).until(lambda _: '"y":' in (lms.committed() or {}).get("suspend_data", ""))
        browser.switch_to.default_content()
        browser.execute_script("document.getElementById('sco').src = 'about:blank'")
        wait(browser).until(lambda b: "LMSFinish" in lms_calls(b))

        browser.execute_script("localStorage.clear(); sessionStorage.clear()")
        browser.get(f"{lms.url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, course["title"])
        link(browser, "Reprendre l’évaluation (question 3 sur 5)").click()
        heading(browser, assessment["title"])
        assert "Tentatives utilisées : 0 sur 2" in browser.find_element(By.CSS_SELECTOR, ".facts").text
        assert_resumed_at_the_third(browser, answered)
    finally:
        browser.switch_to.default_content()
        lms.close()


def test_an_assessment_under_way_is_resumed_from_the_cmi5_state_in_a_new_browser(browser, cmi5_lms):
    """Two answers given in a cmi5 launch, then the learner leaves the module. The next launch
    is in a new browser profile (nothing in storage): the LMS's State brings the attempt back,
    and once finished, the LMS and Ralph hold each `answered` once and one `passed`."""
    from conftest import new_driver
    from test_assessment import answer_through_to_results, answer_two_then_move_to_the_third, assert_resumed_at_the_third

    lms = cmi5_lms
    au_id = "https://parcours.example.org/courses/demo/au"
    course = course_json("demo")
    [assessment] = course["assessments"]
    launch = lms.launch(ACTOR, au_id, mastery_score=0.6)
    browser.get(launch_url(lms.package_url, launch))
    heading(browser, course["title"])
    link(browser, assessment["title"]).click()
    answered = answer_two_then_move_to_the_third(browser)
    wait(browser).until(lambda _: len((lms.saved_state(launch, "parcours.progress") or {}).get("y") or []) == 1)
    browser.find_element(By.XPATH, "//button[contains(., 'Quitter le module')]").click()
    wait(browser).until(lambda b: "Back in the LMS" in b.page_source)
    assert "answered" not in [verb_of(s) for s in lms.statements_of(launch)], "nothing sent before the end"

    again = lms.relaunch(launch)
    elsewhere = new_driver()
    try:
        elsewhere.get(launch_url(lms.package_url, again))
        heading(elsewhere, course["title"])
        link(elsewhere, "Reprendre l’évaluation (question 3 sur 5)").click()
        heading(elsewhere, assessment["title"])
        assert "Tentatives utilisées : 0 sur 2" in elsewhere.find_element(By.CSS_SELECTOR, ".facts").text
        assert_resumed_at_the_third(elsewhere, answered)
        results = answer_through_to_results(elsewhere, answered_already=2)
        assert "Score : 5 sur 5 (100 %)" in results, results
        wait(elsewhere).until(lambda _: "passed" in [verb_of(s) for s in lms.statements_of(again)])
        elsewhere.find_element(By.XPATH, "//button[contains(., 'Quitter le module')]").click()
        wait(elsewhere).until(lambda b: "Back in the LMS" in b.page_source)
    finally:
        elsewhere.quit()

    both = lms.statements_of(launch) + lms.statements_of(again)
    answered_ids = Counter(s["object"]["id"] for s in both if verb_of(s) == "answered")
    assert len(answered_ids) == 5 and set(answered_ids.values()) == {1}, answered_ids
    assert [verb_of(s) for s in both].count("passed") == 1
    wait(browser).until(lambda _: "passed" in [verb_of(s) for s in ralph_statements_of(lms, launch)])
    stored = [verb_of(s) for s in ralph_statements_of(lms, launch)]
    assert stored.count("answered") == 5 and stored.count("passed") == 1, stored
    assert lms.violations == []


LONG_ANSWERS_TOML = """id = "https://parcours.example.org/courses/reponses-longues"
title = "Réponses longues"
language = "fr"

[[modules]]
title = "Seul module"
lessons = ["lecon.md"]

[[assessments]]
title = "Évaluation rédigée"
file = "evaluation.gift"
"""


def test_an_attempt_too_long_for_suspend_data_is_kept_here_and_the_learner_is_told(browser, tmp_path):
    """Nine long typed answers do not fit in SCORM 1.2's 4,096 characters with the rest. The
    attempt is not silently dropped: the LMS keeps the rest of the progress, the learner is told
    the attempt is kept in this browser only, and the next launch in this browser resumes it."""
    from test_assessment import button, current_question, step

    course = tmp_path / "reponses-longues"
    course.mkdir()
    (course / "course.toml").write_text(LONG_ANSWERS_TOML)
    (course / "lecon.md").write_text("# La leçon\n\nUn paragraphe.\n")
    (course / "evaluation.gift").write_text("".join(
        f"::Q{n}:: Décrivez l'étape {n} en une phrase. {{=étape {n}}}\n\n" for n in range(1, 10)))
    package = tmp_path / "reponses-longues.zip"
    made = parcours("package", course, "--scorm12", "-o", package)
    assert made.returncode == 0, made.stderr
    lms = scorm_lms_with(package, tmp_path / "lms")
    told = ("Votre évaluation en cours est trop longue pour être gardée par la plateforme : elle est gardée "
            "dans ce navigateur. Terminez-la sur cet appareil.")
    long_answer = "Une réponse développée, longue comme un paragraphe. " * 9
    try:
        browser.get(f"{lms.url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, "Réponses longues")
        link(browser, "Évaluation rédigée").click()
        button(browser, "Commencer l’évaluation").click()
        for n in range(1, 10):
            field = current_question(browser).find_element(By.CSS_SELECTOR, "input[type=text]")
            # As pasted: one input event with the whole text (the field keeps 500 characters).
            browser.execute_script(
                "arguments[0].value = arguments[1].slice(0, 500);"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", field, long_answer)
            if n < 9:
                button(browser, "Suivant").click()
        assert step(browser) == "Question 9 sur 9"
        assert not browser.find_elements(By.CSS_SELECTOR, ".lms-status"), "nothing said while it fits"
        button(browser, "Précédent").click()  # saves the last answer typed
        banner = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".lms-status"))
        assert banner.text == told and banner.get_attribute("role") == "status"
        suspend_data = lms.committed()["suspend_data"]
        assert '"y":' not in suspend_data and len(suspend_data) <= 4096, "the rest of the progress is kept"

        browser.switch_to.default_content()
        browser.execute_script("document.getElementById('sco').src = 'about:blank'")
        wait(browser).until(lambda b: "LMSFinish" in lms_calls(b))
        browser.get(f"{lms.url}/host.html")
        browser.switch_to.frame("sco")
        heading(browser, "Réponses longues")
        assert wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".lms-status")).text == told, \
            "said again at the next launch, while the attempt is under way"
        link(browser, "Reprendre l’évaluation (question 8 sur 9)").click()
        button(browser, "Reprendre l’évaluation (question 8 sur 9)").click()
        field = current_question(browser).find_element(By.CSS_SELECTOR, "input[type=text]")
        assert field.get_attribute("value") == long_answer[:500], "the answers are kept in this browser"
        button(browser, "Suivant").click()
        button(browser, "Terminer l’évaluation").click()
        assert step(browser) == "Résultats"
        wait(browser).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".lms-status"))
    finally:
        browser.switch_to.default_content()
        lms.close()
