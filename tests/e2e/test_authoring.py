"""Authoring with the `parcours` binary alone: `new`, `build` served by a plain static server, and
`preview` with live reload and the error overlay, in Chromium."""

import gzip
import json
import re
import shutil
import subprocess
import time

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import ROOT, Site
from lrs import free_port
from test_player import heading, wait

PARCOURS = ROOT / "target" / "release" / "parcours"


def parcours(*args, **kwargs):
    return subprocess.run([str(PARCOURS), *map(str, args)], capture_output=True, text=True, **kwargs)


def test_a_built_site_plays_the_course_from_a_plain_static_server(browser, tmp_path):
    course = tmp_path / "mon-cours"
    assert parcours("new", course).returncode == 0
    site = tmp_path / "site"
    built = parcours("build", course, ROOT / "courses" / "demo", "-o", site)
    assert built.returncode == 0, built.stderr
    assert (site / "index.html").is_file() and (site / "config.json").is_file()
    assert (site / "courses" / "mon-cours" / "course.toml").is_file()
    compiled = json.loads((site / "courses" / "mon-cours.json").read_text())
    assert compiled["kind"] == "playable" and compiled["course"]["slug"] == "mon-cours"
    wasm = next(site.glob("*_bg.wasm"))
    assert gzip.decompress((site / f"{wasm.name}.gz").read_bytes()) == wasm.read_bytes()
    assert (site / f"{wasm.name}.br").stat().st_size < (site / f"{wasm.name}.gz").stat().st_size

    served = Site(site)
    try:
        browser.get(served.url)
        heading(browser, "Catalogue des parcours")
        titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".course-card h2")]
        assert "Mon parcours" in titles and "Découvrir Parcours" in titles
        browser.get(f"{served.url}/learn/mon-cours/practice")
        heading(browser, "S'exercer")
        fieldset = browser.find_element(By.ID, "q-format")
        fieldset.find_element(By.XPATH, ".//label[contains(., 'Markdown')]//input").click()
        fieldset.find_element(By.CSS_SELECTOR, "button.check").click()
        assert "Bonne réponse" in wait(browser).until(lambda _: fieldset.find_element(By.CSS_SELECTOR, ".feedback").text)
        assert not browser.find_elements(By.CSS_SELECTOR, ".author-banner"), "author mode is off in a built site"
    finally:
        served.close()

    rebuilt = parcours("build", course, "-o", site)
    assert rebuilt.returncode == 0, "a previous Parcours site is replaced"
    assert not (site / "courses" / "demo").exists()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("à garder")
    refused = parcours("build", course, "-o", tmp_path / "other")
    assert refused.returncode != 0 and "was not written by `parcours build`" in refused.stderr
    assert (tmp_path / "other" / "notes.txt").read_text() == "à garder"


