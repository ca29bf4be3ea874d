"""A learner's path through the player, in real Chromium, by visible text and roles."""

import os

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

# How long a wait for something on screen may take. Only the machine's speed decides when a page
# has rendered (a wasm compile on a loaded 2-core machine takes seconds), so this is generous; a
# product that never shows it still fails, with what the page shows instead.
WAIT_SECONDS = float(os.environ.get("PARCOURS_TEST_WAIT", "30"))


def wait(browser):
    return WebDriverWait(browser, WAIT_SECONDS)


def heading(browser, text, taken_over=True):
    """Waits for the page's h1 to read `text` and returns it (through reloads); with `taken_over`,
    once the player runs the page (a pre-rendered page's links are plain links until then)."""
    def found(b):
        h1 = b.find_elements(By.TAG_NAME, "h1")
        if taken_over and b.find_elements(By.ID, "prerendered"):
            return False
        return h1[0] if h1 and text in h1[0].text else False
    try:
        return WebDriverWait(browser, WAIT_SECONDS, ignored_exceptions=(StaleElementReferenceException,)).until(found)
    except TimeoutException:
        page = browser.execute_script("return location.href + ' :: ' + document.body.innerText.slice(0, 600)")
        raise AssertionError(f"no h1 reading {text!r} after {WAIT_SECONDS} s; the page shows: {page}") from None


