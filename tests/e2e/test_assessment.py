"""The demo course's final assessment: two attempts, one failed then one passed."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

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
    for index in range(5):
        assert step(browser) == f"Question {index + 1} sur 5"
        answer_all_right(browser)
        if index < 4:
            button(browser, "Suivant").click()
    button(browser, "Terminer l’évaluation").click()
    assert step(browser) == "Résultats"
    results = browser.find_element(By.CSS_SELECTOR, ".results").text
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
