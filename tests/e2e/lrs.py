"""The real LRSs of the tests, each on a free loopback port: Ralph 5.1 (xAPI 1.0.3, its file
backend, a fresh directory) and xapi-rs 0.2.0 (xAPI 2.0, on a PostgreSQL cluster of the tests' own,
a fresh database). Both offer the same small interface: `url`, `endpoint` (the xAPI base the
player's proxy and `parcours report` are given), `auth`, `version`, `statements()`, `post()`."""

import glob
import http.server
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "parcours", "parcours-test-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LrsProcess:
    """What every LRS of the tests offers, once its subclass has started `process`."""

    url = endpoint = version = auth = process = None

    def wait_until_ready(self, name, ask):
        """`self` once `ask()` gets a 200 from it, within 60 s; its last words if it exits."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if ask().status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.25)
        raise RuntimeError(f"{name} did not answer within 60 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def statements(self, **params):
        """Every statement it holds matching `params`, as its first page orders them, following
        `more` (a path on Ralph, an absolute address on xapi-rs)."""
        found, url = [], f"{self.endpoint}statements"
        for _ in range(10_000):
            answer = requests.get(url, params=params, auth=self.auth,
                                  headers={"X-Experience-API-Version": self.version}, timeout=30)
            answer.raise_for_status()
            page = answer.json()
            found += page["statements"]
            if not page.get("more"):
                return found
            url, params = urljoin(self.url, page["more"]), None
        raise RuntimeError("more than 10,000 pages of statements")

    def newest(self):
        """The statement it stored last (statements come newest first)."""
        answer = requests.get(f"{self.endpoint}statements", params={"limit": 1}, auth=self.auth,
                              headers={"X-Experience-API-Version": self.version}, timeout=30)
        answer.raise_for_status()
        return answer.json()["statements"][0]

    def post(self, statements, timeout=10):
        return requests.post(f"{self.endpoint}statements", json=statements, auth=self.auth,
                             headers={"X-Experience-API-Version": self.version}, timeout=timeout)


class Ralph(LrsProcess):
    """Starts Ralph with `scripts/ralph_fs_fix.py`; `stop()` and `start()` simulate an outage."""

    def __init__(self, directory: Path, keep_filter_defect=False):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/xAPI/"
        self.version = "1.0.3"
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
        return self.wait_until_ready("Ralph", lambda: requests.get(f"{self.url}/__heartbeat__", timeout=1))



def postgres_bin(program):
    """A program of Debian's PostgreSQL server (the newest installed)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=lambda p: int(Path(p).parts[4]))
    if not found:
        raise RuntimeError("PostgreSQL's server is missing: run `scripts/setup.sh lrs`")
    return found[-1]


