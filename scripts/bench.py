"""Size and speed benchmark of the release build in dist/ (run by `make bench`).

Prints the raw, gzip and brotli bytes of every file the player ships and their total, the same
for the bundled courses, then the median time from navigation to the first lesson text visible
in headless Chromium over 5 runs (HTTP cache disabled). Figures, not assertions: machines here
are shared and noisy.
"""

import functools
import gzip
import http.server
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

import brotli
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
RUNS = 5
FIRST_LESSON = "/learn/demo/bienvenue"
# Issue #38's target: a third of what LiaScript 1.0.1 fetches to be interactive (1,111 KB gzip,
# 806 KB brotli), for the JS+CSS+WASM of a site built with `parcours build`.
TARGET_GZIP, TARGET_BROTLI = 370_000, 270_000

sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from conftest import Site, SpaHandler  # noqa: E402  (the same servers as the end-to-end tests)
from lrs import Ralph  # noqa: E402

QUEUED = 500

# Records when the lesson text first appears, measured from navigation start.
OBSERVER = """
new MutationObserver((_, observer) => {
  const body = document.querySelector('.lesson-body');
  if (body && body.textContent.trim().length > 0) {
    window.__firstLessonText = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def sizes(files):
    rows = []
    for path in files:
        data = path.read_bytes()
        rows.append((path.relative_to(DIST).as_posix(), len(data), len(gzip.compress(data, 9)), len(brotli.compress(data, quality=11))))
    return rows


def print_table(title, rows):
    print(f"\n{title}")
    print(f"{'file':<48} {'raw':>10} {'gzip':>10} {'brotli':>10}")
    for name, raw, gz, br in rows:
        print(f"{name:<48} {raw:>10} {gz:>10} {br:>10}")
    total = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    print(f"{'total':<48} {total[0]:>10} {total[1]:>10} {total[2]:>10}"
          f"   ({total[0] / 1024:.1f} / {total[1] / 1024:.1f} / {total[2] / 1024:.1f} KiB)")
    return total


def new_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def queued_statements(count):
    """`count` statements as the player queues them (one storage key each, in order)."""
    now_ms = int(time.time() * 1000)
    entries = {}
    for n in range(count):
        statement_id = str(uuid.uuid4())
        statement = {
            "id": statement_id,
            "actor": {"objectType": "Agent", "account": {"homePage": "http://127.0.0.1", "name": "bench"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
            "object": {"objectType": "Activity", "id": f"https://parcours.example.org/courses/demo/lessons/l{n}"},
            "context": {"registration": str(uuid.uuid4()), "language": "fr", "platform": "Parcours"},
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now_ms / 1000)) + f".{now_ms % 1000:03d}Z",
        }
        entries[f"parcours:xapi:queue:{now_ms:015d}-{n:08d}-bench:{statement_id}"] = json.dumps(statement)
    return entries


def drain_time():
    """Time for the player to deliver QUEUED waiting statements to a real Ralph, from page load."""
    with tempfile.TemporaryDirectory() as directory:
        ralph = Ralph(Path(directory)).start()
        site = Site(DIST, lrs=ralph)
        driver = new_driver()
        try:
            driver.get(site.url + "/favicon.ico")
            driver.execute_script("localStorage.clear(); for (const [k, v] of Object.entries(arguments[0])) "
                                  "localStorage.setItem(k, v);", queued_statements(QUEUED))
            started = time.monotonic()
            driver.get(site.url + "/")
            WebDriverWait(driver, 120, poll_frequency=0.05).until(lambda d: d.execute_script(
                "return !Object.keys(localStorage).some(k => k.startsWith('parcours:xapi:queue:'))"))
            elapsed = time.monotonic() - started
            posts = sum(1 for method, _, _ in site.handler.requests_log if method == "POST")
            stored = len(ralph.statements(limit=QUEUED + 10))
            return elapsed, posts, stored
        finally:
            driver.quit()
            site.close()
            ralph.stop()


def preview_reload_times(runs=RUNS):
    """From saving a lesson to the preview showing it, through `parcours preview`."""
    from selenium.webdriver.common.by import By
    parcours = ROOT / "target" / "release" / "parcours"
    with tempfile.TemporaryDirectory() as directory:
        course = Path(directory) / "bench-course"
        subprocess.run([str(parcours), "new", str(course)], check=True, capture_output=True)
        process = subprocess.Popen([str(parcours), "preview", str(course)], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        url = process.stdout.readline().split(" at ")[1].split(" ")[0]
        driver = new_driver()
        times = []
        try:
            driver.get(url + "/introduction")
            lesson = course / "introduction.md"
            for run in range(runs):
                WebDriverWait(driver, 30, poll_frequency=0.02).until(
                    lambda d: d.find_elements(By.TAG_NAME, "h1") and d.find_elements(By.CSS_SELECTOR, ".lesson-body"))
                title = f"Version {run}"
                lesson.write_text(re.sub(r"^# .*$", f"# {title}", lesson.read_text(), count=1, flags=re.M))
                started = time.monotonic()
                WebDriverWait(driver, 30, poll_frequency=0.02).until(lambda d: d.execute_script(
                    "const h = document.querySelector('h1'); return h && h.textContent.includes(arguments[0]);", title))
                times.append((time.monotonic() - started) * 1000)
        finally:
            driver.quit()
            process.terminate()
            process.wait(timeout=10)
    return times


# Time from a click to the DOM change it causes, measured in the page (performance.now()).
MEASURE_CLICK = """
const [clickSelector, changedSelector, done] = arguments;
const target = document.querySelector(clickSelector);
const before = (document.querySelector(changedSelector) || {}).textContent;
const started = performance.now();
const observer = new MutationObserver(() => {
  const changed = document.querySelector(changedSelector);
  if (changed && changed.textContent && changed.textContent !== before) {
    observer.disconnect();
    done(performance.now() - started);
  }
});
observer.observe(document.body, {subtree: true, childList: true, characterData: true});
target.click();
"""


def interaction_times(runs=RUNS):
    """Lesson-to-lesson navigation and check-to-feedback in the demo course, and the JS heap after it."""
    from selenium.webdriver.common.by import By
    handler = functools.partial(SpaHandler, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    driver = new_driver()
    navigation, feedback = [], []
    try:
        for _ in range(runs):
            driver.get(site + "/favicon.ico")
            driver.execute_script("localStorage.clear()")
            driver.get(site + "/learn/demo/bienvenue")
            WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".lesson-next"))
            for _ in range(3):  # bienvenue -> naviguer -> mise-en-forme -> exercice
                navigation.append(driver.execute_async_script(MEASURE_CLICK, ".lesson-next", "h1"))
                WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".lesson-next"))
            WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "q-structure"))
            driver.find_element(By.CSS_SELECTOR, "#q-structure input[type=radio]").click()
            feedback.append(driver.execute_async_script(MEASURE_CLICK, "#q-structure button.check", "#q-structure .feedback"))
        heap = driver.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : null")
        return navigation, feedback, heap
    finally:
        driver.quit()
        server.shutdown()


# On a lesson with questions: when the first question can be answered and checked, and the layout
# shifts summed over the load (the Cumulative Layout Shift's raw sum: every shift counted).
FIRST_QUESTION = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});
new MutationObserver((_, observer) => {
  const check = document.querySelector('fieldset.question button.check');
  if (check && !check.disabled) {
    window.__firstQuestion = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true, attributes: true});
"""


