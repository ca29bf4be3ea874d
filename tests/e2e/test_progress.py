"""Progress that is never lost: reloads, a browser restart, two tabs, broken or refused storage."""

import contextlib
import json

from selenium.webdriver.common.by import By

from conftest import new_driver
from test_player import heading, link, wait
from test_quiz import check, choose, question, type_answer

KEY = "parcours:progress:https://parcours.example.org/courses/demo"


def ticked(browser):
    """The titles of the lessons ticked in the table of contents."""
    return [a.find_elements(By.TAG_NAME, "span")[1].get_attribute("textContent") for a in browser.find_elements(By.CSS_SELECTOR, ".toc a.done")]


def reach_end(browser):
    """Scrolls to the end of the lesson once it is shown."""
    wait(browser).until(lambda b: b.find_elements(By.ID, "lesson-end"))
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")


def stored(browser):
    raw = browser.execute_script(f"return window.localStorage.getItem('{KEY}')")
    return json.loads(raw) if raw else None


def work_through(browser, site):
    """Completes two lessons and answers two practice questions."""
    browser.get(site + "/learn/demo/naviguer")
    heading(browser, "Naviguer dans un parcours")
    reach_end(browser)
    wait(browser).until(lambda b: "Naviguer dans un parcours" in ticked(b))
    browser.get(site + "/learn/demo/exercice")
    heading(browser, "S'exercer")
    choose(question(browser, "structure"), "Des leçons")
    assert "Bonne réponse" in check(question(browser, "structure"))
    type_answer(question(browser, "lecons"), "4,5")
    assert "Note : 0,5 sur 1" in check(question(browser, "lecons"))
    wait(browser).until(lambda b: (stored(b) or {}).get("answers", {}).keys() >= {"structure", "lecons"})


def assert_work_is_there(browser, site):
    browser.get(site + "/learn/demo/exercice")
    heading(browser, "S'exercer")
    structure = question(browser, "structure")
    wait(browser).until(lambda _: "Bonne réponse" in structure.find_element(By.CSS_SELECTOR, ".feedback").text)
    assert structure.find_element(By.XPATH, ".//label[contains(., 'Des leçons')]//input").is_selected()
    lecons = question(browser, "lecons")
    assert lecons.find_element(By.CSS_SELECTOR, "input").get_attribute("value") == "4,5"
    assert "Note : 0,5 sur 1" in lecons.find_element(By.CSS_SELECTOR, ".feedback").text
    assert "Naviguer dans un parcours" in ticked(browser)
    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")
    assert "Leçons terminées : 1 sur 5" in browser.find_element(By.CSS_SELECTOR, ".progress-panel").text


def test_progress_survives_a_reload_and_a_browser_restart(site, tmp_path):
    profile = tmp_path / "profile"
    browser = new_driver(profile)
    try:
        work_through(browser, site)
        browser.refresh()
        assert_work_is_there(browser, site)
    finally:
        browser.quit()
    browser = new_driver(profile)
    try:
        assert_work_is_there(browser, site)
        # Resume opens the last place visited.
        link(browser, "Reprendre").click()
        heading(browser, "S'exercer")
    finally:
        browser.quit()


def activate(browser, handle):
    """Switches to a tab and brings it to the front (a background tab does not render, as for a learner)."""
    browser.switch_to.window(handle)
    browser.execute_cdp_cmd("Page.bringToFront", {})


