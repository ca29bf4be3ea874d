"""The demo course completed with the keyboard only: Tab, Shift+Tab, Space, arrows, Enter and
typing, from the course page to the attestation. The test reads the page to know where focus is,
but never clicks nor focuses anything itself."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_courses import course_json, lessons_of, matching_values, practice_questions
from test_player import heading, wait
from test_progress import ticked

TAB_LIMIT = 400


def press(browser, *keys):
    ActionChains(browser).send_keys(*keys).perform()


def focused(browser, predicate, *args):
    return browser.execute_script(f"const el = document.activeElement; return !!el && ({predicate});", *args)


def tab_to(browser, predicate, *args, back=False):
    """Presses Tab (or Shift+Tab) until the focused element satisfies the JS `predicate` on `el`."""
    for _ in range(TAB_LIMIT):
        if focused(browser, predicate, *args):
            return
        if back:
            ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(browser, Keys.TAB)
    raise AssertionError(f"focus never reached {predicate} {args}")


def matches(selector):
    return "el.matches(arguments[0])", selector


def choose_radio(browser, fieldset_id, value):
    tab_to(browser, *matches(f"#{fieldset_id} input[type=radio]"))
    press(browser, Keys.SPACE)
    for _ in range(20):
        if focused(browser, "el.checked && el.value === arguments[0]", value):
            return
        press(browser, Keys.ARROW_DOWN)
    raise AssertionError(f"{fieldset_id}: option {value} never reached with the arrows")


def choose_in_select(browser, value, predicate, *args):
    tab_to(browser, predicate, *args)
    for _ in range(30):
        if focused(browser, "el.value === arguments[arguments.length - 1]", *args, value):
            return
        press(browser, Keys.ARROW_DOWN)
    raise AssertionError(f"option {value} never reached in the select")


def answer_with_keys(browser, fieldset_id, question):
    """Answers right, through the keyboard, as `test_courses.answer_right` does with the mouse."""
    answers = question["answers"]
    kind = answers["type"]
    if kind == "true-false":
        choose_radio(browser, fieldset_id, str(answers["correct"]).lower())
    elif kind == "choice" and question.get("after_gap") and not answers["multiple"]:
        best = max(range(len(answers["choices"])), key=lambda i: answers["choices"][i]["weight"])
        choose_in_select(browser, str(best), *matches(f"#{fieldset_id} select"))
    elif kind == "choice" and not answers["multiple"]:
        weights = [c["weight"] for c in answers["choices"]]
        choose_radio(browser, fieldset_id, str(weights.index(max(weights))))
    elif kind == "choice":
        for index, choice in enumerate(answers["choices"]):
            if choice["weight"] > 0:
                tab_to(browser, *matches(f"#{fieldset_id} input[value='{index}']"))
                press(browser, Keys.SPACE)
    elif kind in ("short-answer", "numeric"):
        right = next(a for a in answers["answers"] if a["weight"] == 1)
        text = right["text"] if kind == "short-answer" else (
            f"{right['value']['value']:g}".replace(".", ",") if right["value"]["kind"] != "range"
            else f"{(right['value']['min'] + right['value']['max']) / 2:g}".replace(".", ","))
        tab_to(browser, *matches(f"#{fieldset_id} input[type=text]"))
        press(browser, text)
    elif kind == "matching":
        for n, value in enumerate(matching_values(answers)):
            choose_in_select(browser, value, "el === document.querySelectorAll(arguments[0])[arguments[1]]",
                             f"#{fieldset_id} select", n)
    elif kind == "essay":
        tab_to(browser, *matches(f"#{fieldset_id} textarea"))
        press(browser, "Une réponse écrite au clavier.")


def test_the_demo_course_is_completed_with_the_keyboard_only(browser, site):
    course = course_json("demo")
    lessons = lessons_of(course)
    browser.get(f"{site}/learn/demo")
    heading(browser, course["title"])
    tab_to(browser, *matches("a.button.primary"))
    press(browser, Keys.ENTER)

    for done, lesson in enumerate(lessons, start=1):
        heading(browser, lesson["title"])
        for question in practice_questions(lesson):
            fieldset_id = f"q-{question['id']}"
            answer_with_keys(browser, fieldset_id, question)
            tab_to(browser, *matches(f"#{fieldset_id} button.check"))
            press(browser, Keys.ENTER)
            wait(browser).until(lambda b, f=fieldset_id: b.find_element(By.CSS_SELECTOR, f"#{f} .feedback").text)
        # Tabbing to the navigation at the bottom brings the lesson's end into view.
        tab_to(browser, *matches(".lesson-nav a"))
        if done < len(lessons):
            tab_to(browser, *matches(".lesson-nav .lesson-next"))
        wait(browser).until(lambda b, done=done: len(ticked(b)) >= done)
        if done < len(lessons):
            press(browser, Keys.ENTER)

    assessment = course["assessments"][0]
    tab_to(browser, *matches(f"a[href='/learn/demo/assessment/{assessment['id']}']"), back=True)
    press(browser, Keys.ENTER)
    heading(browser, assessment["title"])
    tab_to(browser, *matches(".assessment button.primary"))
    press(browser, Keys.ENTER)
    questions = {f"q-{item['question']['id']}": item["question"] for item in assessment["items"]}
    for index in range(len(questions)):
        fieldset = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "fieldset.question"))
        fieldset_id = fieldset.get_attribute("id")
        answer_with_keys(browser, fieldset_id, questions[fieldset_id])
        tab_to(browser, *matches(".assessment-nav .primary"))
        press(browser, Keys.ENTER)
        if index < len(questions) - 1:
            wait(browser).until(lambda b, n=index: b.find_element(By.ID, "assessment-step").text.split()[1] == str(n + 2))
    results = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".results")).text
    assert "Réussi" in results and "(100 %)" in results, results

    tab_to(browser, *matches(".toc-overview a"), back=True)
    press(browser, Keys.ENTER)
    heading(browser, course["title"])
    assert "Parcours terminé" in browser.find_element(By.CSS_SELECTOR, ".progress-panel").text
    tab_to(browser, *matches("a[href='/learn/demo/attestation']"))
    press(browser, Keys.ENTER)
    tab_to(browser, *matches(".name-form input"))
    press(browser, "Camille Martin", Keys.ENTER)
    certificate = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".certificate"))
    wait(browser).until(lambda _: "Camille Martin" in certificate.text)