def cold_loads(path, script, ready, runs=RUNS, root=DIST):
    """Loads `path` of the site in `root` cold `runs` times (HTTP cache disabled) with `script`
    run first in the page; returns, for each run, `ready` (a JS expression, waited for), the
    page's resource list and its layout shift."""
    handler = functools.partial(SpaHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    driver = new_driver()
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})
        results = []
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(url)
            value = WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: d.execute_script(f"return {ready}"))
            resources = driver.execute_script(
                "return performance.getEntriesByType('resource')"
                ".map(e => [new URL(e.name).pathname, e.responseEnd, e.renderBlockingStatus === 'blocking'])")
            results.append((value, resources, driver.execute_script("return window.__layoutShift || 0")))
        return results
    finally:
        driver.quit()
        server.shutdown()


def gzip_size(path, root=DIST):
    file = root / path.lstrip("/")
    if file.is_dir():
        file = file / "index.html"  # a pre-rendered route's page
    if not file.is_file():
        file = root / "index.html"  # the app's other routes are index.html
    return len(gzip.compress(file.read_bytes(), 9))


# A pre-rendered page: when the lesson's text is first painted (first contentful paint, the page
# holding it from the start), and the layout shift of the whole load, take-over included.
PRERENDERED = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name === "first-contentful-paint" && document.querySelector('.lesson-body')) window.__textPainted = entry.startTime;
  }
}).observe({type: "paint", buffered: true});
"""
# Ready once the player has taken over the page, with the paint time and the take-over's time.
TAKEN_OVER = ("document.getElementById('app') && !document.getElementById('prerendered') && window.__textPainted "
              "&& [window.__textPainted, performance.now()]")


def prerendered_loads(binary):
    """`parcours build` of the demo and the flagship, and a cold deep link into a lesson of each:
    text painted, take-over done, bytes before the text, layout shift."""
    with tempfile.TemporaryDirectory() as out:
        site = Path(out) / "site"
        subprocess.run([str(binary), "build", str(ROOT / "courses" / "demo"), str(ROOT / "courses" / "ia-generatives"),
                        "-o", str(site)], check=True, capture_output=True)
        # The floor of this machine and browser: a page of one paragraph, no style sheet.
        floor = Path(out) / "floor"
        floor.mkdir()
        (floor / "index.html").write_text('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Plancher</title>'
                                          '</head><body><div class="lesson-body"><p>Un paragraphe.</p></div></body></html>')
        painted = [value for value, _, _ in cold_loads("/", PRERENDERED, "window.__textPainted", root=floor)]
        print(f"\nfloor: a one-paragraph static page, cold, {RUNS} runs: first contentful paint "
              + ", ".join(f"{t:.0f}" for t in painted) + f" ms, median {statistics.median(painted):.0f} ms")
        for lesson in (FIRST_LESSON, "/learn/ia-generatives/06-ingredients"):
            runs = cold_loads(lesson, PRERENDERED, TAKEN_OVER, root=site)
            painted = [value[0] for value, _, _ in runs]
            taken = [value[1] for value, _, _ in runs]
            _, resources, _ = runs[-1]
            # What the text waits for: the page, and what blocks its rendering (its style sheet);
            # the player's script and wasm load beside, and take over later.
            before = [lesson] + [path for path, _, blocking in resources if blocking]
            print(f"pre-rendered {lesson}, cold, {RUNS} runs: lesson text painted (first contentful paint) "
                  + ", ".join(f"{t:.0f}" for t in painted) + f" ms, median {statistics.median(painted):.0f} ms; "
                  f"player took over at median {statistics.median(taken):.0f} ms; "
                  f"layout shift (CLS budget 0.01) max {max(s for _, _, s in runs):.4f}")
            print(f"  bytes the lesson text waits for: {sum(gzip_size(p, site) for p in before) / 1024:.1f} KiB "
                  f"gzip in {len(before)} files ({', '.join(sorted(set(Path(p).suffix or 'page' for p in before)))}), "
                  "budget 40 KiB")


# The player's wasm before wasm-bindgen and wasm-opt still has its function names: where its
# weight comes from, by crate (or by module of Parcours), for the profile `make bench` prints.
NAMED_WASM = ROOT / "target" / "wasm32-unknown-unknown" / "release" / "parcours-player.wasm"


def leb128(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def demangle(name):
    """`_ZN8parcours2ui4quiz...17h…E` -> `parcours::ui::quiz::…` (Rust's legacy mangling)."""
    if not name.startswith("_ZN"):
        return name
    parts, at = [], 3
    while at < len(name) and name[at].isdigit():
        digits = re.match(r"\d+", name[at:]).group(0)
        at += len(digits)
        parts.append(name[at:at + int(digits)])
        at += int(digits)
    readable = "::".join(parts)
    for code, text in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("..", "::"), ("$C$", ",")):
        readable = readable.replace(code, text)
    return readable


