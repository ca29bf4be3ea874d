"""The `/xapi/` reverse proxy's rules, and a small proxy that applies them (for `make run`).

The proxy holds the LRS's credentials, so whatever it forwards is done with them on behalf of an
anonymous browser. It must therefore forward only what the player sends, and refuse the rest:

- `POST /xapi/statements` (no query string), a JSON body of at most MAX_BODY bytes: a batch of
  statements from the outbox, sent with the credentials;
- `GET /xapi/about` (no query string), sent **without** the credentials (the LRS answers it to
  anyone): the versions of xAPI the LRS speaks, which the player reads to speak 1.0.3 or 2.0.0.
Nothing else: no GET of statements (it would hand anyone every learner's records), no PUT/DELETE,
no other xAPI resource (state, profiles, agents).

The nginx recipe (docs/nginx/parcours.conf), the dev server of `make run` (Trunk forwards `/xapi/` here) and the test
server (tests/e2e/conftest.py imports `refusal`) follow these same rules.

Run: python xapi_gate.py --port 8101 --lrs http://127.0.0.1:8100/xAPI/ --auth-file FILE
(FILE holds `user:password` on one line: credentials never appear on a command line).
"""

import argparse
import http.server
from urllib.parse import urlsplit

STATEMENTS_PATH = "/xapi/statements"
ABOUT_PATH = "/xapi/about"
# The player sends at most 50 statements per POST, a few KB each.
MAX_BODY = 1_000_000


def refusal(method, path, length):
    """Why this request may not be forwarded (HTTP status, reason), or None when it may."""
    url = urlsplit(path)
    if url.path == ABOUT_PATH and method in ("GET", "HEAD"):
        return (403, "the player asks the LRS's about without a query string") if url.query else None
    if url.path != STATEMENTS_PATH:
        return 403, "only POST /xapi/statements goes through this proxy"
    if method != "POST":
        return 405, "only POST /xapi/statements goes through this proxy"
    if url.query:
        return 403, "the player posts statements without a query string"
    if length is None or length > MAX_BODY:
        return 413, f"a batch of statements is at most {MAX_BODY} bytes"
    return None


class Gate(http.server.BaseHTTPRequestHandler):
    lrs = None
    auth = None

    def handle_any(self):
        import requests

        length = self.headers.get("Content-Length")
        length = int(length) if length and length.isdigit() else None
        refused = refusal(self.command, self.path, length if self.command == "POST" else 0)
        if refused:
            status, reason = refused
            return self.reply(status, reason.encode(), "text/plain; charset=utf-8")
        headers = {name: self.headers[name] for name in ("Content-Type", "X-Experience-API-Version") if self.headers[name]}
        try:
            if self.command != "POST":
                # `about`, without the credentials.
                answer = requests.get(self.lrs + "about", headers=headers, timeout=10)
            else:
                body = self.rfile.read(length)
                answer = requests.post(self.lrs + "statements", data=body, headers=headers, auth=self.auth, timeout=30)
        except requests.RequestException:
            return self.reply(502, b"LRS unreachable", "text/plain")
        return self.reply(answer.status_code, answer.content, answer.headers.get("Content-Type", "application/json"))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = handle_any

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lrs", required=True, help="the LRS's xAPI base URL, ending with /")
    parser.add_argument("--auth-file", required=True, help="a file holding user:password")
    options = parser.parse_args()
    with open(options.auth_file, encoding="utf-8") as file:
        user, _, password = file.read().strip().partition(":")
    handler = type("ConfiguredGate", (Gate,), {"lrs": options.lrs, "auth": (user, password)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", options.port), handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
