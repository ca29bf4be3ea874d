"""End-to-end fixtures: the built player (dist/) served on loopback, driven by real Chromium."""

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
FIXTURES = ROOT / "tests" / "fixtures"


class SpaHandler(http.server.SimpleHTTPRequestHandler):
    """A static server like a production host: files as they are, index.html for app routes."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if not path.exists() and "." not in Path(self.path.split("?")[0]).name:
            self.path = "/index.html"
        return super().send_head()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Serves a copy of dist/ plus the broken fixture courses (left out of the catalog)."""
    if not (DIST / "index.html").exists():
        pytest.fail("dist/ is missing: run `make dist` (make test-e2e does it)")
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(DIST, root, dirs_exist_ok=True)
    for fixture in FIXTURES.iterdir():
        shutil.copytree(fixture, root / "courses" / fixture.name)
    handler = functools.partial(SpaHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def new_driver(profile_dir=None):
    """Headless Chromium as a learner would have it (French); `profile_dir` keeps its storage across restarts."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900", "--accept-lang=fr-FR"):
        options.add_argument(flag)
    if profile_dir:
        options.add_argument(f"--user-data-dir={profile_dir}")
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="session")
def driver_session():
    driver = new_driver()
    yield driver
    driver.quit()


@pytest.fixture
def browser(driver_session, site):
    yield driver_session
    # Each test starts with an empty localStorage, in a single tab.
    for handle in driver_session.window_handles[1:]:
        driver_session.switch_to.window(handle)
        driver_session.close()
    driver_session.switch_to.window(driver_session.window_handles[0])
    driver_session.execute_cdp_cmd("Page.bringToFront", {})
    driver_session.get(site + "/favicon.ico")
    driver_session.execute_script("window.localStorage.clear()")
    driver_session.delete_all_cookies()
    driver_session.set_window_size(1280, 900)
