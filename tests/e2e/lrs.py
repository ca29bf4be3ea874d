"""A real Ralph LRS on a free loopback port, for the tests (file backend, fresh directory)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "parcours", "parcours-test-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ralph:
    """Starts Ralph with `scripts/ralph_fs_fix.py`; `stop()` and `start()` simulate an outage."""

    def __init__(self, directory: Path, keep_filter_defect=False):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.auth = (USER, PASSWORD)
        self.process = None
        self.env = dict(
            os.environ,
            RALPH_APP_DIR=str(directory / "app"),
            RALPH_AUTH_FILE=str(directory / "auth.json"),
            RALPH_RUNSERVER_BACKEND="fs",
            RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(directory / "statements"),
            RALPH_HISTORY_FILE=str(directory / "history.json"),
            PARCOURS_RALPH_KEEP_FILTER_DEFECT="1" if keep_filter_defect else "0",
        )
        (directory / "statements").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(Path(sys.executable).parent / "ralph"), "auth", "-u", USER, "-p", PASSWORD,
             "-s", "statements/write", "-s", "statements/read", "-M", f"mailto:{USER}@example.org", "-w"],
            env=self.env, check=True, capture_output=True,
        )

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "scripts"), "ralph_fs_fix:app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/__heartbeat__", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.25)
        raise RuntimeError("Ralph did not answer its heartbeat within 60 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def statements(self, **params):
        """Every stored statement matching `params`, oldest first, following `more` (Ralph pages by 100)."""
        found, url = [], f"{self.url}/xAPI/statements"
        for _ in range(1000):
            answer = requests.get(url, params=params, auth=self.auth,
                                  headers={"X-Experience-API-Version": "1.0.3"}, timeout=10)
            answer.raise_for_status()
            page = answer.json()
            found += page["statements"]
            if not page.get("more"):
                return found
            url, params = self.url + page["more"], None
        raise RuntimeError("more than 1000 pages of statements")

    def post(self, statements):
        return requests.post(f"{self.url}/xAPI/statements", json=statements, auth=self.auth,
                             headers={"X-Experience-API-Version": "1.0.3"}, timeout=10)
