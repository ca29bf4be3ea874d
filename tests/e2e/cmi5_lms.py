"""The LMS's part of a cmi5 launch, beside a real Ralph (which has no State or Agent Profile API):
fetch URLs that hand out a token once (§8.2), the State API holding `LMS.LaunchData` (§10), the
Agent Profile API holding the learner's preferences (§11), and the Statements resource, checked
against the token and forwarded to Ralph with its own credentials. Served on its own loopback
origin, with CORS for the content's origin only, as an LMS is for content it hosts elsewhere.

It behaves as ADL's reference cmi5 player (adlnet/CATAPULT, `player/service/plugins/routes/lrs.js`
and `v1/courses.js`), independently of what Parcours writes:
- `LMS.LaunchData` is written as the reference writes it: the template's grouping activity as
  `{"id": …}` with no `objectType`, and `masteryScore`, `returnURL`, `launchParameters` and
  `entitlementKey` only when the launch has them;
- a statement body is parsed and forwarded as `JSON.stringify` of it, with the length the AU
  announced: a body written otherwise reaches the LRS shorter than announced, and the reference
  answers 504 after its LRS timed out (here at once, recorded in `violations`);
- a session's token is good until its `terminated` (8.1.2.0-2): any request with it afterwards is
  refused with 403; statements before the learner preferences were read are refused (11.0.0.0-3);
- the rules of cmi5 an LMS can check (§9.3, §9.5, §10), answered with 403 and recorded: a
  statement must carry its launch's registration, actor and context template; a session starts
  with `initialized` and ends with one `terminated`; a registration has at most one `completed` and
  one `passed`, no `failed` after `passed`; `passed` at or above the mastery score and `failed`
  under it, the mastery score in their context; Browse and Review send only the session.
Every request is logged; `fail_statements` makes the LMS answer 504 (storing nothing) to the
batches it picks, as an overloaded LMS does."""

import base64
import decimal
import functools
import http.server
import json
import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import requests

CORS = {
    "Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Experience-API-Version",
    "Vary": "Origin",
}
CMI5_VERBS = {"initialized", "completed", "passed", "failed", "terminated", "launched", "abandoned", "waived",
              "satisfied"}
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"


def js_number(value):
    """A number as JavaScript's `String(number)` writes it (ECMA-262 Number::toString)."""
    if isinstance(value, bool) or isinstance(value, int):
        return json.dumps(value)
    if value != value or value in (float("inf"), float("-inf")):
        return "null"
    if value == 0:
        return "0"
    digits_tuple = decimal.Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digits_tuple.digits))
    k, n = len(digits), digits_tuple.exponent + len(digits)
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * -n + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        body = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return ("-" if value < 0 else "") + body