def wasm_functions(path):
    """(demangled name, bytes of its body) of every function the module defines and ships."""
    data = path.read_bytes()
    at, imported, bodies, names = 8, 0, [], {}
    while at < len(data):
        section, at = data[at], at + 1
        size, at = leb128(data, at)
        end = at + size
        if section == 2:  # imports: functions among them take the first indices
            count, cursor = leb128(data, at)
            for _ in range(count):
                for _ in range(2):
                    length, cursor = leb128(data, cursor)
                    cursor += length
                kind, cursor = data[cursor], cursor + 1
                if kind == 0:
                    imported += 1
                    _, cursor = leb128(data, cursor)
                elif kind == 1:
                    cursor += 1
                    flags, cursor = leb128(data, cursor)
                    _, cursor = leb128(data, cursor)
                    if flags & 1:
                        _, cursor = leb128(data, cursor)
                elif kind == 2:
                    flags, cursor = leb128(data, cursor)
                    _, cursor = leb128(data, cursor)
                    if flags & 1:
                        _, cursor = leb128(data, cursor)
                elif kind == 3:
                    cursor += 2
                else:
                    _, cursor = leb128(data, cursor)
        elif section == 10:  # code: one body per defined function
            count, cursor = leb128(data, at)
            for _ in range(count):
                length, cursor = leb128(data, cursor)
                bodies.append(length)
                cursor += length
        elif section == 0:
            length, cursor = leb128(data, at)
            if data[cursor:cursor + length] == b"name":
                cursor += length
                while cursor < end:
                    kind, cursor = data[cursor], cursor + 1
                    length, cursor = leb128(data, cursor)
                    if kind == 1:
                        count, inner = leb128(data, cursor)
                        for _ in range(count):
                            index, inner = leb128(data, inner)
                            length_, inner = leb128(data, inner)
                            names[index] = data[inner:inner + length_].decode("utf-8", "replace")
                            inner += length_
                    cursor += length
        at = end
    # wasm-bindgen runs its `__wbindgen_describe…` functions to learn the imports' types, then
    # removes them: they never reach the browser (about 110 KiB here).
    named = ((demangle(names.get(imported + offset, "?")), size) for offset, size in enumerate(bodies))
    return [(name, size) for name, size in named if not name.startswith("__wbindgen_describe")]