def xpath_literal(text):
    """A string literal for XPath 1.0, whatever quotes the text holds."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def link(browser, text):
    return wait(browser).until(EC.element_to_be_clickable((By.XPATH, f"//a[contains(normalize-space(.), {xpath_literal(text)})]")))


def focused_id(browser):
    return browser.execute_script("return document.activeElement && document.activeElement.id")


def test_catalog_to_three_lessons_then_reload_a_deep_link(browser, site):
    browser.get(site + "/")
    heading(browser, "Catalogue des parcours")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    # Broken fixture courses are left out of the catalog; the demo is listed.
    cards = browser.find_elements(By.CSS_SELECTOR, ".course-card h2")
    assert [c.text for c in cards] == ["Découvrir Parcours", "Découvrir les IA génératives", "Writing a course for Parcours"]

    link(browser, "Découvrir Parcours").click()
    heading(browser, "Découvrir Parcours")
    assert "10 min" in browser.find_element(By.CSS_SELECTOR, ".overview .meta").text
    assert browser.title == "Découvrir Parcours — Parcours"

    link(browser, "Commencer").click()
    heading(browser, "Bienvenue dans Parcours")
    assert browser.current_url == site + "/learn/demo/bienvenue"
    assert browser.find_elements(By.CSS_SELECTOR, "a[rel=prev]") == []

    link(browser, "Suivant").click()
    heading(browser, "Naviguer dans un parcours")
    wait(browser).until(lambda b: focused_id(b) == "page-title")
    assert browser.title == "Naviguer dans un parcours — Découvrir Parcours — Parcours"

    link(browser, "Suivant").click()
    heading(browser, "Tableaux, encadrés, images et notes")
    assert browser.current_url == site + "/learn/demo/mise-en-forme"
    wait(browser).until(lambda b: focused_id(b) == "page-title")
    current = browser.find_element(By.CSS_SELECTOR, ".toc a[aria-current=page]")
    assert current.get_attribute("textContent").strip() == "Tableaux, encadrés, images et notes"

    browser.refresh()
    heading(browser, "Tableaux, encadrés, images et notes")
    assert browser.find_element(By.CSS_SELECTOR, ".lesson-module").text.lower() == "ce qu'une leçon peut contenir"

    link(browser, "Précédent").click()
    heading(browser, "Naviguer dans un parcours")


def test_pages_change_without_reloading_and_the_browser_history_moves_between_them(browser, site):
    browser.get(site + "/learn/demo/")
    heading(browser, "Découvrir Parcours")  # a trailing slash, as a server redirects a folder
    # A mark on the page's window: a reload would lose it.
    browser.execute_script("window.sameDocument = true")
    same_document = lambda: browser.execute_script("return window.sameDocument === true")

    link(browser, "Commencer").click()
    heading(browser, "Bienvenue dans Parcours")
    link(browser, "Suivant").click()
    heading(browser, "Naviguer dans un parcours")
    assert browser.current_url == site + "/learn/demo/naviguer"
    assert same_document(), "the player moved from page to page without reloading"

    browser.back()
    heading(browser, "Bienvenue dans Parcours")
    assert browser.current_url == site + "/learn/demo/bienvenue"
    wait(browser).until(lambda b: "Bienvenue dans Parcours" in b.find_element(
        By.CSS_SELECTOR, ".toc a[aria-current=page]").get_attribute("textContent"))
    browser.back()
    heading(browser, "Découvrir Parcours")
    browser.forward()
    heading(browser, "Bienvenue dans Parcours")
    assert same_document(), "history moved within the player"

    # `?details` is read from the address the player moved to.
    browser.execute_script("history.pushState(null, '', '/learn/demo?details'); dispatchEvent(new PopStateEvent('popstate'))")
    heading(browser, "Découvrir Parcours")
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".tracking-panel"))

    # A link to a place in the page is the browser's: the address gains its `#…`, nothing reloads.
    link(browser, "Commencer").click()
    heading(browser, "Bienvenue dans Parcours")
    browser.execute_script("""
        const a = document.createElement('a'); a.href = '#page-title'; a.textContent = 'En haut';
        document.querySelector('main').append(a);""")
    link(browser, "En haut").click()
    wait(browser).until(lambda b: b.current_url == site + "/learn/demo/bienvenue#page-title")
    assert same_document()

    # A link to a file of the course is no page of the player: the browser opens the file itself.
    browser.execute_script("""
        const a = document.createElement('a'); a.href = '/courses/demo.json'; a.textContent = 'Le fichier';
        document.querySelector('main').append(a);""")
    link(browser, "Le fichier").click()
    wait(browser).until(lambda b: b.current_url == site + "/courses/demo.json")
    assert '"kind":"playable"' in browser.find_element(By.TAG_NAME, "body").text


def test_a_lesson_shows_every_markdown_feature_and_nothing_unsafe(browser, site):
    browser.get(site + "/learn/demo/mise-en-forme")
    heading(browser, "Tableaux, encadrés, images et notes")
    body = browser.find_element(By.CSS_SELECTOR, ".lesson-body")
    assert len(body.find_elements(By.TAG_NAME, "table")) == 2
    assert body.find_element(By.CSS_SELECTOR, "span[lang=en]").text == "Learning Record Store"
    assert body.find_element(By.TAG_NAME, "del").text == "barré"
    assert len(body.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")) == 3
    assert body.find_element(By.CSS_SELECTOR, ".callout-important .callout-title").text == "Important"
    assert body.find_elements(By.CSS_SELECTOR, ".footnote-definition")
    assert body.find_element(By.ID, "sections")
    image = body.find_element(By.TAG_NAME, "img")
    wait(browser).until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))



def test_the_last_lesson_says_so(browser, site):
    browser.get(site + "/learn/demo/exercice")
    heading(browser, "S'exercer")
    link(browser, "Suivant").click()
    heading(browser, "Pour finir")
    assert browser.find_elements(By.CSS_SELECTOR, "a[rel=next]") == []
    assert "fin du parcours" in browser.find_element(By.CSS_SELECTOR, ".end-of-course").text
    link(browser, "première leçon").click()
    heading(browser, "Bienvenue dans Parcours")


def test_unknown_course_lesson_and_page_are_explained(browser, site):
    browser.get(site + "/learn/nulle-part")
    heading(browser, "Page introuvable")
    assert "Aucun parcours ne porte l’adresse « nulle-part »" in browser.find_element(By.TAG_NAME, "main").text

    browser.get(site + "/learn/demo/lecon-disparue")
    heading(browser, "Page introuvable")
    assert "Cette leçon n’existe pas" in browser.find_element(By.TAG_NAME, "main").text
    link(browser, "Présentation du parcours").click()
    heading(browser, "Découvrir Parcours")

    # Not even a course's address: the route's typed parameter refuses it, and the page says so.
    browser.get(site + "/learn/Mon%20cours%20%3Cb%3E")
    heading(browser, "Page introuvable")
    assert "<b>" not in browser.find_element(By.TAG_NAME, "main").text

    browser.get(site + "/rien/du/tout")
    heading(browser, "Page introuvable")
    link(browser, "Retour au catalogue").click()
    heading(browser, "Catalogue des parcours")


def test_a_lesson_opens_with_one_request_for_its_course_never_its_sources(browser, site):
    browser.get(site + "/learn/demo/exercice")
    heading(browser, "S'exercer")
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, "fieldset.question"))
    paths = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
    course_requests = [p for p in paths if p.startswith("/courses/")]
    # The course compiled by the CLI, in one file: no manifest, lesson or quiz to fetch and parse.
    assert course_requests.count("/courses/demo.json") == 1, course_requests
    assert not [p for p in course_requests if p.endswith((".md", ".toml", ".gift"))], course_requests


def test_a_built_site_loads_cold_ten_times_in_a_row_while_its_service_worker_installs(browser, site):
    # Each round starts with nothing: no service worker, no cache, no storage. The learner opens a
    # lesson, then another page at once, while the worker installs and takes control (it fetches
    # the whole player for offline use meanwhile): neither page may wait on it, and the second one,
    # opened before the worker activated, must be claimed all the same (it was left uncontrolled in
    # 3 runs of 4 before the page asked to be claimed).
    pages = [("/learn/demo/naviguer", "Naviguer dans un parcours"), ("/learn/demo/exercice", "S'exercer")]
    for attempt in range(10):
        browser.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": site, "storageTypes": "all"})
        for path, title in pages:
            browser.get(site + path)
            heading(browser, title)
        controlled = wait(browser).until(
            lambda b: b.execute_script("return !!navigator.serviceWorker.controller"))
        assert controlled, f"round {attempt}: the worker never took control"


def test_broken_courses_name_the_file_and_line(browser, site):
    expectations = {
        "bad-key": "course.toml:2:1: error: unknown field `titel`",
        "missing-lesson": "course.toml:8:26: error: lesson file `absente.md`: file not found",
        "bad-utf8": "latin1.md:1:5: error: invalid UTF-8",
    }
    for slug, expected in expectations.items():
        browser.get(f"{site}/learn/{slug}")
        heading(browser, "Ce parcours ne peut pas être affiché")
        errors = browser.find_element(By.CSS_SELECTOR, ".diagnostics").text
        assert expected in errors, f"{slug}: {errors}"


def test_errors_inside_a_lesson_do_not_stop_the_course(browser, site):
    browser.get(site + "/learn/broken-links/links")
    heading(browser, "Links")
    body = browser.find_element(By.CSS_SELECTOR, ".lesson-body")
    # The unsafe link is gone, its text stays.
    assert "Click me" in body.text
    assert not [a for a in body.find_elements(By.TAG_NAME, "a") if "javascript" in (a.get_attribute("href") or "")]
    # A heading's attributes could carry a handler that fires with no click: only the text is kept.
    more = browser.find_element(By.XPATH, "//h2[normalize-space(.)='More']")
    assert [a for a in browser.execute_script(
        "return [...arguments[0].attributes].map(a => a.name)", more)] == ["id"]
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    assert browser.execute_script("return document.querySelectorAll('[style], [onclick], [oncontentvisibilityautostatechange]').length") == 0
    assert "Click me" in body.text and "tried to run script" in body.text


def test_table_of_contents_is_a_drawer_on_a_narrow_screen(browser, site):
    browser.set_window_size(400, 800)
    browser.get(site + "/learn/demo/bienvenue")
    heading(browser, "Bienvenue dans Parcours")
    toggle = browser.find_element(By.CSS_SELECTOR, ".toc-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    lesson_link = browser.find_element(By.XPATH, "//nav[contains(@class,'toc')]//a[normalize-space(.)='Naviguer dans un parcours']")
    assert not lesson_link.is_displayed()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    wait(browser).until(EC.element_to_be_clickable(lesson_link)).click()
    heading(browser, "Naviguer dans un parcours")
    assert toggle.get_attribute("aria-expanded") == "false"
    no_horizontal_scroll = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert browser.execute_script(no_horizontal_scroll)


def test_a_course_file_that_never_arrives_is_told_with_a_retry_not_loading_forever(browser, tmp_path):
    from conftest import Site, copy_site
    served = Site(copy_site(tmp_path / "site"))
    served.handler.stall = "/courses/demo.json"
    try:
        browser.get(served.url + "/learn/demo/bienvenue")
        # The player gives up on a file after 30 s: the learner is told, and offered to try again.
        alert = WebDriverWait(browser, WAIT_SECONDS + 40).until(
            lambda b: b.find_element(By.CSS_SELECTOR, "[role=alert]")).text
        assert "Le parcours n’a pas pu être chargé" in alert and "demo.json" in alert, alert
        served.handler.stall_released.set()
        browser.find_element(By.XPATH, "//button[normalize-space(.)='Réessayer']").click()
        heading(browser, "Bienvenue dans Parcours")
    finally:
        served.handler.stall_released.set()
        served.close()


def test_a_browser_too_old_for_the_player_is_told_what_to_use_in_both_languages(browser, site):
    # A browser without WebAssembly (Chrome and Edge before 97, Firefox before 102, Safari before
    # 16 refuse it under the page's policy): here, the page's WebAssembly removed before it runs.
    browser.get(f"{site}/learn/demo")
    heading(browser, "Découvrir Parcours")
    assert not browser.find_elements(By.ID, "too-old"), "a current browser is told nothing"

    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "delete window.WebAssembly;"})
    browser.get(f"{site}/learn/demo")
    note = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "#too-old[role=alert]"))
    said = {p.get_attribute("lang"): p.text for p in note.find_elements(By.TAG_NAME, "p")}
    assert set(said) == {"fr", "en"}, said
    assert "trop ancien" in said["fr"] and "Firefox 102" in said["fr"], said
    assert "too old" in said["en"] and "Safari 16" in said["en"], said
