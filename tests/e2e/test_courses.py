"""The bundled courses, followed from the first lesson to a passed assessment, answering from
the course's own JSON (`parcours check --json`) the way a learner who knows the answers would."""

import json
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import ROOT
from test_player import heading, link, wait
from test_progress import reach_end, ticked


def course_json(slug):
    binary = ROOT / "target" / "release" / "parcours"
    out = subprocess.run([str(binary), "check", "--json", f"courses/{slug}"], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def number_text(value):
    """A number as a French learner types it (decimal comma)."""
    if value["kind"] == "range":
        middle = (value["min"] + value["max"]) / 2
    else:
        middle = value["value"]
    return f"{middle:g}".replace(".", ",")


def matching_values(answers):
    """For each prompt of a matching question, the option value of its right answer (options list
    each distinct answer once, in order)."""
    offered = []
    for pair in answers["pairs"]:
        if pair["answer"] not in offered:
            offered.append(pair["answer"])
    return [str(offered.index(p["answer"])) for p in answers["pairs"] if p["prompt"]]


def answer_right(fieldset, question):
    """Answers one question right through its controls (option values are answer indexes)."""
    answers = question["answers"]
    kind = answers["type"]
    if kind == "true-false":
        fieldset.find_element(By.CSS_SELECTOR, f"input[value='{str(answers['correct']).lower()}']").click()
    elif kind == "choice" and question.get("after_gap") and not answers["multiple"]:
        best = max(range(len(answers["choices"])), key=lambda i: answers["choices"][i]["weight"])
        Select(fieldset.find_element(By.TAG_NAME, "select")).select_by_value(str(best))
    elif kind == "choice":
        weights = [c["weight"] for c in answers["choices"]]
        chosen = [i for i, w in enumerate(weights) if w > 0] if answers["multiple"] else [weights.index(max(weights))]
        for index in chosen:
            fieldset.find_element(By.CSS_SELECTOR, f"input[value='{index}']").click()
    elif kind == "short-answer":
        right = next(a["text"] for a in answers["answers"] if a["weight"] == 1)
        fieldset.find_element(By.CSS_SELECTOR, "input[type=text]").send_keys(right)
    elif kind == "numeric":
        right = next(a["value"] for a in answers["answers"] if a["weight"] == 1)
        fieldset.find_element(By.CSS_SELECTOR, "input[type=text]").send_keys(number_text(right))
    elif kind == "matching":
        for select, value in zip(fieldset.find_elements(By.TAG_NAME, "select"), matching_values(answers)):
            Select(select).select_by_value(value)
    elif kind == "essay":
        fieldset.find_element(By.TAG_NAME, "textarea").send_keys("Une réponse libre.")
    else:
        assert kind == "description", kind


def answer_and_check(browser, question):
    """Answers one practice question right and checks it."""
    fieldset = browser.find_element(By.ID, f"q-{question['id']}")
    answer_right(fieldset, question)
    fieldset.find_element(By.CSS_SELECTOR, "button.check").click()
    feedback = wait(browser).until(lambda _: fieldset.find_element(By.CSS_SELECTOR, ".feedback").text)
    assert "Bonne réponse" in feedback or "Correct" in feedback or "Réponse enregistrée" in feedback \
        or "Answer saved" in feedback, f"{question['id']}: {feedback}"


def practice_questions(lesson):
    return [item["question"] for block in lesson["body"] for item in block.get("quiz", {}).get("items", [])
            if item["question"]["answers"]["type"] != "description"]


def complete_lesson_from_here(browser, lesson):
    """Follows the link to `lesson`, answers its questions right, reads it to its end, and waits
    until the table of contents ticks it."""
    link(browser, lesson["title"]).click()
    heading(browser, lesson["title"])
    for question in practice_questions(lesson):
        answer_and_check(browser, question)
    reach_end(browser)
    wait(browser).until(lambda b: lesson["title"] in ticked(b))


def lessons_of(course):
    return [lesson for module in course["modules"] for lesson in module["lessons"]]


def read_transcripts(browser):
    """Opens the transcript of each video and sound of the page: what a learner who reads instead
    of watching does, and enough for the lesson to count them as followed."""
    for toggle in browser.find_elements(By.CSS_SELECTOR, ".transcript-toggle[aria-expanded=false]"):
        browser.execute_script("arguments[0].click()", toggle)


def complete_lesson(browser, site, course, lesson, done):
    """Opens a lesson, answers its practice questions right, reads the transcripts of its media
    and reads it to the end."""
    browser.get(f"{site}/learn/{course['slug']}/{lesson['id']}")
    heading(browser, lesson["title"])
    for question in practice_questions(lesson):
        answer_and_check(browser, question)
    read_transcripts(browser)
    reach_end(browser)
    wait(browser).until(lambda b: len(ticked(b)) >= done)


def pass_assessment(browser, site, course, assessment, navigate=True, on_question=None):
    """Takes an assessment, answering every question right (opening its page first if `navigate`);
    `on_question(number)` is called on each question before it is answered."""
    if navigate:
        browser.get(f"{site}/learn/{course['slug']}/assessment/{assessment['id']}")
    heading(browser, assessment["title"])
    browser.find_element(By.CSS_SELECTOR, ".assessment button.primary").click()
    questions = {f"q-{item['question']['id']}": item["question"] for item in assessment["items"]}
    for index in range(len(questions)):
        fieldset = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "fieldset.question"))
        if on_question:
            on_question(index + 1)
        answer_right(fieldset, questions[fieldset.get_attribute("id")])
        last = index == len(questions) - 1
        browser.find_element(By.CSS_SELECTOR, ".assessment-nav .primary").click()
        if not last:
            wait(browser).until(lambda b, n=index: b.find_element(By.ID, "assessment-step").text.split()[1] == str(n + 2))
    results = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".results")).text
    review = browser.find_element(By.CSS_SELECTOR, ".review").text
    assert ("Réussi" in results or "Passed" in results) and "(100 %)" in results, results + review


