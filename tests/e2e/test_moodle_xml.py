"""A bank exported from Moodle as Moodle XML (`tests/fixtures/moodle-xml/bank.xml`, as Moodle 4's
exporter writes it), brought in with `parcours import`, plays and grades in Chromium as it did in
Moodle: a right and a wrong answer of each type GIFT carries."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import ROOT, Site
from test_authoring import parcours
from test_player import heading, wait
from test_quiz import check, choose, question, type_answer


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A new course whose one more lesson holds the imported bank as practice questions, built: nine
    questions, eight to answer and a description."""
    work = tmp_path_factory.mktemp("moodle-xml")
    course = work / "banque-moodle"
    assert parcours("new", course).returncode == 0
    gift = work / "banque.gift"
    made = parcours("import", ROOT / "tests" / "fixtures" / "moodle-xml" / "bank.xml", "-o", gift)
    assert made.returncode == 0, made.stderr
    (course / "banque.md").write_text("# Banque importée\n\n```gift\n" + gift.read_text() + "\n```\n")
    with (course / "course.toml").open("a") as manifest:
        manifest.write('\n[[modules]]\ntitle = "Banque"\nlessons = ["banque.md"]\n')
    built = parcours("build", course, "-o", work / "site")
    assert built.returncode == 0, built.stderr
    served = Site(work / "site")
    yield served
    served.close()


@pytest.fixture
def bank(browser, imported):
    browser.get(imported.url + "/learn/banque-moodle/banque")
    heading(browser, "Banque importée")
    wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "fieldset.question")) == 8)
    return browser


def test_a_single_choice_in_html_grades_and_says_why(bank):
    q = question(bank, "ia-def-1")  # its Moodle ID number is its id
    assert q.find_element(By.CSS_SELECTOR, "legend b").text == "générative"
    choose(q, "Elle cherche dans une base = de données")
    text = check(q)
    assert "Réponse incorrecte" in text and "Non : elle ne cherche pas." in text
    choose(q, "Elle produit du texte")
    text = check(q)
    assert "Bonne réponse" in text and "Oui." in text and "Elle prédit la suite : {mot} après mot." in text


def test_several_answers_with_weights_grade_as_in_moodle(bank):
    q = question(bank, "risques")
    choose(q, "Aucun")
    text = check(q)
    assert "Réponse incorrecte" in text and "Il y en a." in text
    choose(q, "Aucun")
    choose(q, "Les hallucinations")
    assert "Réponse en partie juste" in check(q)
    choose(q, "La fuite de données")
    assert "Bonne réponse" in check(q)


def test_true_false_gives_each_answer_its_feedback(bank):
    q = question(bank, "vrai-ou-faux")
    choose(q, "Faux")
    text = check(q)
    assert "Réponse incorrecte" in text and "Si : elle « hallucine »." in text
    choose(q, "Vrai")
    assert "Exact." in check(q)


def test_a_short_answer_with_a_wildcard_and_partial_credit(bank):
    q = question(bank, "sigle")
    assert q.find_element(By.CSS_SELECTOR, "legend strong").text == "G", "its Markdown rendered"
    for typed, verdict in [("generative", "Bonne réponse"), ("GPT", "Réponse en partie juste"), ("Transformer", "Réponse incorrecte")]:
        type_answer(q, typed)
        assert verdict in check(q), typed


def test_a_numerical_question_with_tolerance_and_a_catch_all(bank):
    q = question(bank, "annee")
    for typed, verdict, said in [("2022", "Bonne réponse", "Novembre 2022."), ("2023", "Réponse en partie juste", ""),
                                 ("1990", "Réponse incorrecte", "Non.")]:
        type_answer(q, typed)
        text = check(q)
        assert verdict in text and said in text, (typed, text)


def test_matching_with_a_distractor_answer(bank):
    q = question(bank, "associer")
    selects = [Select(s) for s in q.find_elements(By.TAG_NAME, "select")]
    assert len(selects) == 3 and "Dessiner" in [o.text for o in selects[0].options]
    for select, answer in zip(selects, ["Dessiner", "Rédiger", "Traduire"]):
        select.select_by_visible_text(answer)
    assert "Réponse incorrecte" in check(q)
    for select, answer in zip(selects, ["Rédiger", "Traduire", "Calculer"]):
        select.select_by_visible_text(answer)
    assert "Bonne réponse" in check(q)


def test_a_cloze_question_with_one_gap_is_a_missing_word_to_choose(bank):
    q = question(bank, "capitale")
    select = Select(q.find_element(By.TAG_NAME, "select"))
    select.select_by_visible_text("Munich")
    text = check(q)
    assert "Réponse incorrecte" in text and "Non" in text
    select.select_by_visible_text("Berlin")
    assert "Bonne réponse" in check(q)
