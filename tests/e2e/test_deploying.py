"""The documented nginx recipe (docs/nginx/parcours.conf) is true: Debian's nginx accepts it
(`nginx -t`), and, serving a site `parcours build` wrote with a real Ralph behind `/xapi/`, it
answers as docs/deploying.md says: the player's routes fall back to index.html, hashed files are
cached for a year and the rest revalidated, the wasm goes precompressed as `application/wasm`,
every answer carries the security headers, and `/xapi/` forwards only a POST of statements, with
the credentials the proxy adds, refusing any read."""

import base64
import os
import re
import sys
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
import urllib3

from conftest import ROOT
from lrs import LrsFront, Ralph, free_port

RECIPE = ROOT / "docs" / "nginx" / "parcours.conf"
DEPLOYING = ROOT / "docs" / "deploying.md"
BINARY = ROOT / "target" / "release" / "parcours"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def configured(lrs_url, site, port, cert, key, lrs_ca=None):
    """The recipe with the values an operator changes filled in (and the port for this test);
    `lrs_ca`: the LRS's own CA, in place of Debian's bundle of public ones."""
    text = RECIPE.read_text()
    credentials = base64.b64encode(b"parcours:parcours-test-secret").decode()
    replaced = {
        "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
        "/etc/ssl/certs/formation.pem": str(cert),
        "/etc/ssl/private/formation.key": str(key),
        "root /srv/parcours/site;": f"root {site};",
        "https://lrs.example.gouv.fr/xAPI/statements": f"{lrs_url}/xAPI/statements",
        "https://lrs.example.gouv.fr/xAPI/about": f"{lrs_url}/xAPI/about",
        "CHANGE-base64-of-user:password": credentials,
    }
    if lrs_ca:
        replaced["proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;"] = \
            f"proxy_ssl_trusted_certificate {lrs_ca};"
    for old, new in replaced.items():
        assert old in text, f"the recipe no longer has `{old}`"
        text = text.replace(old, new)
    return text


