"""The demo course's final assessment: two attempts, one failed then one passed; an attempt under way resumed."""

import shutil

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import ROOT
from test_player import focused_id, heading, link, wait
from test_quiz import choose, type_answer


def step(browser):
    return wait(browser).until(lambda b: b.find_element(By.ID, "assessment-step")).text


def button(browser, text):
    return wait(browser).until(lambda b: b.find_element(By.XPATH, f"//button[normalize-space(.)='{text}']"))


def current_question(browser):
    return browser.find_element(By.CSS_SELECTOR, "fieldset.question")


def answer_all_right(browser):
    """Answers the current question right, whichever it is (the step order is fixed, answers are shuffled)."""
    q = current_question(browser)
    qid = q.get_attribute("id")
    if qid == "q-eval-modules":
        choose(q, "des leçons")
    elif qid == "q-eval-progression":
        choose(q, "Faux")
    elif qid == "q-eval-format":
        type_answer(q, "gift")
    elif qid == "q-eval-modules-nombre":
        type_answer(q, "2")
    elif qid == "q-eval-fichiers":
        selects = [Select(s) for s in q.find_elements(By.TAG_NAME, "select")]
        for select, answer in zip(selects, ["Markdown", "GIFT", "TOML"]):
            select.select_by_visible_text(answer)
    else:
        raise AssertionError(f"unexpected question {qid}")


def answer_through_to_results(browser, answered_already=0):
    """From question 1: every question answered right but the first `answered_already`, then
    "Terminer"; the results' text."""
    for index in range(5):
        assert step(browser) == f"Question {index + 1} sur 5"
        if index >= answered_already:
            answer_all_right(browser)
        if index < 4:
            button(browser, "Suivant").click()
    button(browser, "Terminer l’évaluation").click()
    assert step(browser) == "Résultats"
    return browser.find_element(By.CSS_SELECTOR, ".results").text


def test_an_assessment_failed_then_passed_with_answers_revealed(browser, site):
    browser.get(site + "/learn/demo")
    heading(browser, "Découvrir Parcours")
    link(browser, "Évaluation finale").click()
    heading(browser, "Évaluation finale")
    facts = browser.find_element(By.CSS_SELECTOR, ".facts").text
    assert "5 questions" in facts and "Note pour réussir : 60 %" in facts and "Tentatives utilisées : 0 sur 2" in facts

    # First attempt: two answers right, then finish with unanswered questions.
    button(browser, "Commencer l’évaluation").click()
    assert step(browser) == "Question 1 sur 5"
    wait(browser).until(lambda b: focused_id(b) == "assessment-step")
    answer_all_right(browser)
    first_id = current_question(browser).get_attribute("id")
    button(browser, "Suivant").click()
    assert step(browser) == "Question 2 sur 5"
    answer_all_right(browser)
    # Going back keeps the answer given.
    button(browser, "Précédent").click()
    assert current_question(browser).get_attribute("id") == first_id
    assert any(i.is_selected() for i in current_question(browser).find_elements(By.TAG_NAME, "input")) or \
        current_question(browser).find_element(By.TAG_NAME, "input").get_attribute("value")
    for _ in range(4):
        button(browser, "Suivant").click()
    assert step(browser) == "Question 5 sur 5"
    button(browser, "Terminer l’évaluation").click()
    alert = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "[role=alert]"))
    assert "Questions sans réponse : 3" in alert.text
    button(browser, "Terminer quand même").click()
    assert step(browser) == "Résultats"
    results = browser.find_element(By.CSS_SELECTOR, ".results").text
    assert "Non réussi" in results and "Score : 2 sur 5 (40 %)" in results and "Note pour réussir : 60 %" in results
    review = browser.find_element(By.CSS_SELECTOR, ".review").text
    assert review.count("Sans réponse") == 3
    # An attempt is left and the assessment is not passed: the right answers stay hidden.
    assert "Réponses acceptées" not in review

    # Second (last) attempt: everything right.
    button(browser, "Nouvelle tentative").click()
    results = answer_through_to_results(browser)
    assert "Réussi" in results and "Score : 5 sur 5 (100 %)" in results
    assert browser.find_elements(By.XPATH, "//button[normalize-space(.)='Nouvelle tentative']") == []
    assert browser.find_element(By.CSS_SELECTOR, ".review").text.count("Bonne réponse") == 5

    # Back on the intro: attempts used and the best score.
    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")
    link(browser, "Évaluation finale").click()
    facts = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".facts")).text
    assert "Tentatives utilisées : 2 sur 2" in facts and "Meilleur score : 100 %" in facts
    assert "Vous avez utilisé toutes vos tentatives." in browser.find_element(By.TAG_NAME, "main").text


