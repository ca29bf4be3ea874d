"""Inside an LMS: `parcours package --scorm12` checked as an LMS importer would check it, then played
in a frame of a page that runs scorm-again's SCORM 1.2 runtime (the runtime LMSs embed), served
from a plain static server under a deep path, as an LMS serves an imported package."""

import functools
import http.server
import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
import zipfile

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT
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


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Files as they are, and 404 for anything else: no single-page-app fallback in an LMS."""

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def scorm_package(tmp_path_factory):
    out = tmp_path_factory.mktemp("package") / "demo.zip"
    made = parcours("package", ROOT / "courses" / "demo", "--scorm12", "-o", out)
    assert made.returncode == 0, made.stderr
    return out


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


def serve(root):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StaticHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


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
    server, url = serve(root)
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