FIRST_FRAME = """
window.__firstFrame = null;
new MutationObserver((_, observer) => {
  const link = document.querySelector(".skip-link");
  if (link) { window.__firstFrame = link.textContent; observer.disconnect(); }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_a_site_is_in_its_courses_language_from_the_first_frame(browser, tmp_path):
    # The browser asks for French; the site's only course is in English: the very first frame the
    # player draws is English, not French until the course arrives.
    course = tmp_path / "my-course"
    assert parcours("new", course, "--language", "en").returncode == 0
    site = tmp_path / "site"
    assert parcours("build", course, "-o", site).returncode == 0
    assert '<html lang="en">' in (site / "index.html").read_text()
    served = Site(site)
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_FRAME})
    try:
        browser.get(f"{served.url}/learn/my-course/introduction")
        heading(browser, "Introduction")
        assert browser.execute_script("return window.__firstFrame") == "Skip to content"
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
        served.close()


def start_preview(course, log):
    """`parcours preview` of `course` on a free port: (its process, the course's address)."""
    port = free_port()
    # The terminal's output goes to a file: an unread pipe would fill up and stall the preview.
    with open(log, "w") as terminal:
        process = subprocess.Popen([str(PARCOURS), "preview", str(course), "--port", str(port)],
                                   stdout=subprocess.PIPE, stderr=terminal, text=True)
    line = process.stdout.readline()
    match = re.search(rf"http://127\.0\.0\.1:\d+/learn/{course.name}", line)
    assert match, f"{line}\n{log.read_text()}"
    return process, match.group(0)


@pytest.fixture
def preview(tmp_path):
    course = tmp_path / "apercu"
    assert parcours("new", course).returncode == 0
    log = tmp_path / "preview.log"
    process, url = start_preview(course, log)
    yield course, url, process
    process.terminate()
    process.wait(timeout=10)
    print(f"\npreview's terminal:\n{log.read_text()}")


def test_preview_serves_media_in_ranges_so_a_video_seeks(browser, tmp_path):
    course = tmp_path / "media"
    shutil.copytree(ROOT / "tests" / "fixtures" / "media", course)
    process, url = start_preview(course, tmp_path / "preview.log")
    try:
        video = url.replace("/learn/media", "/courses/media/media/horloge.webm")
        whole = (course / "media" / "horloge.webm").read_bytes()
        part = requests.get(video, headers={"Range": "bytes=100-199"}, timeout=10)
        assert part.status_code == 206 and part.content == whole[100:200]
        assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
        assert requests.get(video, headers={"Range": f"bytes={len(whole)}-"}, timeout=10).status_code == 416
        browser.get(url + "/video")
        heading(browser, "Une courte vidéo")
        wait(browser).until(lambda b: b.execute_script("return document.querySelector('video').readyState >= 1"))
        browser.execute_script("document.querySelector('video').currentTime = 6")
        wait(browser).until(lambda b: b.execute_script(
            "const v = document.querySelector('video'); return !v.seeking && v.currentTime > 5.9"))
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_preview_reloads_on_save_and_shows_errors_over_the_last_good_version(browser, preview):
    course, url, _ = preview
    browser.get(url + "/introduction")
    heading(browser, "Introduction")
    assert browser.find_element(By.CSS_SELECTOR, ".author-banner").is_displayed()

    lesson = course / "introduction.md"
    lesson.write_text(lesson.read_text().replace("# Introduction", "# Bienvenue à bord"))
    started = time.monotonic()
    heading(browser, "Bienvenue à bord")
    print(f"\nsave to reloaded lesson: {(time.monotonic() - started) * 1000:.0f} ms")
    # The page itself holds the lesson as saved, pre-rendered as a built site's: the text shows
    # before the player has started again.
    page = requests.get(url + "/introduction", timeout=10).text
    prerendered = page[page.index('<div id="prerendered">'):]
    assert "Bienvenue à bord</h1>" in prerendered and "# Introduction" not in prerendered, prerendered[:400]

    manifest = course / "course.toml"
    good = manifest.read_text()
    manifest.write_text(good.replace('title = "Mon parcours"', 'title = "Mon parcours'))
    overlay = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".preview-overlay"))
    assert "Le parcours contient des erreurs" in overlay.text
    assert "course.toml:4:" in overlay.text, overlay.text
    heading(browser, "Bienvenue à bord")  # the last good version stays

    manifest.write_text(good.replace('title = "Mon parcours"', 'title = "Parcours corrigé"'))
    wait(browser).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".preview-overlay"))
    heading(browser, "Bienvenue à bord")
    wait(browser).until(lambda b: "Parcours corrigé" in b.find_element(By.CSS_SELECTOR, ".banner-course").text)

    # A file deleted while previewing: an error, and the preview keeps running.
    (course / "practice.md").unlink()
    overlay = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".preview-overlay"))
    assert "practice.md" in overlay.text


def test_preview_shows_question_ids_and_answers_and_sends_nothing(browser, preview):
    _, url, _ = preview
    browser.get(url + "/practice")
    heading(browser, "S'exercer")
    note = browser.find_element(By.CSS_SELECTOR, "#q-format .author-note").text
    assert "format" in note and "Markdown" in note
    browser.get(url)
    heading(browser, "Mon parcours")
    browser.find_element(By.CSS_SELECTOR, ".tracking-panel summary").click()
    assert "Aucun LRS" in browser.find_element(By.CSS_SELECTOR, ".tracking-config").text


def test_preview_answers_only_at_its_own_address_and_its_live_reload_only_to_its_pages(browser, preview):
    """A page of another site can reach 127.0.0.1 by DNS rebinding: its requests name its own
    host, and the preview refuses them, so no unpublished course file is read."""
    course, url, _ = preview
    port = url.split(":")[2].split("/")[0]
    manifest = url.replace("/learn/apercu", "/courses/apercu/course.toml")
    assert requests.get(manifest, timeout=10).text == (course / "course.toml").read_text()
    rebound = requests.get(manifest, headers={"Host": f"attacker.example:{port}"}, timeout=10)
    assert rebound.status_code == 421 and "course.toml" not in rebound.text and "title" not in rebound.text
    changes = url.replace("/learn/apercu", "/__parcours/changes?served=0&since=0")
    foreign = requests.get(changes, headers={"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"},
                           timeout=10)
    assert foreign.status_code == 403
    # Its own pages still get their live reload (the browser says they are same-origin).
    browser.get(url + "/introduction")
    heading(browser, "Introduction")
    lesson = course / "introduction.md"
    lesson.write_text(lesson.read_text().replace("# Introduction", "# Introduction revue"))
    heading(browser, "Introduction revue")
