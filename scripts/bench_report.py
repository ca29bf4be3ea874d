#!/usr/bin/env python3
"""Benchmark of `parcours report` at campus scale: 200,000 statements in a real Ralph.

Simulates learners taking the flagship course as the player records them (a session opened,
lessons experienced, practice questions answered, progress at each module, one or two attempts at
the assessment, completion, a rating for most, sessions closed with their duration), loads them
into a local Ralph through its Statements API, then times `parcours report` over them and
measures its peak memory, at 50,000 statements and at 200,000: the report streams, so its memory
should not grow with the count.

Prints figures; asserts nothing about speed (machines here are shared and noisy).

Usage: .venv/bin/python scripts/bench_report.py [--statements 200000]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from lrs import PASSWORD, USER, Ralph  # noqa: E402

BINARY = ROOT / "target" / "release" / "parcours"
ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITIES = "http://adlnet.gov/expapi/activities/"
PAGE = 10_000


def activity(iri, kind, name):
    return {"objectType": "Activity", "id": iri, "definition": {"type": ACTIVITIES + kind, "name": {"fr": name}}}


class Learner:
    """One simulated learner's statements, shaped as the player makes them."""

    def __init__(self, course, rng, n, start):
        self.course, self.rng, self.at = course, rng, start
        self.actor = {"objectType": "Agent", "account": {"homePage": "https://campus.example.gouv.fr", "name": f"agent-{n}"}}
        self.registration = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.course_activity = activity(course["id"], "course", course["title"])
        self.out = []

    def emit(self, verb, obj, result=None, parent=None, namespace=ADL):
        self.at += timedelta(seconds=self.rng.randint(5, 90))
        context = {"registration": self.registration, "language": "fr", "platform": "Parcours"}
        activities = {}
        if obj["id"] != self.course["id"]:
            activities["grouping"] = [self.course_activity]
        if parent:
            activities["parent"] = [parent]
        if activities:
            context["contextActivities"] = activities
        statement = {"id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), "actor": self.actor,
                     "verb": {"id": namespace + verb, "display": {"en-US": verb}}, "object": obj, "context": context,
                     "timestamp": self.at.isoformat(timespec="milliseconds").replace("+00:00", "Z")}
        if result:
            statement["result"] = result
        self.out.append(statement)

    def session(self, minutes):
        self.emit("initialized", self.course_activity)
        return minutes

    def close(self, minutes):
        self.emit("terminated", self.course_activity, {"duration": f"PT{minutes}M"})

    def take_course(self):
        course, rng = self.course, self.rng
        sessions = rng.choice([1, 2, 2, 3])
        lessons = [l for m in course["modules"] for l in m["lessons"]]
        per_session = -(-len(lessons) // sessions)
        for s in range(sessions):
            self.session(0)
            for lesson in lessons[s * per_session:(s + 1) * per_session]:
                lesson_activity = activity(f"{course['id']}/lessons/{lesson['id']}", "lesson", lesson["title"])
                self.emit("experienced", lesson_activity)
                for block in lesson["body"]:
                    for item in block.get("quiz", {}).get("items", []):
                        q = item["question"]
                        right = rng.random() < 0.8
                        self.emit("answered", activity(f"{course['id']}/questions/{q['id']}", "cmi.interaction", q["title"] or q["id"]),
                                  {"success": right, "response": "x"}, parent=lesson_activity)
            self.emit("progressed", self.course_activity,
                      {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": min(100, (s + 1) * 100 // sessions)}})
            self.close(rng.randint(10, 40))
        self.emit("completed", self.course_activity, {"completion": True, "duration": "PT55M"})
        assessment = course["assessments"][0]
        assessment_activity = activity(f"{course['id']}/assessments/{assessment['id']}", "assessment", assessment["title"])
        for attempt in range(rng.choice([1, 1, 1, 2])):
            self.session(0)
            skill = rng.uniform(0.5, 1.0) + 0.1 * attempt
            right_count = 0
            for item in assessment["items"]:
                q = item["question"]
                right = rng.random() < skill
                right_count += right
                self.emit("answered", activity(f"{course['id']}/questions/{q['id']}", "cmi.interaction", q["title"] or q["id"]),
                          {"success": right, "response": "x"}, parent=assessment_activity)
            total = len(assessment["items"])
            passed = right_count / total >= assessment["pass_mark"]
            self.emit("passed" if passed else "failed", assessment_activity,
                      {"score": {"scaled": right_count / total, "raw": right_count, "min": 0, "max": total},
                       "success": passed, "duration": "PT12M"}, parent=self.course_activity)
            if rng.random() < 0.7:
                rating = rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 14, 45, 35])[0]
                self.emit("rated", self.course_activity, {"score": {"raw": rating, "min": 1, "max": 5, "scaled": (rating - 1) / 4}},
                          namespace="http://id.tincanapi.com/verb/")
            self.close(rng.randint(10, 20))
            if passed:
                break
        return self.out


def generate(count, seed=2026):
    course = json.loads(subprocess.run([str(BINARY), "check", "--json", "courses/ia-generatives"], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, tzinfo=timezone.utc)
    made, learners = [], 0
    while len(made) < count:
        begin = start + timedelta(days=rng.randint(0, 330), hours=rng.randint(7, 18))
        made += Learner(course, rng, learners, begin).take_course()
        learners += 1
    return made[:count], learners


def load(ralph, statements, batch=5000):
    for i in range(0, len(statements), batch):
        answer = requests.post(f"{ralph.url}/xAPI/statements", json=statements[i:i + batch], auth=ralph.auth,
                               headers={"X-Experience-API-Version": "1.0.3"}, timeout=600)
        answer.raise_for_status()


def peak_mib_of(command, env):
    """Runs `command` and returns (seconds, peak resident memory in MiB, stdout).

    The peak is the child's own `VmHWM`, read from /proc while it runs: `getrusage`'s maxrss of a
    forked child also counts the parent's pages before `exec` (here, the generated statements)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.monotonic()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        peak_kib = 0
        while child.poll() is None:
            try:
                status = Path(f"/proc/{child.pid}/status").read_text()
                peak_kib = max(peak_kib, int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]))
            except (OSError, StopIteration, ValueError):
                pass
            time.sleep(0.02)
        seconds = time.monotonic() - began
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{command[1]} failed: {err.read().decode()[-2000:]}")
        return seconds, peak_kib / 1024, out.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=200_000)
    args = parser.parse_args()
    if not BINARY.exists():
        raise SystemExit("target/release/parcours is missing: run `make dist` first")

    began = time.monotonic()
    statements, learners = generate(args.statements)
    print(f"generated {len(statements):,} statements for {learners:,} learners in {time.monotonic() - began:.1f} s")

    env = dict(os.environ, PARCOURS_LRS_USERNAME=USER, PARCOURS_LRS_PASSWORD=PASSWORD)
    with tempfile.TemporaryDirectory() as directory:
        ralph = Ralph(Path(directory))
        ralph.env["RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT"] = str(PAGE)
        ralph.start()
        try:
            loaded = 0
            for checkpoint in sorted({min(50_000, len(statements)), len(statements)}):
                began = time.monotonic()
                load(ralph, statements[loaded:checkpoint])
                print(f"loaded {checkpoint - loaded:,} statements into Ralph in {time.monotonic() - began:.1f} s")
                loaded = checkpoint
                command = [str(BINARY), "report", "--endpoint", f"{ralph.url}/xAPI/", "--json", "--page-size", str(PAGE)]
                seconds, peak, out = peak_mib_of(command, env)
                report = json.loads(out)
                total = report["courses"][0]["total"]
                print(f"report over {report['statements_read']:,} statements: {seconds:.1f} s, "
                      f"{report['statements_read'] / seconds:,.0f} statements/s, peak memory {peak:.1f} MiB")
                print(f"  figures: {total['learners']:,} learners, {total['completed']:,} completed, {total['passed']:,} passed, "
                      f"mean best score {total['mean_best_score']:.2f}, {total['hours']:,.0f} hours, "
                      f"satisfaction {total['satisfaction_mean']:.2f} ({total['satisfaction_answers']:,} answers)")
        finally:
            ralph.stop()


if __name__ == "__main__":
    main()