def wasm_profile(path):
    """Bytes of function bodies by owner: `parcours::<module>` or the crate's name."""
    owners = {}
    for name, size in wasm_functions(path):
        found = re.search(r"\bparcours::([a-z_0-9]+)", name)
        if found:
            owner = f"parcours::{found.group(1)}"
        else:
            crate = re.search(r"([a-z_][a-z_0-9]*)::", name)
            # The standard library's own symbols use Rust's v0 mangling (`_RNv…Cs<hash>_4core…`):
            # the first crate root there names the crate.
            v0 = re.search(r"C(?:s[0-9a-zA-Z]*_)?(\d+)", name) if name.startswith("_R") else None
            if crate:
                owner = crate.group(1)
            elif v0:
                owner = name[v0.end():v0.end() + int(v0.group(1))]
            else:
                owner = "(other)"
        owners[owner] = owners.get(owner, 0) + size
    return sorted(owners.items(), key=lambda item: -item[1])


def code_weight(files):
    """(raw, gzip, brotli) bytes of the code and style among `files` ((name, bytes) pairs):
    what the browser fetches to run the player, the pages and courses aside."""
    code = [data for name, data in files if name.endswith((".js", ".css", ".wasm"))]
    return (sum(map(len, code)), sum(len(gzip.compress(data, 9)) for data in code),
            sum(len(brotli.compress(data, quality=11)) for data in code))


def print_player_weights(binary):
    """The JS+CSS+WASM of a site `parcours build` writes, against the target, and of an LMS
    package (its own player, with SCORM 1.2 and cmi5), from the release binary's own output."""
    with tempfile.TemporaryDirectory() as out:
        site = Path(out) / "site"
        subprocess.run([str(binary), "build", str(ROOT / "courses" / "demo"), "-o", str(site)], check=True,
                       capture_output=True)
        files = [(p.name, p.read_bytes()) for p in site.iterdir() if p.is_file()]
        raw, gz, br = code_weight(files)
        print(f"\nsite player (JS+CSS+WASM of `parcours build`): {raw:,} B raw, {gz:,} B gzip, {br:,} B brotli")
        for name, size, target in (("gzip", gz, TARGET_GZIP), ("brotli", br, TARGET_BROTLI)):
            verdict = "within" if size <= target else f"OVER by {size - target:,} B ({100 * (size - target) / size:.0f} % to cut)"
            print(f"  target {name} <= {target:,} B (a third of LiaScript 1.0.1): {verdict}")
        package = Path(out) / "flagship-cmi5.zip"
        subprocess.run([str(binary), "package", str(ROOT / "courses" / "ia-generatives"), "--cmi5", "-o", str(package)],
                       check=True, capture_output=True)
        with zipfile.ZipFile(package) as archive:
            files = [(name, archive.read(name)) for name in archive.namelist() if "/" not in name]
        raw, gz, br = code_weight(files)
        print(f"LMS package player (JS+CSS+WASM of `parcours package --cmi5`): {raw:,} B raw, {gz:,} B gzip, "
              f"{br:,} B brotli")


