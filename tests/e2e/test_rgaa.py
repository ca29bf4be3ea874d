"""What an RGAA 4.1 auditor checks beyond axe-core, each test named after the criterion it covers:
the skip link (12.7), reflow at 320 px with and without the text-spacing style (10.11, 10.12),
what live regions say during a journey (7.5), the reset dialog's focus path (7.1, 12.8), changes
of language (8.7), data tables' headers (5.6, 5.7), the missing word's place in a question's name
(11.1, 11.2), text in figures on the figures' own background (3.2), and the smaller findings of the same audit (7.3,
9.1, 10.1, 1.6, 11.10)."""

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_a11y import PAGES, emulate, set_theme
from test_courses import (answer_and_check, course_json, lessons_of, pass_assessment, practice_questions,
                          walk_course)
from test_keyboard import focused, press, tab_to
from test_player import heading, link, wait
from test_progress import course_page_with_one_lesson_done, reach_end, ticked
from test_xapi import drained, lrs_site, ralph  # noqa: F401 (fixtures)

BUNDLED = ["demo", "writing-a-course", "ia-generatives"]

# WCAG 1.4.12: the spacing a reader may impose; nothing may be cut or overlap with it.
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
                " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")

# What sticks out of the viewport sideways, with and without the text-spacing style. Scrolling
# containers by design (code blocks, wide tables) are left out: they scroll inside themselves.
OVERFLOW_JS = """
const spacing = arguments[0];
function measure() {
  const width = document.documentElement.clientWidth;
  const found = [];
  const page = document.documentElement.scrollWidth - width;
  if (page > 0) found.push('the page scrolls sideways by ' + page + ' px');
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.visually-hidden, pre, .lesson-body table, .skip-link, script, style')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      const text = (el.textContent || '').trim().slice(0, 40);
      found.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' «' + text + '» spans '
                 + Math.round(box.left) + '..' + Math.round(box.right) + ' px');
    }
  }
  return found.slice(0, 6);
}
const plain = measure();
const style = document.createElement('style');
style.textContent = spacing;
document.head.appendChild(style);
const spaced = measure();
style.remove();
return {plain, spaced};
"""


class Reflow:
    """Collects, page after page, what sticks out at the current width."""

    def __init__(self, browser, width):
        self.browser, self.width, self.found = browser, width, {}

    def page(self, name):
        result = self.browser.execute_script(OVERFLOW_JS, TEXT_SPACING)
        if result["plain"]:
            self.found[f"{name} at {self.width} px"] = result["plain"]
        if result["spaced"]:
            self.found[f"{name} at {self.width} px with text spacing"] = result["spaced"]

    def assert_clean(self):
        assert not self.found, "\n".join(f"{page}: {what}" for page, what in self.found.items())


@pytest.mark.parametrize("slug", BUNDLED)
def test_10_11_no_page_of_a_bundled_course_scrolls_sideways_at_320_px_even_with_text_spacing(browser, site, slug):
    course = course_json(slug)
    emulate(browser, 320, "light")
    reflow = Reflow(browser, 320)
    try:
        walk_course(browser, site, course, reflow.page)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    reflow.assert_clean()


@pytest.mark.parametrize("width", [1280, 360])
def test_12_7_the_skip_link_moves_focus_to_the_main_content(browser, site, width):
    emulate(browser, width, "light")
    try:
        for name, path, title in PAGES:
            browser.get(site + path)
            heading(browser, title)
            tab_to(browser, "el.classList.contains('skip-link')", back=True)
            press(browser, Keys.ENTER)
            assert focused(browser, "el.id === 'main'"), \
                f"{name} at {width} px: Enter on the skip link leaves focus on " + \
                browser.execute_script("return document.activeElement.outerHTML.slice(0, 80)")
            press(browser, Keys.TAB)
            assert focused(browser, "!!el.closest('#main')"), \
                f"{name} at {width} px: the next Tab goes to " + \
                browser.execute_script("return document.activeElement.outerHTML.slice(0, 80)")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# Records what a screen reader would be told: each change inside a live region (polite or
