"""Pre-rendered pages (`parcours build`): each route of the player is an HTML file holding its
page, rendered by the player's own components. It reads with JavaScript off; with JavaScript on,
the player takes its place without moving anything, keeping the learner's scroll and focus."""

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT, Site
from test_authoring import parcours
from test_player import focused_id, heading, link, wait


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo and the flagship, built as a site and served as plain files."""
    site = tmp_path_factory.mktemp("prerendered") / "site"
    made = parcours("build", ROOT / "courses" / "demo", ROOT / "courses" / "ia-generatives", "-o", site)
    assert made.returncode == 0, made.stderr
    served = Site(site)
    yield served
    served.close()


def main_text(browser):
    return browser.find_element(By.TAG_NAME, "main").text


def test_lessons_read_and_navigate_with_javascript_off(browser, built):
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.get(f"{built.url}/learn/demo/bienvenue")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Bienvenue dans Parcours"
    assert browser.title == "Bienvenue dans Parcours — Découvrir Parcours — Parcours"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Parcours est un lecteur de modules de formation en ligne" in main_text(browser)
    assert not browser.find_elements(By.ID, "app"), "no script ran"

    # "Suivant", then the table of contents, across three lessons.
    browser.find_element(By.CSS_SELECTOR, "a.lesson-next").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Naviguer dans un parcours"
    assert browser.current_url == f"{built.url}/learn/demo/naviguer"
    browser.find_element(By.XPATH, "//nav[contains(@class,'toc')]//a[normalize-space(.)=\"S'exercer\"]").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "S'exercer"
    # Questions show, with what they need to be checked.
    question = browser.find_element(By.CSS_SELECTOR, "fieldset.question")
    assert question.find_elements(By.CSS_SELECTOR, "legend, .question-stem"), "the question's statement"
    assert "Vérifier une réponse, garder votre progression et passer l’évaluation demandent JavaScript" \
        in main_text(browser)
    assert browser.find_element(By.CSS_SELECTOR, "link[rel=stylesheet]"), "styled by the player's CSS"

    # The catalog and the assessment's introduction are pages too.
    browser.get(f"{built.url}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Catalogue des parcours"
    browser.find_element(By.LINK_TEXT, "Découvrir les IA génératives").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Découvrir les IA génératives"
    browser.get(f"{built.url}/learn/demo/assessment/evaluation")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Évaluation finale"
    assert "5 questions" in main_text(browser)


# Where the lesson's first lines are, relative to the page (not the viewport).
PLACES = """
return [...document.querySelectorAll('h1, .lesson-html > p, nav.toc a')].slice(0, 8).map((e) => {
  const box = e.getBoundingClientRect();
  return [e.textContent.trim().slice(0, 40), Math.round(box.left), Math.round(box.top + scrollY), Math.round(box.width)];
});
"""


def test_the_player_takes_over_without_moving_anything_and_keeps_scroll_and_focus(browser, built):
    lesson = "/learn/ia-generatives/06-ingredients"
    # The course arrives late (a slow network): the learner reads and scrolls meanwhile.
    built.handler.stall = "/courses/ia-generatives.json"
    built.handler.stall_released.clear()
    try:
        browser.get(built.url + lesson)
        heading(browser, "Les ingrédients d'une bonne demande", taken_over=False)
        assert browser.find_elements(By.ID, "prerendered")
        before = browser.execute_script(PLACES)
        browser.execute_script("document.getElementById('page-title').focus(); window.scrollTo(0, 420)")
        assert browser.execute_script("return scrollY") == 420
    finally:
        built.handler.stall_released.set()
    wait(browser).until(lambda b: b.find_elements(By.ID, "app") and not b.find_elements(By.ID, "prerendered"))
    assert browser.execute_script(PLACES) == before, "every line where it was"
    assert browser.execute_script("return scrollY") == 420, "the learner's place is kept"
    assert focused_id(browser) == "page-title", "and their focus"
    assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1

    # The player plays: its next page comes without a page load.
    browser.execute_script("window.__same_page = true")
    link(browser, "Suivant").click()
    wait(browser).until(lambda b: b.current_url != built.url + lesson)
    assert browser.execute_script("return window.__same_page") is True
    assert focused_id(browser) == "page-title"


def test_a_site_served_under_a_path_plays_a_course_end_to_end(browser, tmp_path):
    """The site at `/formations/ia/` of a host (where an administration would publish it), its
    proxy at the host's `/xapi/`: reading, a question, progress across a reload of a pre-rendered
    page, and the records in Ralph."""
    import shutil
    from lrs import Ralph
    from test_courses import complete_lesson_from_here, course_json, lessons_of, practice_questions
    from test_progress import ticked

    www = tmp_path / "www"
    made = parcours("build", ROOT / "courses" / "demo", "-o", www / "formations" / "ia")
    assert made.returncode == 0, made.stderr
    ralph = Ralph(tmp_path / "ralph").start()
    served = Site(www, lrs=ralph, fallback="/formations/ia/index.html")
    course = course_json("demo")
    lesson = next(l for l in lessons_of(course) if practice_questions(l))
    try:
        browser.get(f"{served.url}/formations/ia/")
        heading(browser, "Catalogue des parcours")
        link(browser, course["title"]).click()
        heading(browser, course["title"])
        assert browser.current_url == f"{served.url}/formations/ia/learn/demo"
        complete_lesson_from_here(browser, lesson)

        # A reload: the lesson's own page, then the player with the progress kept.
        browser.refresh()
        heading(browser, lesson["title"])
        wait(browser).until(lambda b: b.find_elements(By.ID, "app"))
        wait(browser).until(lambda b: lesson["title"] in ticked(b))
        asked = browser.execute_script("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
        outside = [path for path in asked if not path.startswith(("/formations/ia/", "/xapi/"))]
        assert asked and not outside, f"only the site's own files are asked for: {outside}"
        wait(browser).until(lambda _: any(s["verb"]["id"].endswith("/answered") for s in ralph.statements(limit=100)))
        stored = [(s["verb"]["id"].rsplit("/", 1)[1], s["object"]["id"]) for s in ralph.statements(limit=100)]
        assert ("experienced", f"{course['id']}/lessons/{lesson['id']}") in stored, stored
        for question in practice_questions(lesson):
            assert ("answered", f"{course['id']}/questions/{question['id']}") in stored, stored

        # An address that is no file (a lesson since removed): the server sends the site's
        # index.html, which finds the site's root and lets the player say what is wrong.
        browser.get(f"{served.url}/formations/ia/learn/demo/lecon-disparue")
        heading(browser, "Page introuvable")
        assert "Cette leçon n’existe pas" in browser.find_element(By.TAG_NAME, "main").text
        link(browser, "Présentation du parcours").click()
        heading(browser, course["title"])
        assert browser.current_url == f"{served.url}/formations/ia/learn/demo"
    finally:
        served.close()
        ralph.stop()


def test_each_file_of_the_player_is_fetched_once_even_where_nothing_is_cached(browser, built):
    """The page preloads the player's wasm and links its stylesheet; the player then names its icon
    by its full address, and nothing else: a preload or a stylesheet given a new address is fetched
    again, which a server that forbids caching sends in full (the wasm is 500 KB gzip)."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        browser.get(built.url + "/learn/demo/bienvenue")
        heading(browser, "Bienvenue")
        link(browser, "Suivant").click()
        wait(browser).until(lambda b: b.current_url != built.url + "/learn/demo/bienvenue")
        fetched = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
    finally:
        browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
    player = [path for path in fetched if path.endswith((".wasm", ".css", ".js")) and "/courses/" not in path]
    assert {path.rsplit(".", 1)[1] for path in player} == {"wasm", "css", "js"}, fetched
    assert len(player) == len(set(player)), f"a file fetched twice: {sorted(player)}"
    unused = [entry["message"] for entry in browser.get_log("browser") if "preloaded using link preload" in entry["message"]]
    assert unused == [], unused