def answer_two_then_move_to_the_third(browser):
    """From the assessment's introduction: starts, answers questions 1 and 2 right and moves on to
    question 3. What was given, by question, in order."""
    button(browser, "Commencer l’évaluation").click()
    answered = []
    for _ in range(2):
        answer_all_right(browser)
        answered.append((current_question(browser).get_attribute("id"), given(browser)))
        button(browser, "Suivant").click()
    assert step(browser) == "Question 3 sur 5"
    return answered


def assert_resumed_at_the_third(browser, answered):
    """From the introduction of a resumed attempt: "Reprendre" leads to question 3, and going back
    finds questions 2 and 1 holding what was given (`answered`)."""
    button(browser, "Reprendre l’évaluation (question 3 sur 5)").click()
    assert step(browser) == "Question 3 sur 5"
    for question_id, answers in reversed(answered):
        button(browser, "Précédent").click()
        assert (current_question(browser).get_attribute("id"), given(browser)) == (question_id, answers)


def option_labels(browser):
    """The answers of the current question as offered, in their order on screen."""
    return [label.text for label in current_question(browser).find_elements(By.TAG_NAME, "label")]


def given(browser):
    """What the current question holds: the inputs checked, the text typed, the options chosen."""
    q = current_question(browser)
    checked = [i.get_attribute("value") for i in q.find_elements(By.TAG_NAME, "input") if i.is_selected()]
    typed = [i.get_attribute("value") for i in q.find_elements(By.CSS_SELECTOR, "input[type=text]")]
    chosen = [Select(s).first_selected_option.text for s in q.find_elements(By.TAG_NAME, "select")]
    return checked, typed, chosen


def test_an_attempt_under_way_survives_a_reload_with_its_order_and_answers(browser, site):
    browser.get(site + "/learn/demo")
    heading(browser, "Découvrir Parcours")
    link(browser, "Évaluation finale").click()
    heading(browser, "Évaluation finale")
    button(browser, "Commencer l’évaluation").click()
    seen = []
    for number in (1, 2):
        assert step(browser) == f"Question {number} sur 5"
        answer_all_right(browser)
        seen.append((current_question(browser).get_attribute("id"), option_labels(browser), given(browser)))
        button(browser, "Suivant").click()
    assert step(browser) == "Question 3 sur 5"
    third = current_question(browser).get_attribute("id")

    # The page is reloaded on question 3 (a discarded tab, a browser restarted, comes back the same way).
    browser.refresh()
    heading(browser, "Évaluation finale")
    facts = browser.find_element(By.CSS_SELECTOR, ".facts").text
    assert "Tentatives utilisées : 0 sur 2" in facts, "a resumed attempt is the same attempt, not one more"
    button(browser, "Reprendre l’évaluation (question 3 sur 5)").click()
    assert step(browser) == "Question 3 sur 5"
    assert current_question(browser).get_attribute("id") == third, "the same question"
    for question_id, labels, answers in reversed(seen):
        button(browser, "Précédent").click()
        assert current_question(browser).get_attribute("id") == question_id
        assert option_labels(browser) == labels, "the answers offered in the same order"
        assert given(browser) == answers, "the answers given before the reload"

    # The course page leads back to it, at the question the learner is on.
    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")
    link(browser, "Reprendre l’évaluation (question 1 sur 5)").click()
    heading(browser, "Évaluation finale")
    button(browser, "Reprendre l’évaluation (question 1 sur 5)").click()
    results = answer_through_to_results(browser, answered_already=2)
    assert "Réussi" in results and "Score : 5 sur 5 (100 %)" in results, results
    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")
    assert not browser.find_elements(By.CSS_SELECTOR, ".resume-attempt"), "finished: nothing under way"
    link(browser, "Évaluation finale").click()
    facts = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".facts")).text
    assert "Tentatives utilisées : 1 sur 2" in facts