# assertive, `role=status|alert|log`), and each alert inserted, with the region and its text then.
RECORD_ANNOUNCEMENTS = """
window.__announcements = [];
const LIVE = '[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]';
const name = el => {
  const kind = el.classList[0];
  return kind && kind !== 'visually-hidden' ? '.' + kind : (el.id ? '#' + el.id : el.getAttribute('role'));
};
new MutationObserver(records => {
  const regions = new Set();
  for (const record of records) {
    const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    const region = node && node.closest(LIVE);
    if (region) regions.add(region);
    for (const added of record.addedNodes) {
      if (added.nodeType === 1 && added.matches('[role=alert]')) regions.add(added);
    }
  }
  for (const region of regions) {
    const text = region.textContent.trim();
    if (text) window.__announcements.push({region: name(region), text});
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def announcements(browser):
    return browser.execute_script("const a = window.__announcements || []; window.__announcements = []; return a;")


def test_7_5_a_journey_announces_only_question_feedback_and_lasting_status_changes(browser, lrs_site, ralph):
    """The demo course from its page to a passed assessment, records delivered to Ralph on the way:
    checking a question announces its feedback and nothing else; going from page to page announces
    nothing; the count of records waiting (which changes at each page and each check) never."""
    demo = course_json("demo")
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_ANNOUNCEMENTS})
    browser.get(f"{lrs_site.url}/learn/demo")
    heading(browser, demo["title"])
    link(browser, "Commencer").click()
    told = []
    for lesson in lessons_of(demo):
        heading(browser, lesson["title"])
        for question in practice_questions(lesson):
            announcements(browser)
            answer_and_check(browser, question)
            said = announcements(browser)
            assert said and all(a["region"] == ".feedback" for a in said), \
                f"checking {question['id']} told: {said}"
            feedback = browser.find_element(By.ID, f"q-{question['id']}-feedback").get_attribute("textContent")
            assert said[-1]["text"] == feedback.strip(), "what is told is the feedback shown"
        reach_end(browser)
        told += announcements(browser)
        following = browser.find_elements(By.CSS_SELECTOR, ".lesson-next")
        if following and "assessment" not in following[0].get_attribute("href"):
            following[0].click()
    drained(browser)
    told += announcements(browser)
    assert not told, f"moving through the lessons told: {told}"
    # The count of records waiting is not even in a live region: nothing can announce it.
    counter_live = browser.execute_script(
        "const s = document.querySelector('.tracking-status');"
        "return !!s && !!s.closest('[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]');")
    assert not counter_live, "the banner's records status is a live region"
    assessment = demo["assessments"][0]
    link(browser, assessment["title"]).click()
    pass_assessment(browser, lrs_site.url, demo, assessment, navigate=False)
    drained(browser)
    told = announcements(browser)
    assert all(a["region"] == ".results" for a in told), f"the assessment told: {told}"
    assert ralph.statements(limit=500), "the journey's records reached the LRS"


def test_7_1_and_12_8_the_reset_dialog_takes_focus_keeps_it_and_gives_it_back(browser, site):
    course_page_with_one_lesson_done(browser, site)
    in_dialog = "!!el.closest('[role=alertdialog]')"
    tab_to(browser, "el.textContent.trim() === 'Réinitialiser ma progression'")
    press(browser, Keys.ENTER)
    # Focus moves once the dialog is drawn (the next frame).
    wait(browser).until(lambda b: focused(b, in_dialog), "focus moves into the dialog")
    for _ in range(5):
        press(browser, Keys.TAB)
        assert focused(browser, in_dialog + " && el.tagName === 'BUTTON'"), "Tab stays on the dialog's buttons"
    for _ in range(5):
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        assert focused(browser, in_dialog + " && el.tagName === 'BUTTON'"), "Shift+Tab too"
    tab_to(browser, "el.textContent.trim() === 'Annuler'")
    press(browser, Keys.ENTER)
    on_reset = "el.textContent.trim() === 'Réinitialiser ma progression'"
    wait(browser).until(lambda b: focused(b, on_reset), "Cancel gives focus back")
    press(browser, Keys.ENTER)
    wait(browser).until(lambda b: focused(b, in_dialog))
    press(browser, Keys.ESCAPE)
    assert not browser.find_elements(By.CSS_SELECTOR, "[role=alertdialog]"), "Escape closes the dialog"
    wait(browser).until(lambda b: focused(b, on_reset), "Escape gives focus back")
    press(browser, Keys.ENTER)
    wait(browser).until(lambda b: focused(b, in_dialog))
    tab_to(browser, "el.textContent.trim() === 'Tout effacer pour ce parcours'")
    press(browser, Keys.ENTER)
    wait(browser).until(lambda b: ticked(b) == [])
    wait(browser).until(lambda b: focused(b, "el.id === 'progress-heading'"),
                        "after the reset, focus is on the panel's heading")


def test_8_7_passages_in_another_language_are_marked(browser, site):
    flagship = course_json("ia-generatives")
    lessons = {lesson["id"]: lesson for lesson in lessons_of(flagship)}
    expected = {"03-jetons": "large language model", "10-biais": "sycophancy", "13-cadre-juridique": "AI Act"}
    for lesson_id, words in expected.items():
        browser.get(f"{site}/learn/ia-generatives/{lesson_id}")
        heading(browser, lessons[lesson_id]["title"])
        marked = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".lesson-body [lang=en]")]
        assert any(words in text for text in marked), f"{lesson_id}: {words!r} is not marked as English: {marked}"
    browser.get(f"{site}/learn/demo/mise-en-forme")
    heading(browser, "Tableaux, encadrés")
    assert browser.find_elements(By.CSS_SELECTOR, ".lesson-body span[lang=en]"), "the demo shows the syntax"


TABLE_CELLS_JS = """
return [...document.querySelectorAll('.lesson-body table')].map(table => ({
  head: [...table.querySelectorAll('thead tr > *')].map(c => [c.tagName.toLowerCase(), c.getAttribute('scope'), c.textContent.trim()]),
  first: [...table.querySelectorAll('tbody tr')].map(r => [r.cells[0].tagName.toLowerCase(), r.cells[0].getAttribute('scope')]),
  others: [...table.querySelectorAll('tbody tr > :not(:first-child)')].map(c => c.tagName.toLowerCase()),
}));
"""


# The demo has a table whose empty corner makes its first column head the rows; the flagship's
# tables all have a header in every column (the campus review asked for the empty one to be filled).
@pytest.mark.parametrize("slug, lesson, title, row_headers", [
    ("ia-generatives", "01-definition", "intelligence artificielle", False),
    ("demo", "mise-en-forme", "Tableaux, encadrés", True)])
def test_5_6_and_5_7_table_headers_say_what_they_head(browser, site, slug, lesson, title, row_headers):
    browser.get(f"{site}/learn/{slug}/{lesson}")
    heading(browser, title)
    tables = browser.execute_script(TABLE_CELLS_JS)
    assert tables, f"{lesson} has tables"
    assert any(t["head"][0][2] == "" for t in tables) == row_headers, \
        f"{lesson}: a table whose first column heads the rows is {'expected' if row_headers else 'not expected'}"
    for table in tables:
        corner_empty = table["head"][0][2] == ""
        named = table["head"][1:] if corner_empty else table["head"]
        assert all(cell[:2] == ["th", "col"] for cell in named), f"column headers: {table['head']}"
        expected_first = ["th", "row"] if corner_empty else ["td", None]
        assert all(cell == expected_first for cell in table["first"]), f"first column: {table}"
        assert set(table["others"]) <= {"td"}, table


def test_11_1_the_missing_words_place_is_in_the_questions_name(browser, site):
    demo = course_json("demo")
    lesson = next(lesson for lesson in lessons_of(demo) if any(q.get("after_gap") for q in practice_questions(lesson)))
    question = next(q for q in practice_questions(lesson) if q.get("after_gap"))
    browser.get(f"{site}/learn/demo/{lesson['id']}")
    heading(browser, lesson["title"])
    fieldset = browser.find_element(By.ID, f"q-{question['id']}")
    name = fieldset.accessible_name
    assert "écrite en [mot manquant] et ses questions" in name, name


def test_low_findings_of_the_audit(browser, site):
    demo = course_json("demo")
    exercise = next(lesson for lesson in lessons_of(demo) if practice_questions(lesson))
    browser.get(f"{site}/learn/demo/{exercise['id']}")
    heading(browser, exercise["title"])
    # 11.10: a statement with nothing to answer is not a form group.
    empty = browser.execute_script(
        "return [...document.querySelectorAll('fieldset')].filter(f => !f.querySelector('input, select, textarea'))"
        ".map(f => f.textContent.trim().slice(0, 60))")
    assert not empty, f"fieldsets with nothing to answer: {empty}"
    # 10.1: the title of a question is read as written, not in the capitals the style draws.
    titled = next(q for q in practice_questions(exercise) if q.get("title"))
    name = browser.find_element(By.ID, f"q-{titled['id']}").accessible_name
    assert titled["title"] in name and titled["title"].upper() not in name, name
    # 1.x / 10.1: the marks ✓ and ✗ after a choice are said in words, never read as symbols.
    choice = next(q for q in practice_questions(exercise) if q["answers"]["type"] == "choice"
                  and not q.get("after_gap") and not q["answers"]["multiple"])
    fieldset = browser.find_element(By.ID, f"q-{choice['id']}")
    wrong = next(i for i, c in enumerate(choice["answers"]["choices"]) if c["weight"] <= 0)
    fieldset.find_element(By.CSS_SELECTOR, f"input[value='{wrong}']").click()
    fieldset.find_element(By.CSS_SELECTOR, "button.check").click()
    wait(browser).until(lambda b: fieldset.find_elements(By.CSS_SELECTOR, ".mark"))
    label = fieldset.find_element(By.CSS_SELECTOR, f"input[value='{wrong}']").accessible_name
    assert "✗" not in label and "✓" not in label and "faux" in label, label

    # 7.3 / 12.x: the table of contents' drawer closes on Escape and gives focus back to its button.
    emulate(browser, 360, "light")
    try:
        browser.get(f"{site}/learn/demo/{exercise['id']}")
        heading(browser, exercise["title"])
        tab_to(browser, "el.classList.contains('toc-toggle')", back=True)
        press(browser, Keys.ENTER)
        assert browser.find_element(By.CSS_SELECTOR, ".toc-toggle").get_attribute("aria-expanded") == "true"
        press(browser, Keys.TAB)
        press(browser, Keys.ESCAPE)
        toggle = browser.find_element(By.CSS_SELECTOR, ".toc-toggle")
        assert toggle.get_attribute("aria-expanded") == "false", "Escape closes the drawer"
        assert focused(browser, "el.classList.contains('toc-toggle')"), "focus is back on the drawer's button"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # 1.x: each progress bar has a name of its own.
    browser.get(f"{site}/learn/demo")
    heading(browser, demo["title"])
    names = [bar.accessible_name for bar in browser.find_elements(By.TAG_NAME, "progress")]
    assert len(names) > 1 and len(set(names)) == len(names), names
    # 9.1: the technical details are not in a learner's page; asked for, their headings nest.
    assert not browser.find_elements(By.CSS_SELECTOR, ".tracking-panel"), "learners do not get the xAPI panel"
    browser.get(f"{site}/learn/demo?details")
    heading(browser, demo["title"])
    levels = browser.execute_script(
        "return [...document.querySelectorAll('main h1, main h2, main h3')].map(h => "
        "[Number(h.tagName[1]), !!h.closest('.tracking-panel')])")
    assert any(inside for _, inside in levels), "?details shows the panel"
    first_inside = next(i for i, (_, inside) in enumerate(levels) if inside)
    assert levels[first_inside][0] == 2, f"the panel opens with its own h2: {levels}"

    # 1.6: the figures of a chart are in the page, not only in the SVG's <desc>.
    flagship = course_json("ia-generatives")
    tokens = next(lesson for lesson in lessons_of(flagship) if lesson["id"] == "03-jetons")
    browser.get(f"{site}/learn/ia-generatives/03-jetons")
    heading(browser, tokens["title"])
    text = browser.find_element(By.CSS_SELECTOR, ".lesson-body").text
    assert "41 %" in text and "27 %" in text and "19 %" in text, "the chart's figures are written out"


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_on_white(color):
    rgb = [int(float(part)) for part in color[color.index("(") + 1:color.index(")")].split(",")[:3]]
    return 1.05 / (luminance(rgb) + 0.05)


def test_printing_a_lesson_in_the_dark_theme_gives_dark_text_and_no_buttons(browser, site):
    set_theme(browser, site, "dark")
    browser.get(f"{site}/learn/demo/exercice")
    heading(browser, "S'exercer")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        colors = browser.execute_script(
            "return [...document.querySelectorAll('.lesson-body p, .lesson-body li, legend, h1, h2, .option')]"
            ".filter(e => e.offsetParent !== null).map(e => getComputedStyle(e).color)")
        low = {color: round(contrast_on_white(color), 1) for color in colors if contrast_on_white(color) < 4.5}
        assert colors and not low, f"printed text under 4.5:1 on paper: {low}"
        shown = browser.execute_script(
            "return [...document.querySelectorAll('button')].filter(b => b.offsetParent !== null)"
            ".map(b => b.textContent.trim())")
        assert not shown, f"buttons printed: {shown}"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


# Each text of an SVG figure, inlined in the page: the shape painted right under the middle and the
# four inner corners of its box, and the contrast between the text's fill and that shape's fill.
# A text over nothing of the figure's own is drawn on the page's background, which the theme sets:
# dark text there vanishes in the dark theme.
SVG_TEXT_JS = """
const [url, done] = [arguments[0], arguments[arguments.length - 1]];
fetch(url).then(r => r.text()).then(source => {
  const svg = new DOMParser().parseFromString(source, 'image/svg+xml').documentElement;
  const holder = document.createElement('div');
  holder.style.cssText = 'position:fixed;left:0;top:0;z-index:99999;background:transparent';
  holder.appendChild(document.importNode(svg, true));
  document.body.appendChild(holder);
  const rgb = c => (c.match(/[0-9.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const found = [];
  for (const text of holder.querySelectorAll('text')) {
    const box = text.getBoundingClientRect();
    const points = [[box.left + box.width / 2, box.top + box.height / 2], [box.left + 2, box.top + 2],
                    [box.right - 2, box.top + 2], [box.left + 2, box.bottom - 2], [box.right - 2, box.bottom - 2]];
    for (const [x, y] of points) {
      const under = document.elementsFromPoint(x, y).find(el => holder.contains(el)
        && el instanceof SVGGeometryElement && getComputedStyle(el).fill !== 'none');
      const ink = lum(rgb(getComputedStyle(text).fill));
      const ground = under ? lum(rgb(getComputedStyle(under).fill)) : null;
      const ratio = ground === null ? null : (Math.max(ink, ground) + 0.05) / (Math.min(ink, ground) + 0.05);
      found.push({text: text.textContent.trim(), on: under ? under.tagName : null, ratio});
    }
  }
  holder.remove();
  done(found);
}).catch(e => done([{text: String(e), on: null, ratio: null}]));
"""


def course_figures(slug):
    """The SVG figures the lessons of a bundled course show, as addresses on the site."""
    figures = set()
    for lesson in lessons_of(course_json(slug)):
        for block in lesson["body"]:
            if block["kind"] == "html":
                figures.update(re.findall(r'src="[./]*(courses/[^"]+\.svg)"', block["html"]))
    return sorted(figures)


def test_3_2_text_in_figures_is_on_the_figures_own_background_with_enough_contrast(browser, site):
    # Measured against the figure's own shapes, the result holds in both themes: a figure whose
    # texts all sit on its own shapes looks the same whatever the page's background.
    browser.get(f"{site}/")
    heading(browser, "")
    figures = [figure for slug in BUNDLED for figure in course_figures(slug)]
    assert "courses/ia-generatives/images/risques.svg" in figures, figures
    problems = []
    for figure in figures:
        measured = browser.execute_async_script(SVG_TEXT_JS, f"{site}/{figure}")
        assert measured, f"{figure} has texts"
        for point in measured:
            if point["on"] is None:
                problems.append(f"{figure}: « {point['text']} » is drawn on the page's background")
            elif point["ratio"] < 4.5:
                problems.append(f"{figure}: « {point['text']} » has a contrast of {point['ratio']:.2f}")
    assert not problems, "\n".join(sorted(set(problems)))
