"""Videos and sounds in lessons, in real Chromium with the fixture course `tests/fixtures/media`
(a 12-second test pattern with French and English captions, a sound, a hosted video): captions
shown, seeking, pausing, resuming after a reload, completing the lesson by watching, the video
profile's statements in a real Ralph (each once, in order, valid for Ralph's video models), a
hosted player that asks nothing of its host before it is started, the transcript standing in
when the media cannot load, and axe on every media lesson."""

import json
from collections import Counter

from ralph.models.selector import ModelSelector
from ralph.models.validator import Validator
from selenium.webdriver.common.by import By

from conftest import Site, copy_site
from test_a11y import violations
from test_player import heading, wait
from test_progress import reach_end, ticked
from test_security import requested_urls
from test_xapi import drained, lrs_site, ralph  # noqa: F401 (fixtures)

VIDEO_LESSON = "/learn/media/video"
PROFILE = "https://w3id.org/xapi/video"
EXT = PROFILE + "/extensions/"


def video_state(browser):
    return browser.execute_script(
        "const v = document.querySelector('video');"
        "return v && {time: v.currentTime, ready: v.readyState, paused: v.paused, ended: v.ended,"
        " tracks: [...v.textTracks].map(t => [t.language, t.mode]),"
        " cue: v.textTracks[0] && v.textTracks[0].activeCues && v.textTracks[0].activeCues.length"
        "      ? v.textTracks[0].activeCues[0].text : null};")


def stored_media(browser):
    """The media progress the player keeps for the fixture course."""
    raw = browser.execute_script(
        "return Object.keys(localStorage).filter(k => k.startsWith('parcours:progress:'))"
        ".map(k => localStorage.getItem(k)).find(v => v.includes('https://example.org/courses/media'))")
    return json.loads(raw).get("media", {}) if raw else {}


def open_video(browser, url):
    browser.get(url + VIDEO_LESSON)
    heading(browser, "Une courte vidéo")
    wait(browser).until(lambda b: (video_state(b) or {}).get("ready", 0) >= 1)


def test_a_video_plays_with_captions_seeks_resumes_completes_its_lesson_and_is_recorded_once(browser, lrs_site, ralph):
    open_video(browser, lrs_site.url)
    state = video_state(browser)
    assert state["tracks"][0] == ["fr", "showing"], f"the course's language first, shown: {state['tracks']}"
    assert ["en", "disabled"] in state["tracks"]
    assert browser.execute_script("return document.querySelector('video').autoplay") is False
    reach_end(browser)
    assert "Une courte vidéo" not in ticked(browser), "the lesson waits for its video"

    browser.execute_script("document.querySelector('video').play()")
    wait(browser).until(lambda b: video_state(b)["time"] > 1.0)
    wait(browser).until(lambda b: video_state(b)["cue"] == "Voici une mire de test.")
    browser.execute_script("document.querySelector('video').currentTime = 6")
    wait(browser).until(lambda b: video_state(b)["time"] > 7.0)
    assert video_state(browser)["cue"] == "Elle dure douze secondes."
    browser.execute_script("document.querySelector('video').pause()")
    wait(browser).until(lambda b: stored_media(b).get("video/horloge", {}).get("position", 0) > 7.0)
    stopped_at = stored_media(browser)["video/horloge"]["position"]

    browser.refresh()
    open_video(browser, lrs_site.url)
    wait(browser).until(lambda b: abs(video_state(b)["time"] - stopped_at) < 0.5)
    assert "Reprise" in browser.find_element(By.CSS_SELECTOR, ".media-resumed").text

    # Watched again from the start to the end, faster: the lesson completes.
    browser.execute_script("const v = document.querySelector('video'); v.currentTime = 0; v.playbackRate = 4; v.play();")
    wait(browser).until(lambda b: video_state(b)["ended"])
    reach_end(browser)
    wait(browser).until(lambda b: "Une courte vidéo" in ticked(b))
    assert stored_media(browser)["video/horloge"]["completed_at"]
    browser.find_element(By.CSS_SELECTOR, ".lesson-next").click()  # leaving the lesson ends the session
    heading(browser, "Un son")
    drained(browser)

    video_id = "https://example.org/courses/media/lessons/video/media/horloge"
    # Filtered here: Ralph 5.1's file backend answers nothing to an `activity` filter.
    stored = [s for s in ralph.statements(limit=500) if s["object"]["id"] == video_id]
    assert len({s["id"] for s in stored}) == len(stored), "no statement twice"
    verbs = Counter(s["verb"]["id"].rsplit("/", 1)[1] for s in stored)
    assert verbs["initialized"] == 2 and verbs["terminated"] == 2, f"two viewing sessions: {verbs}"
    assert verbs["completed"] == 1, f"completed once per registration: {verbs}"
    assert verbs["seeked"] >= 1 and verbs["played"] >= 2 and verbs["paused"] >= 2, \
        (verbs, [(s["verb"]["id"], s.get("result")) for s in stored])
    validator = Validator(ModelSelector(module="ralph.models.xapi"))
    sessions = {}
    for statement in sorted(stored, key=lambda s: s["timestamp"]):
        assert statement["object"]["definition"]["type"] == PROFILE + "/activity-type/video"
        assert {"id": PROFILE} in [{"id": c["id"]} for c in statement["context"]["contextActivities"]["category"]]
        model = validator.get_first_valid_model({k: v for k, v in statement.items()
                                                 if k not in ("stored", "authority", "version")})
        assert type(model).__name__.startswith("Video"), f"{statement['verb']['id']}: {type(model).__name__}"
        session = statement["context"]["extensions"][EXT + "session-id"]
        sessions.setdefault(session, []).append(statement["verb"]["id"].rsplit("/", 1)[1])
    for session, order in sessions.items():
        assert order[0] == "initialized" and order[-1] == "terminated", f"{session}: {order}"
        assert order[-2] == "paused" or "paused" in order, order
    completed = next(s for s in stored if s["verb"]["id"].endswith("/completed"))
    assert completed["result"]["completion"] is True
    assert completed["result"]["extensions"][EXT + "progress"] >= 0.9
    assert completed["context"]["extensions"][EXT + "completion-threshold"] == 0.9
    assert abs(completed["context"]["extensions"][EXT + "length"] - 12.0) < 0.1


