"""Accessibility (RGAA ≈ WCAG 2.1 AA): axe-core's WCAG 2.0/2.1 A and AA rules on every kind of
page, in both languages and both themes, must find nothing; the theme and language switches work
and are remembered."""

import json
import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT
from test_courses import course_json, walk_course
from test_player import heading, wait

AXE = (ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js").read_text()
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Tests write their pictures under target/; `make screenshots` points this at the README's folder.
SCREENSHOTS = Path(os.environ.get("PARCOURS_SCREENSHOTS", ROOT / "target" / "screenshots"))


def violations(browser):
    """axe-core's WCAG A/AA violations on the current page, readable."""
    browser.execute_script(AXE)
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));", RULES)
    return found


class Audit:
    def __init__(self, browser, label):
        self.browser, self.label, self.found = browser, label, {}

    def page(self, name):
        found = violations(self.browser)
        if found:
            self.found[f"{self.label} / {name}"] = found

    def assert_clean(self):
        assert not self.found, json.dumps(self.found, ensure_ascii=False, indent=1)


def set_theme(browser, site, theme):
    """The learner's choice of theme, as the switch stores it."""
    browser.get(site + "/favicon.ico")
    browser.execute_script("localStorage.setItem('parcours:theme', arguments[0])", theme)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("slug", ["demo", "writing-a-course", "ia-generatives"])
def test_every_kind_of_page_passes_axe_in_both_languages_and_themes(browser, site, slug, theme):
    course = course_json(slug)
    set_theme(browser, site, theme)
    audit = Audit(browser, f"{slug} ({course['language']}, {theme})")

    def look(name):
        assert browser.execute_script("return document.documentElement.dataset.theme") == theme
        audit.page(name)

    walk_course(browser, site, course, look, each_question=False)
    audit.assert_clean()


def test_the_theme_switch_is_remembered(browser, site):
    browser.get(site + "/")
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".course-card"))
    switch = browser.find_element(By.XPATH, "//button[contains(., 'Thème sombre')]")
    assert switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert browser.execute_script("return document.documentElement.dataset.theme") == "dark"
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 22, 22)", background
    browser.refresh()
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".course-card"))
    assert browser.execute_script("return document.documentElement.dataset.theme") == "dark"
    assert browser.find_element(By.XPATH, "//button[contains(., 'Thème sombre')]").get_attribute("aria-pressed") == "true"


def test_the_language_switch_shows_the_interface_in_english_and_is_remembered(browser, site):
    browser.get(f"{site}/learn/demo")
    heading(browser, "Découvrir Parcours")
    assert "Commencer" in browser.find_element(By.CSS_SELECTOR, ".overview").text
    browser.find_element(By.CSS_SELECTOR, "button[lang=en]").click()
    heading(browser, "Découvrir Parcours")  # the course itself stays in French
    wait(browser).until(lambda b: "Start" in b.find_element(By.CSS_SELECTOR, ".overview").text)
    assert browser.find_element(By.CSS_SELECTOR, ".skip-link").get_attribute("textContent") == "Skip to content"
    browser.get(site + "/")
    heading(browser, "Course catalog")
    browser.find_element(By.CSS_SELECTOR, "button[lang=fr]").click()
    heading(browser, "Catalogue des parcours")


PAGES = [("catalog", "/", "Catalogue des parcours"), ("course", "/learn/demo", "Découvrir Parcours"),
         ("lesson", "/learn/demo/exercice", "S'exercer"), ("assessment", "/learn/demo/assessment/evaluation",
                                                            "Évaluation finale")]


def emulate(browser, width, theme):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900 if width > 600 else 780, "deviceScaleFactor": 1,
                             "mobile": width < 600})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": theme}]})


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_small_screens_have_no_sideways_scroll_and_large_targets_and_screenshots_are_taken(browser, site, theme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for width in (1280, 360, 320):
            emulate(browser, width, theme)
            for name, path, title in PAGES:
                browser.get(site + path)
                heading(browser, title)
                if name == "lesson":
                    # Feedback shown, as a learner sees it after checking.
                    for button in browser.find_elements(By.CSS_SELECTOR, "button.check")[:3]:
                        browser.execute_script("arguments[0].click()", button)
                overflow = browser.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
                if width < 600:
                    small = browser.execute_script("""
                        return [...document.querySelectorAll('button, select, input:not([type=radio]):not([type=checkbox]):not(.visually-hidden), .option, a.button, .toc-toggle')]
                          .filter(e => e.offsetParent !== null)
                          .filter(e => e.getBoundingClientRect().height < 44)
                          .map(e => e.outerHTML.slice(0, 80) + ' ' + Math.round(e.getBoundingClientRect().height));""")
                    assert not small, f"{name} at {width} px: targets under 44 px: {small}"
                if width in (1280, 360):
                    browser.save_screenshot(str(SCREENSHOTS / f"{name}-{width}-{theme}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