def js_stringify(value):
    """`JSON.stringify(value)` as JavaScript writes it."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{js_stringify(k)}:{js_stringify(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(js_stringify(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return js_number(value)


class Launch:
    """One launch prepared by the LMS: its registration, fetch key, token and launch data."""

    def __init__(self, lms, actor, activity_id, launch_data):
        self.registration = str(uuid.uuid4())
        self.fetch_key = uuid.uuid4().hex
        self.token = base64.b64encode(f"{self.registration}:{uuid.uuid4().hex}".encode()).decode()
        self.fetched = False
        self.preferences_read = False
        self.terminated = False
        self.mastery_score = None
        self.launch_mode = "Normal"
        self.actor = actor
        self.activity_id = activity_id
        self.launch_data = launch_data
        self.query = {
            "endpoint": f"{lms.url}/xapi/",
            "fetch": f"{lms.url}/fetch/{self.fetch_key}",
            "actor": json.dumps(actor),
            "registration": self.registration,
            "activityId": activity_id,
        }


def agent_key(agent_json):
    """An agent as the LMS identifies it: the same JSON however it is spaced or ordered."""
    try:
        return json.dumps(json.loads(agent_json or "null"), sort_keys=True)
    except ValueError:
        return None


class LmsHandler(http.server.BaseHTTPRequestHandler):
    lms = None

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        self.send_response(status)
        origin = self.headers.get("Origin")
        if origin is not None and origin in self.lms.allowed_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            for name, value in CORS.items():
                self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self):
        with self.lms.lock:
            self.lms.log.append({"method": "OPTIONS", "path": urlsplit(self.path).path, "query": {},
                                 "authorization": None, "version": None, "body": b"",
                                 "origin": self.headers.get("Origin"),
                                 "asked": self.headers.get("Access-Control-Request-Method")})
        self.reply(204)

    def do_GET(self):
        self.handle_request()

    def do_POST(self):
        self.handle_request()

    def do_PUT(self):
        self.handle_request()

    def handle_request(self):
        lms = self.lms
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lms.lock:
            lms.log.append({"method": self.command, "path": url.path, "query": query,
                            "authorization": self.headers.get("Authorization"),
                            "version": self.headers.get("X-Experience-API-Version"), "body": body,
                            "origin": self.headers.get("Origin")})
        if url.path in lms.pages:
            return self.reply(200, lms.pages[url.path], "text/html; charset=utf-8" if url.path.endswith(".html")
                              else "text/javascript; charset=utf-8")
        if url.path.startswith("/fetch/") and self.command == "POST":
            launch = lms.by_fetch_key(url.path.removeprefix("/fetch/"))
            if launch is None:
                return self.reply(404, {"error-code": "3", "error-text": "unknown launch"})
            if launch.fetched:
                return self.reply(200, {"error-code": "1", "error-text": "the token was already fetched"})
            launch.fetched = True
            return self.reply(200, {"auth-token": launch.token})
        if not url.path.startswith("/xapi/"):
            return self.reply(404, {"error": "not found"})

        launch = lms.by_token(self.headers.get("Authorization", "").removeprefix("Basic "))
        if launch is None:
            return self.reply(401, {"error": "no valid token"})
        resource = url.path.removeprefix("/xapi/")
        if launch.terminated:
            breach = f"{self.command} {resource} after terminated: the session's token has ended (8.1.2.0-2)"
            with lms.lock:
                lms.violations.append(breach)
            return self.reply(403, {"error": breach})
        if resource == "activities/state" and self.command == "GET":
            key = (query.get("activityId"), agent_key(query.get("agent")), query.get("registration"), query.get("stateId"))
            document = lms.states.get(key)
            return self.reply(200, document) if document is not None else self.reply(404, {"error": "no document"})
        if resource == "activities/state" and self.command in ("PUT", "POST"):
            key = (query.get("activityId"), agent_key(query.get("agent")), query.get("registration"), query.get("stateId"))
            lms.states[key] = json.loads(body or b"null")
            return self.reply(204)
        if resource == "agents/profile" and self.command == "GET":
            launch.preferences_read = True
            document = lms.profiles.get((agent_key(query.get("agent")), query.get("profileId")))
            return self.reply(200, document) if document is not None else self.reply(404, {"error": "no profile"})
        if resource == "statements" and self.command in ("POST", "PUT"):
            sent = json.loads(body)
            statements = sent if isinstance(sent, list) else [sent]
            if self.command == "PUT":
                statements[0]["id"] = query.get("statementId", statements[0].get("id"))
            forwarded = js_stringify(sent).encode()
            with lms.lock:
                if len(forwarded) != len(body):
                    # The reference forwards JSON.stringify of the body with the length announced:
                    # the LRS waits for the missing bytes and the player answers 504.
                    lms.violations.append(f"a body of {len(body)} bytes is forwarded as {len(forwarded)}: "
                                          "not written as JSON.stringify writes it")
                    return self.reply(504, {"error": "Client request timeout"})
                if lms.fail_statements(statements):
                    lms.failed.extend(statements)
                    return self.reply(504, {"error": "Gateway timeout"})
                if not launch.preferences_read:
                    breach = "statements before the learner preferences were read (11.0.0.0-3)"
                else:
                    breach = lms.breach(launch, statements)
                if breach:
                    lms.violations.append(breach)
                    return self.reply(403, {"error": breach})
                lms.statements.extend((launch, s) for s in statements)
                if any(s.get("verb", {}).get("id", "").endswith("/terminated")
                       and s.get("object", {}).get("id") == launch.activity_id for s in statements):
                    launch.terminated = True
            answer = requests.post(f"{lms.ralph.url}/xAPI/statements", data=forwarded, auth=lms.ralph.auth,
                                   headers={"X-Experience-API-Version": "1.0.3",
                                            "Content-Type": "application/json"}, timeout=30)
            if self.command == "PUT" and answer.status_code == 200:
                return self.reply(204)
            return self.reply(answer.status_code, answer.content)
        return self.reply(404, {"error": f"no {self.command} {resource} here"})


class FixtureLms:
    """The LMS on a free loopback port: `launch(...)` prepares a launch, `log` and `statements`
    say what came in. `pages` serves extra files (the reference AU)."""

    def __init__(self, ralph):
        self.ralph = ralph
        self.lock = threading.Lock()
        self.log, self.statements, self.launches = [], [], []
        self.states, self.profiles, self.pages = {}, {}, {}
        # The cmi5 rules broken by what was sent (each answered 403).
        self.violations = []
        # Origins allowed to call the LMS from a browser (the content's, once it is served).
        self.allowed_origins = set()
        # Per session id: the verbs received so far; per registration: the cmi5 verbs received.
        self.sessions, self.registrations = {}, {}
        # Which batches of statements to answer 504 (storing nothing), and those so answered.
        self.fail_statements = lambda statements: False
        self.failed = []
        handler = type("Handler", (LmsHandler,), {"lms": self})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.allowed_origins.add(self.url)  # its own pages (the reference AU)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def launch(self, actor, activity_id, launch_mode="Normal", mastery_score=None, move_on="CompletedAndPassed",
               return_url=None, language=None):
        launch = Launch(self, actor, activity_id, None)
        session_id = str(uuid.uuid4())
        # As the reference player writes it (`v1/courses.js`): what it has, in its order.
        launch.launch_data = {"launchMode": launch_mode}
        if mastery_score is not None:
            launch.launch_data["masteryScore"] = mastery_score
        launch.launch_data["moveOn"] = move_on
        launch.launch_data["contextTemplate"] = {
            "contextActivities": {"grouping": [{"id": f"{activity_id}#course"}]},
            "extensions": {SESSION_ID: session_id},
        }
        launch.launch_data["returnURL"] = return_url or f"{self.url}/returned.html"
        launch.mastery_score = mastery_score
        launch.session_id = session_id
        launch.launch_mode = launch_mode
        key = (activity_id, agent_key(launch.query["actor"]), launch.registration, "LMS.LaunchData")
        self.states[key] = launch.launch_data
        if language:
            self.profiles[(agent_key(launch.query["actor"]), "cmi5LearnerPreferences")] = {"languagePreference": language}
        self.launches.append(launch)
        return launch

    def relaunch(self, launch):
        """The same enrolment launched again (another day, another computer): a new fetch URL
        and token, the same registration and launch data."""
        again = Launch(self, launch.actor, launch.activity_id, launch.launch_data)
        again.registration = launch.registration
        again.query["registration"] = launch.registration
        again.session_id = str(uuid.uuid4())
        again.launch_mode = launch.launch_mode
        again.mastery_score = launch.mastery_score
        # A new session: the launch data is the same but for the session id of the context template.
        again.launch_data = json.loads(json.dumps(launch.launch_data))
        again.launch_data["contextTemplate"]["extensions"][SESSION_ID] = again.session_id
        key = (again.activity_id, agent_key(again.query["actor"]), again.registration, "LMS.LaunchData")
        self.states[key] = again.launch_data
        self.launches.append(again)
        return again

    def breach(self, launch, statements):
        """The first cmi5 rule `statements` (sent with `launch`'s token) break, or None. Takes
        the statements in, in order, when they break none (call with `lock` held)."""
        sessions = {key: list(verbs) for key, verbs in self.sessions.items()}
        registrations = {key: list(verbs) for key, verbs in self.registrations.items()}
        for statement in statements:
            verb = statement.get("verb", {}).get("id", "").rsplit("/", 1)[-1]
            context = statement.get("context", {})
            if context.get("registration") != launch.registration:
                return f"{verb}: a statement of another registration"
            if agent_key(json.dumps(statement.get("actor"))) != agent_key(launch.query["actor"]):
                return f"{verb}: an actor other than the launch's"
            session = context.get("extensions", {}).get(SESSION_ID)
            if session != launch.session_id:
                return f"{verb}: session id {session!r}, not the launch's"
            about_au = statement.get("object", {}).get("id") == launch.activity_id
            received = sessions.setdefault(session, [])
            if not received and verb != "initialized":
                return f"{verb} before initialized (§9.3.2)"
            if "terminated" in received:
                return f"{verb} after terminated (§9.3.8)"
            if verb == "initialized" and received:
                return "a second initialized in a session (§9.3.2)"
            if launch.launch_mode != "Normal" and verb not in ("initialized", "terminated"):
                return f"{verb} in {launch.launch_mode} mode (§10.2.2)"
            template = launch.launch_data["contextTemplate"]
            for kind, expected in template["contextActivities"].items():
                given = context.get("contextActivities", {}).get(kind, [])
                if [a.get("id") for a in given[:len(expected)]] != [a["id"] for a in expected]:
                    return f"{verb}: context does not match the template's {kind} (10.2.1.0-6)"
            scaled = (statement.get("result") or {}).get("score", {}).get("scaled")
            if about_au and verb in ("passed", "failed") and launch.mastery_score is not None \
                    and scaled is not None:
                if context.get("extensions", {}).get(MASTERY) != launch.mastery_score:
                    return f"{verb}: the mastery score is not in its context (9.6.3.2-2)"
                if (verb == "passed") != (scaled >= launch.mastery_score):
                    return f"{verb} with a score of {scaled} against a mastery score of {launch.mastery_score} (9.3.4)"
            if about_au and verb in CMI5_VERBS:
                done = registrations.setdefault(launch.registration, [])
                if verb in ("completed", "passed") and verb in done:
                    return f"a second {verb} in the registration (§9.3.3)"
                if verb == "failed" and "passed" in done:
                    return "failed after passed (§9.3.5)"
                if verb in ("completed", "passed", "failed"):
                    done.append(verb)
            received.append(verb)
        self.sessions, self.registrations = sessions, registrations
        return None

    def saved_state(self, launch, state_id):
        return self.states.get((launch.activity_id, agent_key(launch.query["actor"]), launch.registration, state_id))

    def by_fetch_key(self, key):
        return next((launch for launch in self.launches if launch.fetch_key == key), None)

    def by_token(self, token):
        return next((launch for launch in self.launches if launch.token == token), None)

    def requests_of(self, launch):
        """The requests a launch made, in order: its fetch, then everything with its token."""
        with self.lock:
            return [r for r in self.log if r["path"] == f"/fetch/{launch.fetch_key}"
                    or r["authorization"] == f"Basic {launch.token}"]

    def statements_of(self, launch):
        with self.lock:
            return [s for made_by, s in self.statements if made_by is launch]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def serve_folder(root):
    """A plain static server (no single-page-app fallback), as an LMS serves an imported package."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
