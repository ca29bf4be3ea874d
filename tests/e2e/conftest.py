"""End-to-end fixtures: the built player (dist/) served on loopback, driven by real Chromium."""

import functools
import io
import json
import re
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import sys

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
FIXTURES = ROOT / "tests" / "fixtures"
PARCOURS = ROOT / "target" / "release" / "parcours"
sys.path.insert(0, str(ROOT / "scripts"))
from xapi_gate import refusal  # noqa: E402  (the proxy rules the nginx recipe follows)
from lrs import Postgres, XapiRs  # noqa: E402


class SpaHandler(http.server.SimpleHTTPRequestHandler):
    """A static server like a production host: files as they are, index.html for app routes, and
    `/xapi/` forwarded to the LRS with its credentials added, under the deployment's reverse proxy
    rules (scripts/xapi_gate.py: only `POST /xapi/statements`).

    `lrs` is a started LRS of `lrs.py` (None: `/xapi/` answers 404); `requests_log` lists the
    forwarded requests; `fault` makes the proxy misbehave like a broken LRS (see `LrsFault`)."""

    lrs = None
    requests_log = None
    fault = None
    # A path whose answer is held back, as on a network that stalls, until `stall_released` is
    # set (at most 120 s).
    stall = None
    stall_released = None
    # What an address that is no file gets: the site's index.html (under a path, its own).
    fallback = "/index.html"

    def do_GET(self):
        if self.path.startswith("/xapi/"):
            return self.forward()
        if self.stall is not None and self.path == self.stall:
            self.stall_released.wait(timeout=120)
        return super().do_GET()

    def do_POST(self):
        if self.path.startswith("/xapi/"):
            return self.forward()
        self.send_error(405)

    do_PUT = do_DELETE = do_POST

    def reply(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        refused = refusal(self.command, self.path, length)
        if refused:
            status, reason = refused
            return self.reply(status, reason.encode(), "text/plain; charset=utf-8")
        body = self.rfile.read(length)
        if self.requests_log is not None:
            self.requests_log.append((self.command, self.path, body))
        if self.lrs is None:
            return self.reply(404, b"no LRS")
        # A fault spoils the statements the player posts.
        if self.fault is not None and self.command == "POST":
            answered = self.fault.answer(self, body)
            if answered:
                return None
        headers = {name: self.headers[name] for name in ("Content-Type", "X-Experience-API-Version") if self.headers[name]}
        target = f"{self.lrs.endpoint}{self.path[len('/xapi/'):]}"
        # The credentials go with the statements only: `about` is answered to anyone.
        auth = self.lrs.auth if self.command == "POST" else None
        try:
            answer = requests.request(self.command, target, data=body, headers=headers, auth=auth, timeout=30)
        except requests.RequestException:
            return self.reply(502, b"LRS unreachable", "text/plain")
        return self.reply(answer.status_code, answer.content, answer.headers.get("Content-Type", "application/json"))

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt", ".webm": "video/webm",
                      ".wasm": "application/wasm"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and (path / "index.html").is_file() and not self.path.split("?")[0].endswith("/"):
            # A pre-rendered page, sent for its route without a redirect (as docs/deploying.md's
            # `try_files $uri $uri/index.html /index.html` does).
            route, _, query = self.path.partition("?")
            self.path = f"{route}/index.html" + (f"?{query}" if query else "")
            path = path / "index.html"
        elif not path.exists() and "." not in Path(self.path.split("?")[0]).name:
            self.path = self.fallback
        # Ranges, as nginx and every production host serve them: a browser seeks in a video with them.
        asked = self.headers.get("Range")
        if asked and path.is_file():
            data = path.read_bytes()
            match = re.fullmatch(r"bytes=(\d*)-(\d*)", asked.strip())
            start, end = (match.group(1), match.group(2)) if match else ("", "")
            if start:
                first, last = int(start), min(int(end) if end else len(data) - 1, len(data) - 1)
            elif end:
                first, last = max(len(data) - int(end), 0), len(data) - 1
            else:
                first, last = 1, 0
            if first > last:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_response(206)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
            self.send_header("Content-Length", str(last - first + 1))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            return io.BytesIO(data[first:last + 1])
        return super().send_head()

    def log_message(self, *args):
        pass


def copy_site(root):
    """dist/ plus the fixture courses (left out of the catalog), each with its compiled form as
    `parcours catalog` writes it (a broken one compiles to its errors), in `root`."""
    if not (DIST / "index.html").exists():
        pytest.fail("dist/ is missing: run `make dist` (make test-e2e does it)")
    shutil.copytree(DIST, root, dirs_exist_ok=True)
    for fixture in FIXTURES.iterdir():
        shutil.copytree(fixture, root / "courses" / fixture.name)
    with tempfile.TemporaryDirectory() as compiled:
        subprocess.run([str(PARCOURS), "catalog", str(FIXTURES), "-o", f"{compiled}/index.json"],
                       check=True, capture_output=True)
        for course in Path(compiled).glob("*.json"):
            if course.name != "index.json":
                shutil.copy(course, root / "courses" / course.name)
    return root


class Site:
    """A served copy of the player: `url`, its `root` folder, and its `/xapi/` proxy's state."""

    def __init__(self, root, lrs=None, fallback="/index.html"):
        self.root = root
        self.handler = type("Handler", (SpaHandler,), {"lrs": lrs, "requests_log": [], "fault": None, "fallback": fallback,
                                                       "stall": None, "stall_released": threading.Event()})
        self.port = 0
        self.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        """Serves (again, on the same port after `close`)."""
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", self.port), functools.partial(self.handler, directory=str(self.root)))
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The player with no LRS behind `/xapi/` (statements wait in the outbox)."""
    served = Site(copy_site(tmp_path_factory.mktemp("site")))
    yield served.url
    served.close()


@pytest.fixture(scope="session")
def postgres():
    """The tests' PostgreSQL cluster, started once: each xapi-rs LRS gets a fresh database on it."""
    cluster = Postgres()
    yield cluster
    cluster.stop()


@pytest.fixture
def xapi_rs(postgres, tmp_path):
    """A started xapi-rs 0.2.0 (xAPI 2.0 only) on a fresh database."""
    lrs = XapiRs(postgres, tmp_path / "xapi-rs").start()
    yield lrs
    lrs.stop()


def new_driver(profile_dir=None):
    """Headless Chromium as a learner would have it (French); `profile_dir` keeps its storage across
    restarts. Without it, chromedriver gives the browser a new empty profile: nothing (storage,
    service workers, caches, cookies) is shared with another test. The console and the network
    events are recorded, so a failure can say what the page did (see `pytest_runtest_makereport`)."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900", "--accept-lang=fr-FR",
                 # Tests start media from script, as a learner would with the play button.
                 "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(flag)
    if profile_dir:
        options.add_argument(f"--user-data-dir={profile_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture
def browser(request):
    """A browser of its own for each test: a test never sees what another one left behind."""
    driver = new_driver()
    request.node.browser = driver
    yield driver
    driver.quit()


def page_trace(driver):
    """What the page did, for a failure report: where it is, what it shows, its console, and its
    requests with their answers and timings (from Chromium's DevTools log)."""
    lines = []
    try:
        lines.append(driver.execute_script(
            "return location.href + '\\n' + (document.body ? document.body.innerText.slice(0, 1500) : '(no body)')"))
    except Exception as error:  # the page itself may be what broke
        lines.append(f"(page unreadable: {error})")
    try:
        lines += [f"console {e['level']}: {e['message']}" for e in driver.get_log("browser")]
    except Exception as error:
        lines.append(f"(console unreadable: {error})")
    try:
        lines += network_trace(driver.get_log("performance"))
    except Exception as error:
        lines.append(f"(network log unreadable: {error})")
    return "\n".join(lines)


def network_trace(entries):
    """One line per request: when it started, its method and URL, then its status and end (or
    that it never finished), relative to the first request."""
    requests_seen, order = {}, []
    for entry in entries:
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        request_id = params.get("requestId")
        if method == "Network.requestWillBeSent":
            requests_seen[request_id] = {"start": params["timestamp"], "what": f"{params['request']['method']} "
                                         f"{params['request']['url'][:160]}", "end": None, "how": "never finished"}
            order.append(request_id)
        elif method == "Network.responseReceived" and request_id in requests_seen:
            requests_seen[request_id]["status"] = params["response"]["status"]
        elif method == "Network.loadingFinished" and request_id in requests_seen:
            requests_seen[request_id].update(end=params["timestamp"], how="done")
        elif method == "Network.loadingFailed" and request_id in requests_seen:
            requests_seen[request_id].update(end=params["timestamp"], how=f"failed ({params.get('errorText')})")
    if not order:
        return ["(no request recorded)"]
    origin = requests_seen[order[0]]["start"]
    lines = ["requests (seconds from the first one):"]
    for request_id in order[-80:]:
        seen = requests_seen[request_id]
        ended = "" if seen["end"] is None else f" at +{seen['end'] - origin:.3f}"
        lines.append(f"  +{seen['start'] - origin:7.3f} {seen['what']} -> {seen.get('status', '-')} {seen['how']}{ended}")
    return lines


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    driver = getattr(item, "browser", None)
    if report.when == "call" and report.failed and driver is not None:
        report.sections.append(("what the browser did", page_trace(driver)))
