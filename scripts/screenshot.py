"""Takes the README's screenshot of the catalog from the release build in dist/ (headless Chromium).

Usage: .venv/bin/python scripts/screenshot.py   (after `make dist`)
"""

import functools
import http.server
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from conftest import SpaHandler, new_driver  # noqa: E402  (the end-to-end tests' server and browser)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

OUTPUT = ROOT / "tests" / "screenshots" / "catalog.png"


def main():
    handler = functools.partial(SpaHandler, directory=str(ROOT / "dist"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = new_driver()
    try:
        driver.set_window_size(1200, 820)
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/")
        WebDriverWait(driver, 15).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".course-card")) >= 3)
        time.sleep(0.3)
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(OUTPUT))
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