def test_two_tabs_see_each_others_progress(browser, site):
    browser.get(site + "/learn/demo/bienvenue")
    heading(browser, "Bienvenue dans Parcours")
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(site + "/learn/demo/conclusion")
    heading(browser, "Pour finir")
    reach_end(browser)
    wait(browser).until(lambda b: "Pour finir" in ticked(b))
    activate(browser, first)
    wait(browser).until(lambda b: "Pour finir" in ticked(b))
    # And back: what the first tab does reaches the second, and nothing is lost in between.
    browser.get(site + "/learn/demo/naviguer")
    heading(browser, "Naviguer dans un parcours")
    reach_end(browser)
    wait(browser).until(lambda b: "Naviguer dans un parcours" in ticked(b))
    second = [h for h in browser.window_handles if h != first][0]
    activate(browser, second)
    wait(browser).until(lambda b: {"Pour finir", "Naviguer dans un parcours"} <= set(ticked(b)))
    lessons = stored(browser)["lessons"]
    assert lessons["conclusion"]["completed_at"] and lessons["naviguer"]["completed_at"]


def test_corrupted_storage_is_set_aside_and_other_data_is_untouched(browser, site):
    browser.get(site + "/")
    browser.execute_script(f"window.localStorage.setItem('{KEY}', '{{broken'); window.localStorage.setItem('other', 'kept')")
    browser.get(site + "/learn/demo/bienvenue")
    heading(browser, "Bienvenue dans Parcours")
    banner = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".storage-status").text)
    assert "Votre progression enregistrée était illisible" in banner
    keys = browser.execute_script("return Object.keys(window.localStorage)")
    backups = [k for k in keys if k.startswith(KEY + ":backup:")]
    assert len(backups) == 1
    assert browser.execute_script(f"return window.localStorage.getItem('{backups[0]}')") == "{broken"
    assert browser.execute_script("return window.localStorage.getItem('other')") == "kept"
    assert stored(browser)["version"] == 1


@contextlib.contextmanager
def browser_with_storage(script):
    """A fresh browser whose pages run `script` first (to break localStorage the way a browser can)."""
    browser = new_driver()
    try:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})
        yield browser
    finally:
        browser.quit()


def test_denied_storage_keeps_progress_in_memory_and_says_so(site):
    with browser_with_storage("Object.defineProperty(window, 'localStorage', "
                              "{get() { throw new DOMException('blocked', 'SecurityError'); }});") as browser:
        browser.get(site + "/learn/demo/exercice")
        heading(browser, "S'exercer")
        banner = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".storage-status").text)
        assert "Le stockage de ce navigateur est bloqué" in banner
        choose(question(browser, "structure"), "Des leçons")
        assert "Bonne réponse" in check(question(browser, "structure"))
        link(browser, "Pour finir").click()
        heading(browser, "Pour finir")
        link(browser, "S'exercer").click()
        heading(browser, "S'exercer")
        assert "Bonne réponse" in question(browser, "structure").find_element(By.CSS_SELECTOR, ".feedback").text


def test_full_storage_warns_and_keeps_working(site):
    with browser_with_storage("Storage.prototype.setItem = function() { "
                              "throw new DOMException('full', 'QuotaExceededError'); };") as browser:
        browser.get(site + "/learn/demo/naviguer")
        heading(browser, "Naviguer dans un parcours")
        reach_end(browser)
        banner = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".storage-status").text)
        assert "Le stockage de ce navigateur est plein" in banner
        wait(browser).until(lambda b: "Naviguer dans un parcours" in ticked(b))


def course_page_with_one_lesson_done(browser, site):
    """The demo's course page, once a lesson is completed (something to reset)."""
    browser.get(site + "/learn/demo/naviguer")
    reach_end(browser)
    wait(browser).until(lambda b: ticked(b))
    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")


def test_reset_asks_for_confirmation(browser, site):
    course_page_with_one_lesson_done(browser, site)
    panel = browser.find_element(By.CSS_SELECTOR, ".progress-panel")
    panel.find_element(By.XPATH, ".//button[normalize-space(.)='Réinitialiser ma progression']").click()
    panel.find_element(By.XPATH, ".//button[normalize-space(.)='Annuler']").click()
    assert "Leçons terminées : 1 sur 5" in panel.text
    panel.find_element(By.XPATH, ".//button[normalize-space(.)='Réinitialiser ma progression']").click()
    assert "Vous pouvez d’abord l’exporter" in panel.text
    panel.find_element(By.XPATH, ".//button[normalize-space(.)='Tout effacer pour ce parcours']").click()
    wait(browser).until(lambda b: "Leçons terminées : 0 sur 5" in panel.text)
    assert ticked(browser) == []


