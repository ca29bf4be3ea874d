//! The `parcours` CLI on the bundled courses and the broken fixtures in `tests/fixtures/`.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

fn parcours(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parcours"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the parcours binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_demo_course_passes() {
    let output = parcours(&["check", "courses/demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "courses/demo: 2 module(s), 5 lesson(s), 1 assessment(s), 15 question(s), 0 warning(s)\n"
    );
}

#[test]
fn the_bundled_courses_pass_without_warnings() {
    for (course, summary) in [
        ("ia-generatives", "6 module(s), 20 lesson(s), 1 assessment(s), 31 question(s), 0 warning(s)"),
        ("writing-a-course", "3 module(s), 10 lesson(s), 1 assessment(s), 15 question(s), 0 warning(s)"),
    ] {
        let output = parcours(&["check", &format!("courses/{course}")]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(stderr(&output), format!("courses/{course}: {summary}\n"));
    }
}

#[test]
fn json_output_is_the_parsed_course() {
    let output = parcours(&["check", "--json", "courses/demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let course: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(course["id"], "https://parcours.example.org/courses/demo");
    assert_eq!(course["language"], "fr");
    let lesson_ids: Vec<&str> = course["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["lessons"].as_array().unwrap())
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(lesson_ids, ["bienvenue", "naviguer", "mise-en-forme", "exercice", "conclusion"]);

    // Every question, with its type, text, answers, weights and feedback.
    let practice: Vec<&serde_json::Value> = course["modules"][1]["lessons"][1]["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|block| block["kind"] == "quiz")
        .flat_map(|block| block["quiz"]["items"].as_array().unwrap())
        .map(|item| &item["question"])
        .collect();
    let types: Vec<&str> = practice.iter().map(|q| q["answers"]["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "description",
            "choice",
            "true-false",
            "choice",
            "short-answer",
            "choice",
            "numeric",
            "matching",
            "true-false",
            "essay"
        ]
    );
    let formats = practice[3];
    assert_eq!(formats["answers"]["multiple"], true);
    assert_eq!(formats["answers"]["choices"][2]["weight"], -1.0);
    assert_eq!(formats["answers"]["choices"][2]["feedback"], "Non : Parcours n'affiche pas de documents PDF.");
    assert_eq!(practice[5]["after_gap"], "et ses questions en GIFT.");
    let assessment = &course["assessments"][0];
    assert_eq!((assessment["id"].as_str(), assessment["pass_mark"].as_f64()), (Some("evaluation"), Some(0.6)));
    assert_eq!(assessment["items"].as_array().unwrap().len(), 5);
}

fn assert_fails_with(fixture: &str, expected: &str) {
    let output = parcours(&["check", &format!("tests/fixtures/{fixture}")]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains(expected), "expected\n{expected}\nin\n{}", stderr(&output));
}

#[test]
fn unknown_manifest_key_is_located_with_the_key_meant() {
    assert_fails_with(
        "bad-key",
        "error: unknown field `titel`, expected one of `id`, `title`, `language`, `description`, `objectives`, `duration-minutes`, `version`, `modules`, `assessments`, `reveal-practice-answers`, `move-on`, `media-completion-threshold`, `satisfaction`
 --> tests/fixtures/bad-key/course.toml:2:1
  |
2 | titel = \"Une faute de frappe\"
  | ^^^^^
  |
  = help: did you mean `title`?",
    );
}

#[test]
fn broken_media_blocks_and_caption_files_are_located() {
    let output = parcours(&["check", "tests/fixtures/broken-media"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let found = stderr(&output);
    for (message, place) in [
        ("error: the video `media/absente.webm` does not exist", "lecon.md:4:7"),
        ("error: the video has no captions in the course's language (`fr`)", "lecon.md:9:1"),
        ("error: `xx` is not a language code", "lecon.md:12:39"),
        ("warning: the sound has no transcript", "lecon.md:23:1"),
        ("error: `http://tube.example.org/videos/embed/1` is not an https address", "lecon.md:29:9"),
        ("error: this cue ends before it starts", "media/decale.vtt:3:1"),
        ("error: this cue starts before the one above it: cues go in order", "media/decale.vtt:6:1"),
        ("error: a cue's timing is written `00:01.000 --> 00:04.500`", "media/decale.vtt:9:1"),
    ] {
        let at = found.find(message).unwrap_or_else(|| panic!("expected {message}\nin\n{found}"));
        let located = found[at..].lines().nth(1).unwrap_or_default();
        assert!(located.ends_with(&format!("tests/fixtures/broken-media/{place}")), "{message}: {located}");
    }
    assert_eq!(
        found.matches("this cue ends before it starts").count(),
        1,
        "a caption file used twice is reported once"
    );
    let media = parcours(&["check", "tests/fixtures/media"]);
    assert!(media.status.success(), "{}", stderr(&media));
}

#[test]
fn missing_lesson_file_is_located_in_the_manifest() {
    assert_fails_with(
        "missing-lesson",
        "error: lesson file `absente.md`: file not found
 --> tests/fixtures/missing-lesson/course.toml:8:26
  |
8 | lessons = [\"present.md\", \"absente.md\"]
  |                          ^^^^^^^^^^^^
  |
  = help: create the file or fix the path",
    );
}

#[test]
fn invalid_utf8_is_located_in_the_lesson() {
    assert_fails_with("bad-utf8", " --> tests/fixtures/bad-utf8/latin1.md:1:5");
    assert_fails_with("bad-utf8", "error: invalid UTF-8 (byte 4)");
}

#[test]
fn broken_links_images_and_unsafe_links_are_all_reported() {
    let output = parcours(&["check", "tests/fixtures/broken-links"]);
    let text = stderr(&output);
    for expected in [
        "error: link to `nowhere.md`, which is not a lesson of this course\n --> tests/fixtures/broken-links/links.md:3:5",
        "error: broken image: `img/chart.png` does not exist\n --> tests/fixtures/broken-links/links.md:3:31",
        "error: unsafe link `javascript:alert(1)` removed\n --> tests/fixtures/broken-links/links.md:5:1",
        "error: heading attributes other than `{#id}` are not allowed: they were removed\n --> tests/fixtures/broken-links/links.md:7:1",
        "tests/fixtures/broken-links: 4 error(s), 0 warning(s)",
    ] {
        assert!(text.contains(expected), "expected\n{expected}\nin\n{text}");
    }
}

#[test]
fn a_folder_without_manifest_or_a_missing_folder_fails() {
    assert_fails_with("no-manifest", "error: tests/fixtures/no-manifest/course.toml: file not found");
    let output = parcours(&["check", "tests/fixtures/does-not-exist"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "error: `tests/fixtures/does-not-exist` is not a folder\n");
}

#[test]
fn several_folders_report_each_and_fail_if_one_fails() {
    let output = parcours(&["check", "courses/demo", "tests/fixtures/bad-key"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("courses/demo: 2 module(s)"), "{text}");
    assert!(text.contains("tests/fixtures/bad-key: 1 error(s)"), "{text}");
}

#[test]
fn catalog_lists_playable_courses_and_leaves_out_broken_ones() {
    let output = parcours(&["catalog", "tests/fixtures"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let catalog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Broken links inside a lesson do not stop a course from being played: it is listed, and reported.
    let slugs: Vec<&str> = catalog["courses"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["broken-links", "broken-media", "broken-quiz", "hostile", "media", "moodle-bank"]);
    assert!(stderr(&output).contains("error: link to `nowhere.md`, which is not a lesson of this course"));
    assert!(stderr(&output).contains("`tests/fixtures/bad-key` has errors and is left out of the catalog"));

    let output = parcours(&["catalog", "courses"]);
    let catalog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let slugs: Vec<&str> = catalog["courses"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["demo", "ia-generatives", "writing-a-course"]);
    assert_eq!(catalog["courses"][0]["lessons"], 5);
    assert_eq!(catalog["courses"][0]["duration_minutes"], 10);
    assert_eq!(catalog["courses"][1]["duration_minutes"], 60);
}

#[test]
fn catalog_compiles_each_course_beside_the_index_for_the_player() {
    let dir = std::env::temp_dir().join(format!("parcours-compiled-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let index = dir.join("index.json");
    let output = parcours(&["catalog", "tests/fixtures", "-o", index.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let read = |slug: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.join(format!("{slug}.json"))).unwrap()).unwrap()
    };
    // A course with errors inside a lesson plays, with them in place.
    let playable = read("broken-links");
    assert_eq!(playable["kind"], "playable");
    assert_eq!(playable["course"]["slug"], "broken-links");
    // One whose structure is broken compiles to its errors, as `check` writes them.
    let broken = read("bad-key");
    assert_eq!(broken["kind"], "broken");
    assert!(broken["errors"][0].as_str().unwrap().starts_with("course.toml:2:1: error: unknown field `titel`"));
    assert!(!dir.join("no-manifest.json").exists(), "a folder without course.toml is no course");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn new_scaffolds_a_course_that_passes_check_in_both_languages() {
    for language in ["fr", "en"] {
        let dir = std::env::temp_dir().join(format!("parcours-new-{language}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.to_str().unwrap();
        let created = parcours(&["new", path, "--language", language, "--title", "Un \"vrai\" titre"]);
        assert!(created.status.success(), "{}", stderr(&created));
        let checked = parcours(&["check", path]);
        assert!(checked.status.success(), "{}", stderr(&checked));
        assert!(
            stderr(&checked).contains("2 lesson(s), 1 assessment(s), 5 question(s), 0 warning(s)"),
            "{}",
            stderr(&checked)
        );
        let again = parcours(&["new", path]);
        assert!(!again.status.success());
        assert!(stderr(&again).contains("already exists and is not empty"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn new_refuses_a_folder_name_that_cannot_be_an_address() {
    let dir = std::env::temp_dir().join("Mon Cours");
    let out = parcours(&["new", dir.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("becomes the course's address"), "{}", stderr(&out));
}

#[test]
fn preview_refuses_a_folder_that_is_not_a_course() {
    let out = parcours(&["preview", "src"]);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("not a course folder") || message.contains("built without the player"), "{message}");
}

#[test]
fn package_refuses_a_course_with_errors_and_writes_nothing() {
    let zip = std::env::temp_dir().join(format!("parcours-refused-{}.zip", std::process::id()));
    let out = parcours(&["package", "tests/fixtures/missing-lesson", "--scorm12", "-o", zip.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no package was written"), "{}", stderr(&out));
    assert!(!zip.exists());
}

#[test]
fn package_needs_a_standard() {
    let out = parcours(&["package", "courses/demo"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--scorm12") && stderr(&out).contains("--cmi5"), "{}", stderr(&out));
}

#[test]
fn version_names_the_embedded_players_build() {
    let output = parcours(&["--version"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let build = text
        .strip_prefix(concat!("parcours ", env!("CARGO_PKG_VERSION"), " (player "))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("unexpected version line: {text}"));
    // Trunk's content hash of the wasm (a 64-bit number in hex, without leading zeros: up to 16
    // digits), or a plain word when built before the player.
    let hash = (1..=16).contains(&build.len()) && build.bytes().all(|b| b.is_ascii_hexdigit());
    assert!(build == "none embedded" || hash, "{build}");
}

#[test]
fn self_check_says_in_words_whether_this_setup_can_preview_and_build() {
    let version = String::from_utf8_lossy(&parcours(&["--version"]).stdout).into_owned();
    let output = parcours(&["self-check"]);
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(said.contains("`parcours preview` can serve on this machine"), "{said}");
    assert!(said.contains("can write in this folder"), "{said}");
    if version.contains("none embedded") {
        assert_eq!(output.status.code(), Some(1), "{said}");
        assert!(said.contains("FAIL this `parcours` binary was built without the player"), "{said}");
    } else {
        assert!(output.status.success(), "{said}{}", stderr(&output));
        assert!(said.contains("ok   the player is inside this program") && said.contains("Ready:"), "{said}");
    }
}

/// The commands `parcours --help` lists (its own `help` included).
fn listed_commands() -> Vec<String> {
    let help = String::from_utf8_lossy(&parcours(&["--help"]).stdout).into_owned();
    help.split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .take_while(|word| *word != "Options:")
        .map(str::to_owned)
        .collect()
}

/// Every `parcours <command>` the documentation names, in the README, docs/ and the author's
/// guide, is a command the binary has.
#[test]
fn the_documentation_names_only_commands_that_exist() {
    let listed = listed_commands();
    let commands: Vec<&str> = listed.iter().map(String::as_str).collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for dir in ["docs", "courses/writing-a-course"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    let mut unknown = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, _) in text.match_indices("parcours ") {
            // A command is written at the start of a line (a code block) or after a backtick.
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            let at_line_start = text[line_start..i].trim().is_empty();
            if !(at_line_start || text[..i].ends_with('`')) {
                continue;
            }
            let word: String = text[i + 9..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect();
            // `parcours --version`, prose ("Parcours is…" is capitalised), and the word alone.
            if !word.is_empty() && !commands.contains(&word.as_str()) && text[i + 9..].starts_with(&word) {
                let line = text[..i].lines().count();
                unknown.push(format!("{}:{line}: parcours {word}", file.display()));
            }
        }
    }
    assert!(commands.contains(&"self-check") && commands.contains(&"report"), "{commands:?}");
    assert!(unknown.is_empty(), "{unknown:#?}");
}

/// A copy of the demo course in a fresh temporary folder, for tests that spoil it.
#[cfg(unix)]
fn demo_copy(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("parcours-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let course = dir.join("demo");
    copy_folder(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("courses/demo"), &course);
    course
}

#[cfg(unix)]
fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
#[cfg(unix)]
fn links_in_a_course_folder_are_reported_by_check_and_refused_by_build() {
    let course = demo_copy("links");
    let passes = parcours(&["check", course.to_str().unwrap()]);
    assert!(passes.status.success(), "the copy passes before the links: {}", stderr(&passes));
    // A link to a file outside the course, and a link to a folder (a loop, if it were followed).
    std::os::unix::fs::symlink("/etc/passwd", course.join("passwd.md")).unwrap();
    std::os::unix::fs::symlink(".", course.join("a")).unwrap();

    let checked = parcours(&["check", course.to_str().unwrap()]);
    let report = stderr(&checked);
    assert_eq!(checked.status.code(), Some(1), "{report}");
    assert!(report.contains("passwd.md: a symbolic link is not published"), "{report}");
    assert!(report.contains("a: a symbolic link is not published"), "{report}");
    assert!(!report.contains("root:"), "the linked file was read: {report}");
    assert!(!report.contains("a/a/"), "the folder link was followed: {report}");

    let site = course.parent().unwrap().join("site");
    let built = parcours(&["build", course.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    let report = stderr(&built);
    assert!(!built.status.success(), "{report}");
    assert!(report.contains("nothing was written") && report.contains("symbolic link"), "{report}");
    assert!(!site.exists(), "no site was written");
    std::fs::remove_dir_all(course.parent().unwrap()).unwrap();
}

#[test]
fn docs_cli_md_is_the_programs_own_reference() {
    // Every command, option, environment variable and exit code, from the program's definitions:
    // an option added without its line in docs/cli.md fails here.
    let generated = parcours(&["reference"]);
    assert!(generated.status.success(), "{}", stderr(&generated));
    let written = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    assert!(
        written == String::from_utf8_lossy(&generated.stdout),
        "docs/cli.md differs from the program: run `cargo run --bin parcours -- reference > docs/cli.md`"
    );
    // The exit codes it lists are the ones the program gives.
    assert_eq!(parcours(&["check", "courses/demo"]).status.code(), Some(0));
    assert_eq!(parcours(&["check", "tests/fixtures/no-such-course"]).status.code(), Some(1));
    assert_eq!(parcours(&["check", "--no-such-option"]).status.code(), Some(2));
}

#[test]
fn new_guide_writes_the_authors_guide_as_this_binary_carries_it() {
    // The course format's documentation travels with the program: an author with the binary
    // alone gets the guide course, every file of it, ready to preview.
    let dir = std::env::temp_dir().join(format!("parcours-guide-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let guide = dir.join("guide");
    let written = parcours(&["new", "--guide", guide.to_str().unwrap()]);
    assert!(written.status.success(), "{}", stderr(&written));
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("courses/writing-a-course");
    let mut compared = 0;
    let folders = ["", "images", "media"].map(|folder| std::fs::read_dir(source.join(folder)).unwrap());
    for entry in folders.into_iter().flatten() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let relative = path.strip_prefix(&source).unwrap();
            assert_eq!(std::fs::read(guide.join(relative)).ok(), Some(std::fs::read(&path).unwrap()), "{relative:?}");
            compared += 1;
        }
    }
    assert!(compared >= 15, "{compared} files compared");
    let checked = parcours(&["check", guide.to_str().unwrap()]);
    assert!(checked.status.success() && stderr(&checked).contains("0 warning(s)"), "{}", stderr(&checked));
    let again = parcours(&["new", "--guide", guide.to_str().unwrap()]);
    assert!(!again.status.success() && stderr(&again).contains("is not empty"), "{}", stderr(&again));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every command the binary has is listed where a newcomer looks for it: the crate's map
/// (`src/lib.rs`) and the CLI reference (docs/cli.md, written by the program).
#[test]
fn every_command_is_listed_in_the_crate_map_and_the_reference() {
    let listed = listed_commands();
    let commands: Vec<&str> = listed.iter().map(String::as_str).filter(|word| *word != "help").collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let reference = std::fs::read_to_string(root.join("docs/cli.md")).unwrap();
    let missing: Vec<String> = commands
        .iter()
        .flat_map(|command| {
            let mut missing = Vec::new();
            if !map.contains(&format!("`{command}`")) {
                missing.push(format!("src/lib.rs does not list `{command}`"));
            }
            if !reference.contains(&format!("## `parcours {command}`")) {
                missing.push(format!("docs/cli.md does not list `{command}`"));
            }
            missing
        })
        .collect();
    assert!(commands.len() >= 9, "{commands:?}");
    assert!(missing.is_empty(), "{missing:#?}");
    // The two lists of commands, in the crate map and in contributing's layout, are exactly them.
    let between = |text: &str, start: &str, end: &str| -> Vec<String> {
        let from = text.find(start).unwrap_or_else(|| panic!("no `{start}`")) + start.len();
        let list = &text[from..from + text[from..].find(end).unwrap()];
        let mut names: Vec<String> = list
            .split(',')
            .map(|name| name.trim_matches(|c: char| c.is_whitespace() || "`/!".contains(c)).to_owned())
            .collect();
        names.sort();
        names
    };
    let mut expected: Vec<String> = commands.iter().map(|command| command.to_string()).collect();
    expected.sort();
    assert_eq!(between(&map, "in `cmd/` (", ";"), expected, "src/lib.rs");
    let contributing = std::fs::read_to_string(root.join("docs/contributing.md")).unwrap();
    assert_eq!(between(&contributing, "one module per command in cmd/\n              (", ")"), expected);
}

#[test]
fn import_writes_a_moodle_bank_as_gift_that_checks_and_lists_what_it_leaves_out() {
    let dir = std::env::temp_dir().join(format!("parcours-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let course = dir.join("cours");
    let path = course.to_str().unwrap();
    assert!(parcours(&["new", path]).status.success());
    let gift = course.join("banque.gift");
    let gift_path = gift.to_str().unwrap();
    let bank = "tests/fixtures/moodle-xml/bank.xml";

    // --strict: a loss refuses the import, and nothing is written.
    let strict = parcours(&["import", bank, "-o", gift_path, "--strict"]);
    assert!(!strict.status.success());
    assert!(stderr(&strict).contains("« Calcul »: skipped a calculated question"), "{}", stderr(&strict));
    assert!(!gift.exists());

    let imported = parcours(&["import", bank, "-o", gift_path]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let said = stderr(&imported);
    assert!(said.contains("« Deux trous »: skipped a Cloze question with 2 gaps"), "{said}");
    assert!(said.contains("« Sigle »: imported without case sensitivity"), "{said}");
    assert!(said.contains("wrote 9 question(s)"), "{said}");
    let manifest = course.join("course.toml");
    let with_bank = std::fs::read_to_string(&manifest).unwrap()
        + "\n[[assessments]]\ntitle = \"Banque Moodle\"\nfile = \"banque.gift\"\n";
    std::fs::write(&manifest, with_bank).unwrap();
    let checked = parcours(&["check", path]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(stderr(&checked).contains("2 assessment(s), 14 question(s), 0 warning(s)"), "{}", stderr(&checked));

    // An existing file is kept unless --force.
    let again = parcours(&["import", bank, "-o", gift_path]);
    assert!(!again.status.success() && stderr(&again).contains("--force"), "{}", stderr(&again));
    assert!(parcours(&["import", bank, "-o", gift_path, "--force"]).status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn import_refuses_a_hostile_bank_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("parcours-import-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let output = dir.join("out.gift");
    let bomb = dir.join("bomb.xml");
    let mut entities = String::from("<!ENTITY a0 \"lol\">");
    for level in 1..10 {
        let previous = format!("&a{};", level - 1).repeat(10);
        entities.push_str(&format!("<!ENTITY a{level} \"{previous}\">"));
    }
    std::fs::write(&bomb, format!("<?xml version=\"1.0\"?><!DOCTYPE quiz [{entities}]><quiz>&a9;</quiz>")).unwrap();
    let external = dir.join("external.xml");
    std::fs::write(&external, "<!DOCTYPE quiz [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><quiz>&x;</quiz>").unwrap();
    // 2 GB, sparse: refused from its size, before a byte is read.
    let huge = dir.join("huge.xml");
    std::fs::File::create(&huge).unwrap().set_len(2 * 1024 * 1024 * 1024).unwrap();
    for (bank, said) in [(&bomb, "document type"), (&external, "document type"), (&huge, "the largest bank read")] {
        let refused = parcours(&["import", bank.to_str().unwrap(), "-o", output.to_str().unwrap()]);
        assert!(!refused.status.success());
        assert!(stderr(&refused).contains(said), "{}", stderr(&refused));
        assert!(!output.exists());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