def test_a_hosted_video_asks_nothing_of_its_host_until_started(browser, site):
    browser.get(site + "/learn/media/heberge")
    heading(browser, "Une vidéo hébergée ailleurs")
    placeholder = browser.find_element(By.CSS_SELECTOR, ".media-placeholder")
    assert "tube.example.org" in placeholder.text
    assert not browser.find_elements(By.TAG_NAME, "iframe")
    browser.find_element(By.CSS_SELECTOR, ".transcript-toggle").click()
    assert "même contenu" in browser.find_element(By.CSS_SELECTOR, ".transcript-text").text, "the transcript is offered"
    asked = [url for url in requested_urls(browser) if "tube.example.org" in url]
    assert asked == [], f"the host was asked before the learner started: {asked}"
    placeholder.find_element(By.TAG_NAME, "button").click()
    frame = wait(browser).until(lambda b: b.find_element(By.TAG_NAME, "iframe"))
    assert frame.get_attribute("src") == "https://tube.example.org/videos/embed/9c9de5e8"
    assert "tube.example.org" in frame.get_attribute("title")
    assert browser.execute_script("return document.activeElement.tagName") == "IFRAME", "focus follows to the player"
    wait(browser).until(lambda b: any("tube.example.org" in url for url in requested_urls(b)),
                        "once started, the host's player is asked for")


def test_a_media_that_cannot_load_shows_its_transcript_and_says_why(browser, tmp_path):
    root = copy_site(tmp_path / "site")
    (root / "courses" / "media" / "media" / "horloge.webm").unlink()
    served = Site(root)
    try:
        browser.get(served.url + VIDEO_LESSON)
        heading(browser, "Une courte vidéo")
        notice = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, ".media-unavailable"))
        assert "transcription" in notice.text
        transcript = browser.find_element(By.CSS_SELECTOR, ".transcript-text")
        assert transcript.is_displayed() and "mire de test" in transcript.text
    finally:
        served.close()


def test_opening_a_transcript_counts_as_following_the_media(browser, site):
    browser.get(site + "/learn/media/son")
    heading(browser, "Un son")
    assert browser.find_element(By.TAG_NAME, "audio").get_attribute("controls") is not None
    reach_end(browser)
    assert "Un son" not in ticked(browser)
    toggle = browser.find_element(By.CSS_SELECTOR, ".transcript-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    wait(browser).until(lambda b: "Un son" in ticked(b))


def test_media_lessons_pass_axe(browser, site):
    found = {}
    for lesson, title in [("video", "Une courte vidéo"), ("son", "Un son"), ("heberge", "Une vidéo hébergée ailleurs")]:
        browser.get(f"{site}/learn/media/{lesson}")
        heading(browser, title)
        for toggle in browser.find_elements(By.CSS_SELECTOR, ".transcript-toggle"):
            toggle.click()
        problems = violations(browser)
        if problems:
            found[lesson] = problems
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_a_printed_lesson_shows_the_transcript_instead_of_the_player(browser, site):
    browser.get(site + VIDEO_LESSON)
    heading(browser, "Une courte vidéo")
    transcript = browser.find_element(By.CSS_SELECTOR, ".transcript-text")
    assert not transcript.is_displayed(), "on screen, the transcript waits behind its button"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert transcript.is_displayed() and "mire de test" in transcript.text
        assert not browser.find_element(By.TAG_NAME, "video").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
