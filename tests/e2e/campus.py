"""A simulated campus: learners taking the flagship course, their statements shaped as the player
makes them (a session opened, lessons experienced, practice questions answered, progress at each
module, one or two attempts at the assessment, completion, a rating for most, sessions closed with
their duration). Used by the report's benchmark (scripts/bench_report.py) and by the tests that
load the same campus into two LRSs."""

import json
import random
import subprocess
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "target" / "release" / "parcours"
ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITIES = "http://adlnet.gov/expapi/activities/"


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


def generate(count, seed=2026, start=datetime(2026, 1, 5, tzinfo=timezone.utc), days=330, first_learner=0):
    """`count` statements (the last learner's cut short) and how many learners made them, the
    learners numbered from `first_learner` and starting within `days` of `start`."""
    course = json.loads(subprocess.run([str(BINARY), "check", "--json", "courses/ia-generatives"], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    rng = random.Random(seed)
    made, learners = [], 0
    while len(made) < count:
        begin = start + timedelta(days=rng.randint(0, days), hours=rng.randint(7, 18) if days else 0)
        made += Learner(course, rng, first_learner + learners, begin).take_course()
        learners += 1
    return made[:count], learners