class Postgres:
    """A PostgreSQL cluster of the tests' own on a free loopback port (trust authentication on
    loopback only), in a fresh directory; one database per LRS started on it. PostgreSQL refuses
    to run as root: as root, the cluster runs as Debian's `postgres` user."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="parcours-pg-"))
        self.port = free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.directory, "postgres")
        self.data = self.directory / "data"
        self.run(postgres_bin("initdb"), "-D", str(self.data), "-U", "parcours", "--auth=trust",
                 "-E", "UTF8", "--locale=C.UTF-8")
        self.run(postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"), "-w", "-t", "60",
                 "-o", f"-h 127.0.0.1 -p {self.port} -k {self.directory}", "start")
        self.url = f"postgresql://parcours@127.0.0.1:{self.port}"
        self.databases = 0

    def run(self, *command):
        subprocess.run([*self.as_owner, *command], check=True, capture_output=True, timeout=120)

    def new_database(self):
        self.databases += 1
        name = f"xapi{self.databases}"
        self.run(postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "parcours", name)
        return name

    def stop(self):
        try:
            self.run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


XAPI_RS = ROOT / ".tools" / "xapi-rs" / "bin" / "xapi-rs"


class XapiRs(LrsProcess):
    """xapi-rs 0.2.0, an LRS that speaks only xAPI 2.0, in its authenticated mode (Basic, one
    account), on a fresh database of `postgres`. Its settings are the template's
    (`.env.template`): with longer pool lifetimes its connections stall after the start-up
    migration. It reads two folders beside its working directory (`logs`, `static`)."""

    def __init__(self, postgres, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/"
        self.version = "2.0.0"
        self.auth = (f"{USER}@example.org", PASSWORD)
        self.process = None
        for folder in ("logs", "static"):
            (directory / folder).mkdir(parents=True, exist_ok=True)
        self.env = dict(
            os.environ,
            CARGO_MANIFEST_DIR=str(directory),
            DB_SERVER_URL=postgres.url, DB_NAME=postgres.new_database(),
            DB_MAX_CONNECTIONS="16", DB_MIN_CONNECTIONS="4", DB_ACQUIRE_TIMEOUT_SECS="8",
            DB_IDLE_TIMEOUT_SECS="8", DB_MAX_LIFETIME_SECS="8", DB_STATEMENTS_PAGE_LEN="100",
            LRS_EXTERNAL_URL=self.endpoint, LRS_MODE="auth", LRS_ROOT_EMAIL=self.auth[0], LRS_ROOT_PASSWORD=PASSWORD,
            LRS_USER_CACHE_LEN="100", EXT_DEFAULT_LANGUAGE="fr", JWS_STRICT="false", RUST_LOG="error",
            ROCKET_ADDRESS="127.0.0.1", ROCKET_PORT=str(self.port), ROCKET_SECRET_KEY=secrets.token_hex(32),
            ROCKET_CLI_COLORS="false",
        )

    def start(self):
        if not XAPI_RS.exists():
            raise RuntimeError("xapi-rs is missing: run `scripts/setup.sh lrs`")
        self.process = subprocess.Popen([str(XAPI_RS)], cwd=self.directory, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Its `about` answers before its database is ready: ask for statements.
        return self.wait_until_ready("xapi-rs", lambda: requests.get(
            f"{self.endpoint}statements", params={"limit": 1}, auth=self.auth,
            headers={"X-Experience-API-Version": self.version}, timeout=10))



def make_ca_and_certificate(directory: Path, host="localhost"):
    """A certificate authority made here (in no trust store, as a ministry's own PKI) and a server
    certificate for `host` (and 127.0.0.1) it signed: (ca.pem, server.pem, server.key)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (directory / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
            "-subj", "/CN=Parcours test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={host}")
    extensions = directory / "server.ext"
    extensions.write_text(f"subjectAltName=DNS:{host},IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                          "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(extensions))
    return ca, cert, key


class LrsFront:
    """A front on loopback for an LRS of these tests, forwarding every request as it came.

    With `pki` (a folder), it is an LRS behind a ministry's PKI: `url` is `https://localhost:port`,
    its certificate signed by `ca` (a PEM file in `pki`), and `server_names` lists the names clients
    asked for (SNI). With `cors_origin`, it answers CORS as an LRS on another origin than the site
    must: preflights (`OPTIONS`, counted in `preflights`) and the allowed origin on every answer."""

    def __init__(self, lrs, pki: Path = None, cors_origin=None):
        self.lrs, self.cors_origin = lrs, cors_origin
        self.server_names, self.preflights = [], 0
        front = self

        class Forward(http.server.BaseHTTPRequestHandler):
            def cors_headers(self):
                if front.cors_origin:
                    self.send_header("Access-Control-Allow-Origin", front.cors_origin)
                    self.send_header("Access-Control-Allow-Methods", "GET, POST")
                    self.send_header("Access-Control-Allow-Headers",
                                     "Authorization, Content-Type, X-Experience-API-Version")
                    self.send_header("Vary", "Origin")

            def do_OPTIONS(self):
                front.preflights += 1
                self.send_response(204 if front.cors_origin else 405)
                self.cors_headers()
                self.send_header("Content-Length", "0")
                self.end_headers()

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("authorization", "content-type", "x-experience-api-version")}
                try:
                    answer = requests.request(self.command, front.lrs.url + self.path, data=body, headers=headers,
                                              timeout=30)
                except requests.RequestException:
                    self.send_error(502)
                    return
                self.send_response(answer.status_code)
                self.cors_headers()
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = forward

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        port = self.server.server_address[1]
        if pki is None:
            self.url = f"http://127.0.0.1:{port}"
        else:
            self.ca, cert, key = make_ca_and_certificate(pki)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            context.sni_callback = lambda _socket, name, _context: self.server_names.append(name)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.url = f"https://localhost:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
