"""Every question type of the demo course answered right, partly right and wrong, in Chromium."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_player import WAIT_SECONDS, heading, wait

LESSON = "/learn/demo/exercice"


@pytest.fixture
def quiz(browser, site):
    browser.get(site + LESSON)
    heading(browser, "S'exercer")
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, "fieldset.question"))
    return browser


def question(browser, question_id):
    return browser.find_element(By.ID, f"q-{question_id}")


def choose(fieldset, label):
    option = fieldset.find_element(By.XPATH, f".//label[contains(@class,'option')][contains(normalize-space(.), \"{label}\")]//input")
    option.click()


def check(fieldset):
    fieldset.find_element(By.CSS_SELECTOR, "button.check").click()
    WebDriverWait(fieldset.parent, WAIT_SECONDS).until(lambda _: fieldset.find_element(By.CSS_SELECTOR, ".feedback").text.strip())
    return fieldset.find_element(By.CSS_SELECTOR, ".feedback").text


def type_answer(fieldset, text):
    field = fieldset.find_element(By.CSS_SELECTOR, "input[type=text], textarea")
    field.clear()
    field.send_keys(text)


def test_questions_are_accessible_fieldsets_with_a_live_feedback_region(quiz):
    fieldsets = quiz.find_elements(By.CSS_SELECTOR, "fieldset.question")
    assert len(fieldsets) == 9  # and the statement, which has nothing to answer
    for fieldset in fieldsets:
        assert fieldset.find_element(By.TAG_NAME, "legend").text.strip()
        feedback = fieldset.find_element(By.CSS_SELECTOR, ".feedback")
        assert feedback.get_attribute("aria-live") == "polite"
        assert fieldset.get_attribute("aria-describedby") == feedback.get_attribute("id")
    # The description has nothing to answer: text, not a form group, nothing to check.
    statement = question(quiz, "consigne")
    assert statement.tag_name == "div" and statement.find_elements(By.CSS_SELECTOR, "button.check") == []
    # Markdown in a [markdown] question is rendered.
    assert question(quiz, "gras").find_element(By.CSS_SELECTOR, "legend strong").text == "gras"


def test_single_choice(quiz):
    q = question(quiz, "structure")
    choose(q, "Des parcours")
    text = check(q)
    assert "Réponse incorrecte" in text and "Note : 0 sur 1" in text
    assert "Non : c'est l'inverse" in text
    assert "Réponses acceptées : Des leçons" in text
    assert "Parcours → modules → leçons" in text  # general feedback
    assert "(votre choix, faux)" in q.text
    choose(q, "Des leçons")
    text = check(q)
    assert "Bonne réponse" in text and "Note : 1 sur 1" in text and "Oui : un module" in text
    assert "Réponses acceptées" not in text


def test_true_false_with_its_two_feedbacks(quiz):
    q = question(quiz, "progression")
    choose(q, "Faux")
    assert "Réponse incorrecte" in check(q) and "Si : elle est enregistrée" in q.text
    choose(q, "Vrai")
    assert "Bonne réponse" in check(q) and "Exact : elle reste" in q.text


def test_multiple_answers_with_weights(quiz):
    q = question(quiz, "formats")
    assert len(q.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")) == 3
    choose(q, "Markdown")
    text = check(q)
    assert "Réponse en partie juste" in text and "Note : 0,5 sur 1" in text
    choose(q, "GIFT")
    assert "Bonne réponse" in check(q)
    choose(q, "PDF")
    text = check(q)
    assert "Réponse incorrecte" in text and "Note : 0 sur 1" in text and "Parcours n'affiche pas" in text


def test_short_answer_is_case_insensitive_with_partial_credit(quiz):
    q = question(quiz, "origine")
    assert "Répondez avant de vérifier." in check(q)
    type_answer(q, "  moodle ")
    assert "Bonne réponse" in check(q)
    type_answer(q, "Moodel")
    text = check(q)
    assert "Réponse en partie juste" in text and "Presque" in text and "Réponses acceptées : Moodle" in text
    type_answer(q, "Blackboard")
    assert "Réponse incorrecte" in check(q)
    type_answer(q, "x" * 2000)
    assert len(q.find_element(By.CSS_SELECTOR, "input").get_attribute("value")) == 500
    assert "Réponse incorrecte" in check(q)


def test_missing_word_is_a_labelled_select(quiz):
    q = question(quiz, "texte")
    assert "_____" in q.find_element(By.TAG_NAME, "legend").text
    select = q.find_element(By.TAG_NAME, "select")
    assert q.find_element(By.CSS_SELECTOR, f"label[for='{select.get_attribute('id')}']").text == "Le mot manquant"
    Select(select).select_by_visible_text("HTML")
    assert "Réponse incorrecte" in check(q)
    Select(select).select_by_visible_text("Markdown")
    assert "Bonne réponse" in check(q)


def test_numeric_accepts_a_decimal_comma_and_ranges(quiz):
    q = question(quiz, "lecons")
    assert q.find_element(By.CSS_SELECTOR, "input").get_attribute("inputmode") == "decimal"
    type_answer(q, "cinq")
    assert "« cinq » n’est pas un nombre" in check(q)
    type_answer(q, "5")
    assert "Bonne réponse" in check(q)
    type_answer(q, "4,5")
    assert "Note : 0,5 sur 1" in check(q)
    type_answer(q, "12")
    assert "Réponse incorrecte" in check(q)


def test_matching_is_scored_per_pair(quiz):
    q = question(quiz, "associer")
    selects = [Select(s) for s in q.find_elements(By.TAG_NAME, "select")]
    assert len(selects) == 3
    options = [o.text for o in selects[0].options]
    assert options[0] == "Choisir…" and sorted(options[1:]) == options[1:] and len(options) == 5
    right = ["la description du parcours", "le texte d'une leçon", "une illustration"]
    for select, answer in zip(selects, right):
        select.select_by_visible_text(answer)
    assert "Bonne réponse" in check(q)
    selects[2].select_by_visible_text("la progression des apprenants")
    assert "Note : 0,67 sur 1" in check(q)
    for select, answer in zip(selects, ["une illustration", "la description du parcours", "le texte d'une leçon"]):
        select.select_by_visible_text(answer)
    assert "Réponse incorrecte" in check(q)


def test_essay_is_saved_not_graded(quiz):
    q = question(quiz, "avis")
    type_answer(q, "Écrire mes propres parcours.")
    text = check(q)
    assert "Réponse enregistrée. Elle n’est pas notée." in text and "Note" not in text


def test_a_question_can_be_answered_with_the_keyboard_only(quiz):
    q = question(quiz, "progression")
    first_radio = q.find_element(By.CSS_SELECTOR, "input[type=radio]")
    quiz.execute_script("arguments[0].focus()", first_radio)
    first_radio.send_keys(Keys.SPACE)
    active = quiz.switch_to.active_element
    active.send_keys(Keys.TAB)
    quiz.switch_to.active_element.send_keys(Keys.ENTER)
    wait(quiz).until(lambda _: "Bonne réponse" in q.find_element(By.CSS_SELECTOR, ".feedback").text)


def test_a_broken_question_shows_an_error_in_place_and_the_rest_works(browser, site):
    browser.get(site + "/learn/broken-quiz/quiz")
    heading(browser, "Une question cassée")
    broken = browser.find_elements(By.CSS_SELECTOR, ".question-broken")
    assert len(broken) == 2
    assert "quiz.md:10:24: error: `quatre` is not a number" in broken[0].text
    assert "quiz.md:12:35: error: unbalanced braces" in broken[1].text
    good = question(browser, "bonne")
    choose(good, "Vrai")
    assert "Bonne réponse" in check(good)
    # This course does not reveal the accepted answers of practice questions.
    capital = question(browser, "capitale")
    type_answer(capital, "Lyon")
    text = check(capital)
    assert "Réponse incorrecte" in text and "Réponses acceptées" not in text and "Paris" not in text
    assert "Le texte après le quiz aussi." in browser.find_element(By.CSS_SELECTOR, ".lesson-body").text