def test_import_checks_the_file_and_merges_it(browser, site, tmp_path):
    browser.get(site + "/learn/demo/naviguer")
    reach_end(browser)
    wait(browser).until(lambda b: ticked(b))
    exported = {"format": "parcours-progress", "progress": stored(browser)}
    good = tmp_path / "progression.json"
    good.write_text(json.dumps(exported))
    other = dict(exported, progress=dict(exported["progress"], course_id="https://example.org/autre"))
    wrong = tmp_path / "autre.json"
    wrong.write_text(json.dumps(other))
    junk = tmp_path / "junk.json"
    junk.write_text("pas du JSON")

    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")
    panel = browser.find_element(By.CSS_SELECTOR, ".progress-panel")
    panel.find_element(By.XPATH, ".//button[normalize-space(.)='Réinitialiser ma progression']").click()
    panel.find_element(By.XPATH, ".//button[normalize-space(.)='Tout effacer pour ce parcours']").click()
    wait(browser).until(lambda b: "Leçons terminées : 0 sur 5" in panel.text)

    upload = panel.find_element(By.CSS_SELECTOR, "input[type=file]")
    upload.send_keys(str(junk))
    wait(browser).until(lambda b: "n’est pas un fichier de progression" in panel.text)
    upload.send_keys(str(wrong))
    wait(browser).until(lambda b: "la progression d’un autre parcours (https://example.org/autre)" in panel.text)
    upload.send_keys(str(good))
    wait(browser).until(lambda b: "Progression importée." in panel.text)
    wait(browser).until(lambda b: "Leçons terminées : 1 sur 5" in panel.text)
    assert ticked(browser) == ["Naviguer dans un parcours"]


def test_attestation_once_the_course_is_completed_and_passed(browser, site):
    browser.get(site + "/learn/demo/attestation")
    heading(browser, "Attestation de suivi")
    assert "sera disponible quand vous aurez terminé" in browser.find_element(By.TAG_NAME, "main").text
    for done, lesson in enumerate(["bienvenue", "naviguer", "mise-en-forme", "exercice", "conclusion"], start=1):
        browser.get(f"{site}/learn/demo/{lesson}")
        reach_end(browser)
        wait(browser).until(lambda b, done=done: len(ticked(b)) >= done)
    from test_assessment import answer_all_right, button, step
    link(browser, "Évaluation finale").click()
    button(browser, "Commencer l’évaluation").click()
    for index in range(5):
        answer_all_right(browser)
        if index < 4:
            button(browser, "Suivant").click()
    button(browser, "Terminer l’évaluation").click()
    assert step(browser) == "Résultats"
    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")
    assert "Parcours terminé" in browser.find_element(By.CSS_SELECTOR, ".progress-panel").text
    assert "Évaluation finale : meilleur score 100 %" in browser.find_element(By.CSS_SELECTOR, ".progress-panel").text
    link(browser, "Attestation de suivi").click()
    heading(browser, "Attestation de suivi")
    name = wait(browser).until(lambda b: b.find_element(By.ID, "learner-name"))
    name.send_keys("Camille Martin")
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Enregistrer']").click()
    certificate = browser.find_element(By.CSS_SELECTOR, ".certificate")
    wait(browser).until(lambda b: "Camille Martin a suivi en entier le parcours" in certificate.text)
    assert "« Découvrir Parcours »" in certificate.text
    assert "Terminé le " in certificate.text and "Version du contenu : 1.0.0" in certificate.text
    assert "Score : 100 %" in certificate.text
    browser.refresh()
    certificate = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".certificate"))
    assert "Camille Martin" in certificate.text