@pytest.fixture
def nginx(tmp_path, request):
    """nginx running the recipe on loopback, in front of a built demo site and a real Ralph reached
    over TLS (`LrsFront`), as a production LRS is: with its CA trusted, or (`trust_lrs_ca` False)
    with Debian's bundle of public CAs only, which does not hold it."""
    trust_lrs_ca = getattr(request, "param", True)
    ralph = Ralph(tmp_path / "ralph").start()
    front = LrsFront(ralph, pki=tmp_path / "pki")
    site = tmp_path / "site"
    subprocess.run([str(BINARY), "build", str(ROOT / "courses" / "demo"), "-o", str(site)], check=True,
                   capture_output=True, timeout=120)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    port = free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "site.conf").write_text(
        configured(front.url, site, port, cert, key, lrs_ca=front.ca if trust_lrs_ca else None))
    temp = "".join(f"{kind}_temp_path {prefix / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, workers would run as `nobody`, who cannot read the test's private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n{temp} include {prefix / 'site.conf'};\n}}\n")
    command = [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(prefix / "nginx.conf")]
    checked = subprocess.run(command + ["-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(command + ["-g", "daemon off;"], stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url, verify=False, timeout=1)
            break
        except requests.ConnectionError:
            assert server.poll() is None, server.stderr.read().decode()
            time.sleep(0.2)
    try:
        yield url, ralph, site, front
    finally:
        server.terminate()
        server.wait(timeout=20)
        front.close()
        ralph.stop()


def test_nginx_accepts_the_recipe_and_serves_the_site_as_documented(nginx):
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    url, ralph, site, front = nginx
    get = lambda path, **kw: requests.get(url + path, verify=False, timeout=10, **kw)  # noqa: E731

    # The player's routes are the app's.
    for path in ("/", "/learn/demo", "/learn/demo/bienvenue"):
        page = get(path)
        assert page.status_code == 200 and "parcours-player-" in page.text, path
        assert page.headers["Cache-Control"] == "no-cache", (path, page.headers)
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Content-Security-Policy"] == "frame-ancestors 'self'"

    # Hashed files: a year, the wasm precompressed and typed for streaming compilation.
    [wasm] = [p.name for p in site.glob("parcours-player-*_bg.wasm")]
    answer = get(f"/{wasm}", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/wasm"
    assert answer.headers["Content-Encoding"] == "gzip", "the .gz copy `build` wrote is sent as it is"
    assert answer.headers["Cache-Control"] == "max-age=31536000"
    for path in ("/config.json", "/sw.js", "/courses/demo.json"):
        assert get(path).headers["Cache-Control"] == "no-cache", path

    # Records: only a POST of statements goes through, and the proxy adds the credentials.
    statement = {"id": str(uuid.uuid4()), "timestamp": "2026-12-06T10:00:00.000Z",
                 "actor": {"objectType": "Agent", "account": {"homePage": "https://x", "name": "learner"}},
                 "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
                 "object": {"objectType": "Activity", "id": "https://parcours.example.org/courses/demo"}}
    headers = {"X-Experience-API-Version": "1.0.3"}
    sent = requests.post(f"{url}/xapi/statements", json=[statement], headers=headers, verify=False, timeout=10)
    assert sent.status_code == 200, sent.text
    assert statement["id"] in {s["id"] for s in ralph.statements(limit=100)}
    assert "localhost" in front.server_names, "nginx names the LRS it expects (SNI)"
    for method, path in [("GET", "/xapi/statements"), ("GET", "/xapi/statements?limit=1"),
                         ("POST", "/xapi/statements?statementId=x"), ("PUT", "/xapi/statements"),
                         ("GET", "/xapi/about?x=1"), ("POST", "/xapi/about"), ("GET", "/xapi/activities/state")]:
        refused = requests.request(method, url + path, headers=headers, json=[statement], verify=False, timeout=10)
        assert refused.status_code == 403, (method, path, refused.status_code)
    # The LRS's `about` goes through, without the credentials: Ralph 5.1 has no such resource and
    # answers its own 404 (the player then speaks 1.0.3), not the proxy's refusal.
    about = requests.get(f"{url}/xapi/about", headers=headers, verify=False, timeout=10)
    assert about.status_code == 404 and about.json() == {"detail": "Not Found"}, about.text


@pytest.mark.parametrize("nginx", [False], indirect=True, ids=["lrs-ca-not-trusted"])
def test_the_proxy_sends_no_credentials_to_an_lrs_whose_certificate_it_cannot_verify(nginx):
    url, ralph, _, front = nginx
    statement = {"id": str(uuid.uuid4()), "timestamp": "2026-12-06T10:00:00.000Z",
                 "actor": {"objectType": "Agent", "account": {"homePage": "https://x", "name": "learner"}},
                 "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
                 "object": {"objectType": "Activity", "id": "https://parcours.example.org/courses/demo"}}
    sent = requests.post(f"{url}/xapi/statements", json=[statement], headers={"X-Experience-API-Version": "1.0.3"},
                         verify=False, timeout=10)
    assert sent.status_code == 502, (sent.status_code, sent.text)
    assert ralph.statements(limit=100) == [], "nothing went past the failed handshake"


def test_the_ralph_accounts_of_the_recipe_are_made_as_written(tmp_path):
    """The two `ralph auth` commands of docs/deploying.md, run as written (the password filled in),
    with Ralph started with the settings the doc names, give an account that only writes and one
    that only reads."""
    doc = " ".join(DEPLOYING.read_text().split())
    commands = re.findall(r"`(ralph auth [^`]+)`", doc)
    assert len(commands) == 2, commands
    settings = dict(re.findall(r"`(RALPH_LRS_RESTRICT_BY_[A-Z]+)=(true)`", doc))
    assert set(settings) == {"RALPH_LRS_RESTRICT_BY_AUTHORITY", "RALPH_LRS_RESTRICT_BY_SCOPES"}, settings
    ralph = Ralph(tmp_path / "ralph")
    ralph.env.update(settings)
    auth_file = tmp_path / "accounts.json"
    env = dict(ralph.env, RALPH_AUTH_FILE=str(auth_file))
    for command in commands:
        argv = command.replace("…", "a-long-secret").split()
        argv[0] = str(Path(sys.executable).parent / "ralph")
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (command, done.stderr[-500:])
    ralph.env["RALPH_AUTH_FILE"] = str(auth_file)
    ralph.start()
    try:
        writer, reader = ("parcours", "a-long-secret"), ("rapport", "a-long-secret")
        ralph.auth = writer
        statement = {"id": str(uuid.uuid4()), "timestamp": "2026-12-06T10:00:00.000Z",
                     "actor": {"objectType": "Agent", "account": {"homePage": "https://x", "name": "l"}},
                     "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                     "object": {"objectType": "Activity", "id": "https://parcours.example.org/courses/demo"}}
        assert ralph.post([statement]).status_code == 200, "the writing account writes"
        with pytest.raises(requests.HTTPError):
            ralph.statements(limit=10)  # and does not read: the proxy's credentials reveal no record
        ralph.auth = reader
        assert [s["id"] for s in ralph.statements(limit=10)] == [statement["id"]], "the reading account reads"
        assert ralph.post([dict(statement, id=str(uuid.uuid4()))]).status_code in (401, 403), "and only reads"
    finally:
        ralph.stop()