def walk_course(browser, site, course, look, each_question=True):
    """Every kind of page of a course, as a learner meets them, with `look(name)` called on each:
    the catalog, the course page, every lesson (then with each question checked empty, answered,
    and its transcripts open), every assessment (its start, its questions: each or the first,
    its results), the completed course page and the attestation."""
    slug = course["slug"]
    browser.get(site + "/")
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".course-card"))
    look("catalog")
    browser.get(f"{site}/learn/{slug}")
    heading(browser, course["title"])
    look("course page")
    for done, lesson in enumerate(lessons_of(course), start=1):
        browser.get(f"{site}/learn/{slug}/{lesson['id']}")
        heading(browser, lesson["title"])
        look(f"lesson {lesson['id']}")
        questions = practice_questions(lesson)
        if questions:
            # Checked with no answer: the error message of each question.
            for button in browser.find_elements(By.CSS_SELECTOR, "button.check"):
                browser.execute_script("arguments[0].click()", button)
            look(f"lesson {lesson['id']}, checked empty")
            for question in questions:
                answer_and_check(browser, question)
            look(f"lesson {lesson['id']}, answered")
        if browser.find_elements(By.CSS_SELECTOR, ".transcript-toggle"):
            read_transcripts(browser)
            look(f"lesson {lesson['id']}, transcripts open")
        reach_end(browser)
        wait(browser).until(lambda b, done=done: len(ticked(b)) >= done)
    for assessment in course["assessments"]:
        name = f"assessment {assessment['id']}"
        browser.get(f"{site}/learn/{slug}/assessment/{assessment['id']}")
        heading(browser, assessment["title"])
        look(name)
        pass_assessment(browser, site, course, assessment, navigate=False,
                        on_question=lambda n, name=name: (each_question or n == 1) and look(f"{name}, question {n}"))
        look(f"{name}, results")
    browser.get(f"{site}/learn/{slug}")
    heading(browser, course["title"])
    look("course page, completed")
    link(browser, "Attestation de suivi" if course["language"] == "fr" else "Certificate of completion").click()
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".certificate"))
    look("attestation")


def test_the_course_page_lists_the_learning_objectives_under_a_heading(browser, site):
    course = course_json("ia-generatives")
    browser.get(f"{site}/learn/ia-generatives")
    heading(browser, course["title"])
    section = browser.find_element(By.CSS_SELECTOR, "section.objectives")
    assert section.accessible_name == "À la fin de ce parcours, vous saurez :"
    listed = [item.text for item in section.find_elements(By.CSS_SELECTOR, "li")]
    assert listed == course["objectives"] and len(listed) == 5, listed


@pytest.mark.parametrize("slug", ["ia-generatives", "writing-a-course"])
def test_a_bundled_course_is_completed_and_its_assessments_passed(browser, site, slug):
    course = course_json(slug)
    browser.get(f"{site}/learn/{slug}")
    heading(browser, course["title"])
    for done, lesson in enumerate(lessons_of(course), start=1):
        complete_lesson(browser, site, course, lesson, done)
    for assessment in course["assessments"]:
        pass_assessment(browser, site, course, assessment)

    browser.get(f"{site}/learn/{slug}")
    heading(browser, course["title"])
    panel = browser.find_element(By.CSS_SELECTOR, ".progress-panel").text
    assert "Parcours terminé" in panel or "Course completed" in panel
    link(browser, "Attestation de suivi" if course["language"] == "fr" else "Certificate of completion").click()
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".certificate"))
    assert course["title"] in browser.find_element(By.CSS_SELECTOR, ".certificate").text
