"""A question bank written the way Moodle 4's GIFT exporter writes it plays and grades in Chromium as
it does in Moodle: `[html]` rendered, per-part formats, short-answer wildcards and catch-all, a
multi-line numerical question with its catch-all, ID numbers and tags."""

import json
import subprocess

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT
from test_player import heading, wait
from test_quiz import check, choose, question, type_answer


@pytest.fixture
def bank(browser, site):
    browser.get(site + "/learn/moodle-bank/banque")
    heading(browser, "Banque exportée de Moodle")
    wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "fieldset.question")) == 4)
    return browser


def test_html_texts_render_as_markup_not_as_tags(bank):
    q = question(bank, "capitale")
    legend = q.find_element(By.TAG_NAME, "legend")
    assert legend.find_element(By.TAG_NAME, "b").text == "France"
    assert "<p>" not in q.text and "[html]" not in q.text
    assert [o.text for o in q.find_elements(By.CSS_SELECTOR, "label.option")] == ["Paris", "Lyon"]
    choose(q, "Lyon")
    text = check(q)
    assert "Réponse incorrecte" in text and "Non." in text and "Réponses acceptées : Paris" in text
    # The general feedback, `####[markdown]`, in Markdown.
    assert q.find_element(By.CSS_SELECTOR, ".general-feedback strong").text == "Paris"


def test_a_plain_part_is_typed_as_written_and_a_catch_all_gives_its_feedback(bank):
    q = question(bank, "chim-01")
    type_answer(q, "n")
    text = check(q)
    assert "Bonne réponse" in text and "Oui : N, comme nitrogen." in text
    q.find_element(By.XPATH, ".//em[text()='N']")
    type_answer(q, "Az")
    text = check(q)
    assert "Réponse incorrecte" in text and "Non : pensez au nom anglais." in text


@pytest.mark.parametrize("typed, right", [("colour", True), ("Color", True), ("coloured", False)])
def test_a_wildcard_short_answer_grades_as_in_moodle(bank, typed, right):
    q = question(bank, "couleur")
    type_answer(q, typed)
    assert ("Bonne réponse" if right else "Réponse incorrecte") in check(q)


def test_a_multi_line_numerical_question_with_its_catch_all_grades_as_in_moodle(bank):
    q = question(bank, "grant")
    for typed, verdict, feedback in [("1822", "Bonne réponse", "Exact."), ("1823", "Réponse en partie juste", "Presque."),
                                     ("1900", "Réponse incorrecte", "Ce n'est pas cela.")]:
        type_answer(q, typed)
        text = check(q)
        assert verdict in text and feedback in text, (typed, text)


def test_id_numbers_and_tags_reach_check_json():
    checked = subprocess.run([str(ROOT / "target" / "release" / "parcours"), "check", "--json",
                              str(ROOT / "tests" / "fixtures" / "moodle-bank")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    course = json.loads(checked.stdout)
    [quiz] = [b["quiz"] for b in course["modules"][0]["lessons"][0]["body"] if b["kind"] == "quiz"]
    symbol = quiz["items"][0]["question"]
    assert (symbol["id"], symbol["idnumber"], symbol["tags"]) == ("chim-01", "CHIM-01", ["chimie", "symboles"])
    assert symbol["category"] == "$course$/top/Défaut pour IA"