def print_profile(path, top=20):
    """The named wasm's weight by owner (crate, or Parcours module) and its largest functions."""
    profile = wasm_profile(path)
    total = sum(size for _, size in profile)
    print(f"\nwhere the site player's code weighs (function bodies before wasm-opt, {total / 1024:.0f} KiB in all; "
          "wasm-opt -Oz then shrinks every part), by owner:")
    for owner, size in profile[:top]:
        print(f"  {owner:<28} {size / 1024:>7.1f} KiB  {100 * size / total:>4.1f} %")
    print(f"the {top} largest functions:")
    for name, size in sorted(wasm_functions(path), key=lambda item: -item[1])[:top]:
        print(f"  {size / 1024:>6.1f} KiB  {re.sub(r'::h[0-9a-f]{16}$', '', name)[:110]}")


def check_big_lesson(binary):
    """`parcours check` on a 1 MB lesson full of broken, unsafe links: seconds, and problems found."""
    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder) / "grande"
        course.mkdir()
        (course / "course.toml").write_text('id = "urn:grande"\ntitle = "Grande"\nlanguage = "fr"\n'
                                            '[[modules]]\ntitle = "M"\nlessons = ["l.md"]\n')
        lines, n = ["# Grande leçon\n\n"], 0
        while sum(map(len, lines)) < 1_000_000:
            lines.append(f"Voir [lien {n}](absent-{n}.md), ![image](manque-{n}.png) et [x](javascript:{n}).\n\n")
            n += 1
        (course / "l.md").write_text("".join(lines))
        started = time.perf_counter()
        done = subprocess.run([str(binary), "check", str(course)], capture_output=True, text=True)
        seconds = time.perf_counter() - started
    problems = int(re.search(r"(\d+) error", done.stderr.splitlines()[-1]).group(1))
    return seconds, problems


