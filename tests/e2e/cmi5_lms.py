"""The LMS's part of a cmi5 launch, beside a real Ralph (which has no State or Agent Profile API):
fetch URLs that hand out a token once (§8.2), the State API holding `LMS.LaunchData` (§10), the
Agent Profile API holding the learner's preferences (§11), and the Statements resource, checked
against the token and forwarded to Ralph with its own credentials. Served on its own loopback
origin, with CORS for the content's origin only, as an LMS is for content it hosts elsewhere.

It enforces the rules of cmi5 an LMS can check (§9.3, §9.5, §10), answering 403 as the spec asks
and recording each breach in `violations`: a statement must carry the token of its launch, its
registration and its actor; a session starts with `initialized` and ends with one `terminated`,
nothing after it; a registration has at most one `completed` and one `passed`, no `failed` after
`passed`; Browse and Review launches send only `initialized` and `terminated`. Every request is
logged."""

import base64
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


class Launch:
    """One launch prepared by the LMS: its registration, fetch key, token and launch data."""

    def __init__(self, lms, actor, activity_id, launch_data):
        self.registration = str(uuid.uuid4())
        self.fetch_key = uuid.uuid4().hex
        self.token = base64.b64encode(f"{self.registration}:{uuid.uuid4().hex}".encode()).decode()
        self.fetched = False
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
        if resource == "activities/state" and self.command == "GET":
            key = (query.get("activityId"), agent_key(query.get("agent")), query.get("registration"), query.get("stateId"))
            document = lms.states.get(key)
            return self.reply(200, document) if document is not None else self.reply(404, {"error": "no document"})
        if resource == "activities/state" and self.command in ("PUT", "POST"):
            key = (query.get("activityId"), agent_key(query.get("agent")), query.get("registration"), query.get("stateId"))
            lms.states[key] = json.loads(body or b"null")
            return self.reply(204)
        if resource == "agents/profile" and self.command == "GET":
            document = lms.profiles.get((agent_key(query.get("agent")), query.get("profileId")))
            return self.reply(200, document) if document is not None else self.reply(404, {"error": "no profile"})
        if resource == "statements" and self.command in ("POST", "PUT"):
            sent = json.loads(body)
            statements = sent if isinstance(sent, list) else [sent]
            if self.command == "PUT":
                statements[0]["id"] = query.get("statementId", statements[0].get("id"))
            with lms.lock:
                breach = lms.breach(launch, statements)
                if breach:
                    lms.violations.append(breach)
                    return self.reply(403, {"error": breach})
                lms.statements.extend((launch, s) for s in statements)
            answer = requests.post(f"{lms.ralph.url}/xAPI/statements", json=statements, auth=lms.ralph.auth,
                                   headers={"X-Experience-API-Version": "1.0.3"}, timeout=30)
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
        handler = type("Handler", (LmsHandler,), {"lms": self})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.allowed_origins.add(self.url)  # its own pages (the reference AU)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def launch(self, actor, activity_id, launch_mode="Normal", mastery_score=None, move_on="CompletedAndPassed",
               return_url=None, language=None):
        launch = Launch(self, actor, activity_id, None)
        session_id = str(uuid.uuid4())
        launch.launch_data = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity", "id": f"{activity_id}#course"}]},
                "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": session_id},
            },
            "launchMode": launch_mode,
            "moveOn": move_on,
            "returnURL": return_url or f"{self.url}/returned.html",
            "entitlementKey": {"courseStructure": "parcours-test"},
        }
        if mastery_score is not None:
            launch.launch_data["masteryScore"] = mastery_score
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
