"""The flagship module graded against a hand-written answer key.

The other course tests answer from `parcours check --json`, that is from the parser under test: a
parser that misreads which answer is right would agree with itself. Here a person wrote down, from
the GIFT source, the right and a wrong answer to a sample of questions of every kind; the learner
gives them through the visible labels, and the player must grade them as a teacher would."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_player import heading, wait, xpath_literal

COURSE = "ia-generatives"

# (lesson, words of the question's text, kind, right answer, wrong answer)
ANSWER_KEY = [
    ("04-entrainement", "restituer mot pour mot", "true-false", False, True),
    ("01-definition", "premier jet de compte rendu", "choice", ["une IA générative"], ["un moteur de recherche"]),
    ("02-usages", "lesquelles se prêtent bien", "multiple",
     ["Reformuler un courrier pour le rendre plus clair", "Proposer un plan de réunion"],
     ["Reformuler un courrier pour le rendre plus clair", "Décider seule de l'attribution d'une aide à un usager"]),
    ("03-jetons", "morceaux de texte appelés", "short-answer", "tokens", "syllabes"),
    ("06-ingredients", "Associez chaque élément d'une demande", "matching",
     {"Tu es juriste dans une préfecture": "le rôle",
      "La réponse s'adresse à un usager non spécialiste": "le contexte",
      "Rédige une réponse à sa réclamation": "la tâche",
      "En moins de quinze lignes, avec une formule de politesse": "le format"},
     {"Tu es juriste dans une préfecture": "le contexte",
      "La réponse s'adresse à un usager non spécialiste": "le rôle",
      "Rédige une réponse à sa réclamation": "la tâche",
      "En moins de quinze lignes, avec une formule de politesse": "le format"}),
    ("13-cadre-juridique", "Au plus tard en quelle année", "numeric", "2030", "2027"),
    ("14-securite-environnement", "cacher, dans un document", "choice", ["Une injection de prompt"], ["Un biais"]),
]


def question_fieldset(browser, words):
    return wait(browser).until(lambda b: b.find_element(
        By.XPATH, f"//fieldset[contains(@class, 'question')][contains(., {xpath_literal(words)})]"))


def give(fieldset, kind, answer):
    """Gives `answer` through the question's visible controls, replacing any earlier one."""
    if kind == "true-false":
        label = "Vrai" if answer else "Faux"
        fieldset.find_element(By.XPATH, f".//label[contains(@class, 'option')][normalize-space(.)='{label}']").click()
    elif kind in ("choice", "multiple"):
        for option in fieldset.find_elements(By.CSS_SELECTOR, "label.option"):
            box = option.find_element(By.TAG_NAME, "input")
            # After a check a label also carries its mark (right or wrong): match the answer's words.
            wanted = any(text in option.text for text in answer)
            if box.is_selected() != wanted and (kind == "multiple" or wanted):
                option.click()
    elif kind in ("short-answer", "numeric"):
        field = fieldset.find_element(By.CSS_SELECTOR, "input[type=text]")
        field.clear()
        field.send_keys(answer)
    elif kind == "matching":
        rows = fieldset.find_elements(By.CSS_SELECTOR, "select")
        assert len(rows) == len(answer)
        for select in rows:
            label = fieldset.find_element(By.CSS_SELECTOR, f"label[for='{select.get_attribute('id')}']").text.strip()
            Select(select).select_by_visible_text(answer[label])
    else:
        raise AssertionError(kind)


def check(browser, fieldset):
    fieldset.find_element(By.CSS_SELECTOR, "button.check").click()
    return wait(browser).until(lambda _: fieldset.find_element(By.CSS_SELECTOR, ".feedback").text)


@pytest.mark.parametrize("lesson, words, kind, right, wrong", ANSWER_KEY,
                         ids=[f"{entry[0]}-{entry[2]}" for entry in ANSWER_KEY])
def test_the_flagship_grades_as_its_hand_written_answer_key(browser, site, lesson, words, kind, right, wrong):
    browser.get(f"{site}/learn/{COURSE}/{lesson}")
    heading(browser, "")
    fieldset = question_fieldset(browser, words)

    give(fieldset, kind, wrong)
    feedback = check(browser, fieldset)
    assert "Bonne réponse" not in feedback, f"{wrong!r} was graded right: {feedback}"
    assert "Réponse incorrecte" in feedback or "en partie juste" in feedback, feedback

    give(fieldset, kind, right)
    wait(browser).until(lambda _: "Bonne réponse" in check(browser, fieldset))