def build_times(binary, sizes=(72, 144, 288)):
    """`parcours build` of generated courses of `sizes` lessons (a paragraph and a question each,
    in modules of 12): (lessons, seconds, pages written), to see that writing the pre-rendered
    pages grows linearly with the course."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for lessons in sizes:
            course = Path(folder) / f"cours-{lessons}"
            course.mkdir()
            modules = []
            for first in range(0, lessons, 12):
                names = [f"l{n:03}.md" for n in range(first, min(first + 12, lessons))]
                modules.append(f'[[modules]]\ntitle = "Module {first // 12 + 1}"\nlessons = {json.dumps(names)}\n')
                for name in names:
                    (course / name).write_text(f"# Leçon {name[1:4]}\n\n" + "Un paragraphe de la leçon. " * 40
                                               + f"\n\n```gift\n::Q{name[1:4]}:: Vrai ? {{T}}\n```\n")
            (course / "course.toml").write_text(f'id = "urn:cours-{lessons}"\ntitle = "Cours de {lessons} leçons"\n'
                                                'language = "fr"\n\n' + "\n".join(modules))
            site = Path(folder) / f"site-{lessons}"
            started = time.perf_counter()
            subprocess.run([str(binary), "build", str(course), "-o", str(site)], check=True, capture_output=True)
            seconds = time.perf_counter() - started
            rows.append((lessons, seconds, len(list(site.rglob("index.html")))))
    return rows


def main():
    if not (DIST / "index.html").exists():
        sys.exit("dist/ is missing: run `make dist` first")
    player = sorted(p for p in DIST.rglob("*") if p.is_file() and "courses" not in p.relative_to(DIST).parts)
    courses = sorted(p for p in (DIST / "courses").rglob("*") if p.is_file())
    print_table("Player (every file shipped to the browser)", sizes(player))
    print_player_weights(ROOT / "target" / "release" / "parcours")
    print_table("Bundled courses (fetched when a course opens)", sizes(courses))
    runs = cold_loads(FIRST_LESSON, OBSERVER, "window.__firstLessonText")
    times = [value for value, _, _ in runs]
    print(f"\nfirst lesson text visible ({FIRST_LESSON} of the player alone, no pre-rendered page, cache disabled), "
          f"{RUNS} runs: "
          + ", ".join(f"{t:.0f}" for t in times) + f" ms; median {statistics.median(times):.0f} ms")
    # What the learner's browser fetched before that text showed: the page, then what it loaded.
    shown_at, resources, _ = runs[-1]
    before = ["/index.html"] + [path for path, end, _ in resources if end <= shown_at]
    print(f"bytes before the first lesson text is visible: {sum(gzip_size(p) for p in before) / 1024:.1f} KiB gzip "
          f"in {len(before)} files ({', '.join(sorted(set(Path(p).suffix or p for p in before)))}); "
          f"course files: {[p for p in before if p.startswith('/courses/')]}")
    prerendered_loads(ROOT / "target" / "release" / "parcours")
    runs = cold_loads("/learn/demo/exercice", FIRST_QUESTION, "window.__firstQuestion")
    answerable = [value for value, _, _ in runs]
    print(f"first question answerable and checkable (/learn/demo/exercice, cold), {RUNS} runs: "
          + ", ".join(f"{t:.0f}" for t in answerable) + f" ms; median {statistics.median(answerable):.0f} ms")
    print(f"layout shift during those loads (sum of shifts, CLS budget 0.01): max {max(s for _, _, s in runs):.4f}")
    if NAMED_WASM.is_file():
        print_profile(NAMED_WASM)
    navigation, feedback, heap = interaction_times()
    print(f"lesson to lesson (click to new title), {len(navigation)} runs: median {statistics.median(navigation):.1f} ms, "
          f"max {max(navigation):.1f} ms (budget: one frame, 16 ms)")
    print(f"check to feedback, {len(feedback)} runs: median {statistics.median(feedback):.1f} ms, "
          f"max {max(feedback):.1f} ms (budget: one frame, 16 ms)")
    if heap:
        print(f"JS heap after the demo lessons: {heap / 1048576:.1f} MiB (wasm memory not included)")
    binary = ROOT / "target" / "release" / "parcours"
    print(f"\nparcours binary (CLI with the player embedded): {binary.stat().st_size:,} bytes "
          f"({binary.stat().st_size / 1048576:.1f} MiB)")
    with tempfile.TemporaryDirectory() as out:
        for standard in ("scorm12", "cmi5"):
            package = Path(out) / f"flagship-{standard}.zip"
            subprocess.run([str(binary), "package", str(ROOT / "courses" / "ia-generatives"), f"--{standard}",
                            "-o", str(package)], check=True, capture_output=True)
            print(f"LMS package of the flagship course, {standard}: {package.stat().st_size:,} bytes "
                  f"({package.stat().st_size / 1024:.0f} KiB)")
    for lessons, seconds, pages in build_times(binary):
        print(f"build of a {lessons}-lesson course: {seconds:.2f} s, {pages} pre-rendered pages "
              f"({1000 * seconds / pages:.1f} ms a page)")
    seconds, problems = check_big_lesson(binary)
    print(f"check of a 1 MB lesson with {problems:,} problems (broken and unsafe links): {seconds:.2f} s")
    reloads = preview_reload_times()
    print(f"preview, save to the edited lesson shown, {RUNS} runs: " + ", ".join(f"{t:.0f}" for t in reloads)
          + f" ms; median {statistics.median(reloads):.0f} ms (budget: 1000 ms)")
    elapsed, posts, stored = drain_time()
    print(f"\nxAPI outbox: {QUEUED} queued statements delivered to Ralph (fs backend) in {elapsed * 1000:.0f} ms "
          f"from page load, {posts} POST requests, {stored} stored ({QUEUED / elapsed:.0f} statements/s)")


if __name__ == "__main__":
    main()