def chosen_label(browser):
    """The text of the option checked in the current question, if one is."""
    labels = current_question(browser).find_elements(By.XPATH, ".//label[contains(@class,'option')][.//input]")
    return next((l.text for l in labels if l.find_element(By.TAG_NAME, "input").is_selected()), None)


def test_two_tabs_on_the_same_attempt_show_the_later_answer(browser, site):
    """The same attempt open in two tabs: an answer given in one is shown in the other (the later
    one wins), and finishing in one shows the results in the other."""
    from test_progress import activate

    browser.get(site + "/learn/demo")
    heading(browser, "Découvrir Parcours")
    link(browser, "Évaluation finale").click()
    button(browser, "Commencer l’évaluation").click()
    assert current_question(browser).get_attribute("id") == "q-eval-modules"
    first = browser.current_window_handle

    browser.switch_to.new_window("tab")
    browser.get(site + "/learn/demo")
    link(browser, "Reprendre l’évaluation (question 1 sur 5)").click()
    button(browser, "Reprendre l’évaluation (question 1 sur 5)").click()
    choose(current_question(browser), "des leçons")
    second = browser.current_window_handle

    activate(browser, first)
    wait(browser).until(lambda b: chosen_label(b) == "des leçons")
    note = browser.find_element(By.CSS_SELECTOR, ".sync-note").text
    assert note == "Cette réponse vient d’être changée dans un autre onglet : la voici.", note
    # A later answer here wins over the other tab's.
    choose(current_question(browser), "des parcours")

    activate(browser, second)
    wait(browser).until(lambda b: chosen_label(b) == "des parcours")
    results = answer_through_to_results(browser, answered_already=1)
    assert "Score : 4 sur 5 (80 %)" in results, results

    activate(browser, first)
    wait(browser).until(lambda b: step(b) == "Résultats")
    assert "Score : 4 sur 5 (80 %)" in browser.find_element(By.CSS_SELECTOR, ".results").text
    link(browser, "Présentation du parcours").click()
    link(browser, "Évaluation finale").click()
    facts = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".facts")).text
    assert "Tentatives utilisées : 1 sur 2" in facts, "one attempt, finished once"


# Moves the page's clock on by two minutes, before any of its scripts runs.
CLOCK_TWO_MINUTES_ON = """
(() => {
  const shift = 120000, realNow = Date.now, RealDate = Date;
  Date.now = () => realNow() + shift;
  globalThis.Date = class extends RealDate {
    constructor(...args) { if (args.length === 0) { super(realNow() + shift); } else { super(...args); } }
    static now() { return realNow() + shift; }
  };
})();
"""


def test_an_attempt_left_longer_than_its_timeout_is_closed_with_its_score(browser, tmp_path):
    from conftest import Site
    from test_authoring import parcours

    course = tmp_path / "demo"
    shutil.copytree(ROOT / "courses" / "demo", course)
    toml = course / "course.toml"
    toml.write_text(toml.read_text() + "attempt-timeout = 1\n")
    built = parcours("build", course, "-o", tmp_path / "site")
    assert built.returncode == 0, built.stderr
    served = Site(tmp_path / "site")
    try:
        browser.get(f"{served.url}/learn/demo")
        heading(browser, "Découvrir Parcours")
        link(browser, "Évaluation finale").click()
        button(browser, "Commencer l’évaluation").click()
        answer_all_right(browser)
        button(browser, "Suivant").click()
        assert step(browser) == "Question 2 sur 5"

        # Two minutes later by the page's clock, the learner comes back.
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CLOCK_TWO_MINUTES_ON})
        browser.refresh()
        heading(browser, "Évaluation finale")
        assert step(browser) == "Résultats"
        alert = browser.find_element(By.CSS_SELECTOR, ".assessment [role=alert]").text
        assert "laissée sans réponse plus de 1 min, a été close et notée telle quelle" in alert, alert
        results = browser.find_element(By.CSS_SELECTOR, ".results").text
        assert "Score : 1 sur 5 (20 %)" in results, results
        link(browser, "Présentation du parcours").click()
        heading(browser, "Découvrir Parcours")
        link(browser, "Évaluation finale").click()
        facts = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".facts")).text
        assert "Tentatives utilisées : 1 sur 2" in facts, "the attempt closed counts as one"
    finally:
        served.close()
