#!/usr/bin/env python3
"""How long a course takes, part by part: words to read, questions to answer, media to play.

Prints, for each module and assessment of a course, the words of its lessons (the text a learner
reads, questions left out), its questions by kind, and an estimated time. The estimate is a rule of
thumb for instructional designers, not a measurement:
  - reading: 200 words a minute (the player's own estimate when a course gives no duration), for
    lessons and for questions alike;
  - a question: reading its statement and every option, 15 s to decide per choice to make (one for
    a choice question, one per row of a matching question), and reading the feedback shown (one
    answer's feedback, on average, and the general feedback);
  - an essay: reading its statement, 3 min of writing, then reading the model answer;
  - a video or a sound: its duration.

Usage: scripts/course_time.py courses/ia-generatives   (needs target/release/parcours or PARCOURS)
"""

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_MINUTE = 200
DECIDE_MINUTES = 0.25
WRITE_MINUTES = 3.0


def words(fragment):
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return len(text.split())


def count(text):
    return len((text or "").split())


def kind_name(question):
    answers = question["answers"]
    return "multiple-choice" if answers["type"] == "choice" and answers.get("multiple") else answers["type"]


def question_minutes(question):
    answers = question["answers"]
    kind = answers["type"]
    read = count(question["stem"]) + count(question.get("after_gap"))
    feedback = count(question.get("general_feedback"))
    decisions = 1
    if kind == "essay":
        return read / WORDS_PER_MINUTE + WRITE_MINUTES + feedback / WORDS_PER_MINUTE
    if kind == "description":
        return read / WORDS_PER_MINUTE
    if kind == "choice":
        choices = answers["choices"]
        read += sum(count(c["text"]) for c in choices)
        feedback += sum(count(c.get("feedback")) for c in choices) / len(choices)
        # Several answers may be right: each box is a decision, and each ticked one shows its feedback.
        decisions = len(choices) if answers.get("multiple") else 1
    elif kind == "matching":
        pairs = answers["pairs"]
        read += sum(count(p["prompt"]) + count(p["answer"]) for p in pairs)
        decisions = sum(1 for p in pairs if p["prompt"])
    elif kind == "true-false":
        feedback += max(count(answers.get("feedback_when_right")), count(answers.get("feedback_when_wrong")))
    else:
        answers_list = answers.get("answers", [])
        feedback += sum(count(a.get("feedback")) for a in answers_list) / max(1, len(answers_list))
    return (read + feedback) / WORDS_PER_MINUTE + DECIDE_MINUTES * decisions


def lesson_figures(lesson):
    read, questions, kinds, media = 0, 0.0, {}, 0.0
    for block in lesson["body"]:
        if block["kind"] == "html":
            read += words(block["html"])
        elif block["kind"] == "quiz":
            for item in block["quiz"]["items"]:
                q = item["question"]
                kinds[kind_name(q)] = kinds.get(kind_name(q), 0) + 1
                questions += question_minutes(q)
        elif block["kind"] == "media" and block["media"].get("duration_seconds"):
            media += block["media"]["duration_seconds"] / 60
    return read, questions, kinds, media


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "courses/ia-generatives"
    binary = os.environ.get("PARCOURS", str(ROOT / "target" / "release" / "parcours"))
    course = json.loads(subprocess.run([binary, "check", "--json", folder], check=True, capture_output=True,
                                       text=True).stdout)
    rows, total_words, total_minutes = [], 0, 0.0
    for module in course["modules"]:
        read = questions = media = 0.0
        kinds = {}
        for lesson in module["lessons"]:
            r, q, k, m = lesson_figures(lesson)
            read, questions, media = read + r, questions + q, media + m
            for kind, n in k.items():
                kinds[kind] = kinds.get(kind, 0) + n
        minutes = read / WORDS_PER_MINUTE + questions + media
        rows.append((module["title"], len(module["lessons"]), int(read), kinds, read / WORDS_PER_MINUTE, questions,
                     media, minutes))
        total_words += read
        total_minutes += minutes
    for assessment in course["assessments"]:
        kinds, questions = {}, 0.0
        for item in assessment["items"]:
            q = item["question"]
            kinds[kind_name(q)] = kinds.get(kind_name(q), 0) + 1
            questions += question_minutes(q)
        rows.append((assessment["title"], 0, 0, kinds, 0.0, questions, 0.0, questions))
        total_minutes += questions

    print(f"{course['title']} (declared: {course.get('duration_minutes')} min)")
    print(f"{'part':58} {'lessons':>7} {'words':>6} {'read':>6} {'answer':>6} {'media':>6} {'total':>6}  questions")
    for title, lessons, read, kinds, read_min, answer_min, media_min, minutes in rows:
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        print(f"{title[:58]:58} {lessons:>7} {read:>6} {read_min:>6.1f} {answer_min:>6.1f} {media_min:>6.1f} "
              f"{minutes:>6.1f}  {listed}")
    print(f"{'total':58} {'':>7} {int(total_words):>6} {'':>6} {'':>6} {'':>6} {total_minutes:>6.1f}")


if __name__ == "__main__":
    main()
