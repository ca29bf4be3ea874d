//! Checks of whole course folders held in memory.

use super::*;

const MANIFEST: &str = r#"id = "https://example.org/courses/demo"
title = "Démo"
language = "fr"
duration-minutes = 10

[[modules]]
title = "Premiers pas"
lessons = ["intro.md", "lessons/suite.md"]

[[modules]]
id = "fin"
title = "Conclusion"
lessons = [{ file = "fin.md", id = "conclusion", title = "Pour finir" }]
"#;

fn files() -> MemoryFiles {
    MemoryFiles::default()
        .with("course.toml", MANIFEST)
        .with("intro.md", "# Introduction\n\nVoir [la suite](lessons/suite.md#haut) et ![logo](img/logo.svg).\n")
        .with("lessons/suite.md", "# La suite\n\nRetour à [l’intro](../intro.md).\n")
        .with("fin.md", "Merci.\n")
        .with("img/logo.svg", "<svg/>")
}

fn slug() -> CourseSlug {
    CourseSlug::parse("demo").unwrap()
}

fn check(files: &MemoryFiles) -> CourseCheck {
    check_course(&slug(), files, &Urls::player(&slug()))
}

fn messages(check: &CourseCheck) -> Vec<String> {
    check.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn a_good_course_builds_with_stable_ids_and_rewritten_links() {
    let check = check(&files());
    assert_eq!(messages(&check), Vec::<String>::new());
    let course = check.course.unwrap();
    let ids: Vec<&str> = course.lessons().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["intro", "suite", "conclusion"]);
    assert_eq!(course.modules[0].id.as_str(), "premiers-pas");
    let (module, intro) = course.lesson(&LessonId::parse("intro").unwrap()).unwrap();
    assert_eq!(module.title, "Premiers pas");
    assert_eq!(intro.title, "Introduction");
    // Relative to the lesson's page (/learn/demo/intro), at a site's root or under an LMS's path.
    assert!(intro.html().as_str().contains("href=\"./suite#haut\""), "{}", intro.html());
    assert!(intro.html().as_str().contains("src=\"../../courses/demo/img/logo.svg\""), "{}", intro.html());
    let suite = course.lesson(&LessonId::parse("suite").unwrap()).unwrap().1;
    assert!(suite.html().as_str().contains("href=\"./intro\""), "{}", suite.html());
    assert_eq!(course.lesson(&LessonId::parse("conclusion").unwrap()).unwrap().1.title, "Pour finir");
}

#[test]
fn objectives_are_kept_in_order_and_blank_ones_dropped() {
    let manifest = MANIFEST.replace(
        "duration-minutes = 10",
        "objectives = [\"  Expliquer le principe.\", \"\", \"Rédiger une demande précise.\"]\nduration-minutes = 10",
    );
    let course = check(&files().with("course.toml", &manifest)).course.unwrap();
    assert_eq!(course.objectives, ["Expliquer le principe.", "Rédiger une demande précise."]);
    assert!(check(&files()).course.unwrap().objectives.is_empty(), "objectives are optional");
}

#[test]
fn local_assets_are_listed_once_for_offline_use() {
    let course = check(&files()).course.unwrap();
    assert_eq!(course.shown_files(), ["img/logo.svg"]);
}

#[test]
fn neighbours_cross_module_boundaries() {
    let course = check(&files()).course.unwrap();
    let suite = LessonId::parse("suite").unwrap();
    let (previous, next) = course.neighbours(&suite);
    assert_eq!(previous.unwrap().id.as_str(), "intro");
    assert_eq!(next.unwrap().id.as_str(), "conclusion");
    let (previous, _) = course.neighbours(&LessonId::parse("intro").unwrap());
    assert!(previous.is_none());
}

#[test]
fn missing_manifest_is_an_error_with_a_hint() {
    let check = check(&MemoryFiles::default());
    assert_eq!(
        messages(&check),
        ["course.toml: error: file not found (hint: a course folder needs a course.toml manifest (`parcours new --guide guide` writes the author's guide, which describes it))"]
    );
}

#[test]
fn missing_lesson_file_is_located_in_the_manifest() {
    let mut files = files();
    files.insert("fin.md", Err(FileError::NotFound));
    let check = check(&files);
    assert!(check.course.is_none());
    assert_eq!(
        messages(&check),
        ["course.toml:13:12: error: lesson file `fin.md`: file not found (hint: create the file or fix the path)"]
    );
}

#[test]
fn a_huge_lesson_is_refused_with_its_size_not_parsed() {
    let mut files = files();
    files.insert("fin.md", Ok(vec![b'a'; 10 * 1024 * 1024]));
    let check = check(&files);
    assert!(check.course.is_none());
    assert_eq!(
        messages(&check),
        ["course.toml:13:12: error: lesson file `fin.md`: this file is 10.0 MB; a course text file may be at most 1 MB (hint: split it into several lessons, and keep images and videos in files of their own)"]
    );
}

#[test]
fn invalid_utf8_is_located_in_the_lesson() {
    let mut files = files();
    files.insert("fin.md", Ok(b"Ligne un\nca\xE7a\n".to_vec()));
    assert_eq!(
        messages(&check(&files)),
        ["fin.md:2:3: error: invalid UTF-8 (byte 11) (hint: save the file as UTF-8 in your editor)"]
    );
}

#[test]
fn duplicate_ids_bad_iri_and_bad_language_are_all_reported() {
    let manifest = MANIFEST
        .replace("https://example.org/courses/demo", "demo")
        .replace("\"fr\"", "\"français\"")
        .replace("id = \"conclusion\"", "id = \"intro\"");
    let files = files().with("course.toml", &manifest);
    assert_eq!(
        messages(&check(&files)),
        [
            "course.toml:1:6: error: `demo` is not an absolute IRI (write something like `https://example.org/courses/my-course`)",
            "course.toml:3:12: error: `français` is not a language tag (hint: write `fr`, `en` or a tag like `fr-FR`)",
            "course.toml:13:12: error: lesson id `intro` is used twice (first at line 8) (hint: each lesson needs its own file or its own `id`)",
        ]
    );
}

#[test]
fn a_language_mark_that_is_not_a_language_code_is_located() {
    let files = files().with("fin.md", "# Fin\n\nUn [mot]{lang=en} et\nun [autre]{lang=anglais}.\n");
    assert_eq!(
        messages(&check(&files)),
        ["fin.md:4:17: error: `{lang=anglais}` is not a language code: the passage is not marked (hint: write a language code, as in `[large language model]{lang=en}` (en, de, es, it, fr-CA…))"]
    );
}

#[test]
fn heading_attributes_that_could_run_script_are_removed_and_located() {
    let files = files().with("fin.md", "# Fin\n\nTexte.\n\n## Suite {onclick=alert(1) .x}\n");
    assert_eq!(
        messages(&check(&files)),
        [
            "fin.md:5:1: error: heading attributes other than `{#id}` are not allowed: they were removed (hint: keep only an id, as in `## Title {#my-id}`; styles and scripts cannot be set from a course)",
        ]
    );
}

#[test]
fn broken_links_images_and_unsafe_links_are_located() {
    let files = files().with(
        "fin.md",
        "# Fin\n\n[x](absent.md) ![y](img/absent.png)\n[z](javascript:alert(1)) [w](../../etc/passwd)\n",
    );
    assert_eq!(
        messages(&check(&files)),
        [
            "fin.md:3:1: error: link to `absent.md`, which is not a lesson of this course (hint: link to a lesson listed in course.toml)",
            "fin.md:3:16: error: broken image: `img/absent.png` does not exist (hint: check the file name (it is case-sensitive) and its folder)",
            "fin.md:4:1: error: unsafe link `javascript:alert(1)` removed (hint: link to http(s), mailto or tel addresses, or to files of the course)",
            "fin.md:4:26: error: link `../../etc/passwd` points outside the course folder (hint: keep images and files inside the course folder)",
        ]
    );
}

#[test]
fn lesson_paths_must_stay_inside_the_folder_and_be_markdown() {
    let files = files().with(
        "course.toml",
        &MANIFEST.replace("\"lessons/suite.md\"", "\"../suite.md\"").replace("\"intro.md\"", "\"intro.txt\""),
    );
    let messages = messages(&check(&files));
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("course.toml:8:12: error: `intro.txt` is not a Markdown file inside the course folder")
    );
    assert!(
        messages[1].starts_with("course.toml:8:25: error: `../suite.md` is not a Markdown file"),
        "{}",
        messages[1]
    );
}

#[test]
fn json_form_is_stable() {
    let course = check(&files()).course.unwrap();
    let json = serde_json::to_value(&course).unwrap();
    assert_eq!(json["id"], "https://example.org/courses/demo");
    assert_eq!(json["slug"], "demo");
    assert_eq!(json["modules"][1]["lessons"][0]["id"], "conclusion");
    assert_eq!(json["modules"][0]["lessons"][1]["file"], "lessons/suite.md");
    assert_eq!(json["duration_minutes"], 10);
    assert_eq!(json["reveal_practice_answers"], true);
    let hidden = files().with(
        "course.toml",
        &MANIFEST.replace("duration-minutes = 10", "duration-minutes = 10\nreveal-practice-answers = false"),
    );
    assert!(!check(&hidden).course.unwrap().reveal_practice_answers);
}

#[test]
fn practice_quizzes_are_parsed_in_place_and_broken_questions_located() {
    let lesson =
        "# Quiz\n\nAvant.\n\n```gift\n::Un:: Vrai ? {T}\n\nCassé {#abc}\n\n::Deux:: Faux ? {F}\n```\n\nAprès.\n";
    let check = check(&files().with("fin.md", lesson));
    assert_eq!(
        messages(&check),
        ["fin.md:8:9: error: `abc` is not a number (hint: write numbers with a dot, as in `3.14`, `3.14:0.01` or `3..4`)"]
    );
    // A broken question does not stop the course: it is shown in place of the question.
    let course = check.course.as_ref().unwrap();
    assert!(!check.passes());
    let fin = course.lesson(&LessonId::parse("conclusion").unwrap()).unwrap().1;
    assert_eq!(fin.body.len(), 3);
    let LessonBlock::Quiz { quiz } = &fin.body[1] else { panic!("{:?}", fin.body) };
    let kinds: Vec<String> = quiz
        .items
        .iter()
        .map(|item| match item {
            QuizItem::Question(q) => q.id.to_string(),
            QuizItem::Broken { error } => error.clone(),
        })
        .collect();
    assert_eq!(kinds[0], "un");
    assert!(kinds[1].starts_with("fin.md:8:9: error: `abc` is not a number"), "{}", kinds[1]);
    assert_eq!(kinds[2], "deux");
    assert_eq!(fin.questions().count(), 2);
    assert_eq!(&lesson[fin.questions().next().unwrap().span.clone()], "::Un:: Vrai ? {T}");
}

#[test]
fn question_ids_are_unique_across_the_course() {
    let files = files()
        .with("fin.md", "# F\n\n```gift\n::Même:: A {T}\n```\n")
        .with("intro.md", "# I\n\n```gift\n::Même:: B {F}\n```\n");
    assert_eq!(
        messages(&check(&files)),
        ["fin.md:4:1: error: question id `meme` is used twice (first at intro.md:4) (hint: give each question its own title, `::Title::`)"]
    );
}

const ASSESSMENTS: &str = r#"
[[assessments]]
title = "Évaluation"
file = "final.gift"
pass-mark = 0.8
attempts = 2
shuffle = true
attempt-timeout = 45

[[assessments]]
id = "bilan"
title = "Bilan"
file = "bilan.md"
reveal-answers = false
"#;

#[test]
fn assessments_come_from_gift_files_or_lessons() {
    let files = files()
        .with("course.toml", &format!("{MANIFEST}{ASSESSMENTS}"))
        .with("final.gift", "// Évaluation\n::A:: Vrai ? {T}\n\n::B:: Deux ? {#2}\n\n::C:: Votre avis ? {}\n")
        .with("bilan.md", "# Bilan\n\nRépondez.\n\n```gift\n::D:: Oui ? {T}\n```\n");
    let check = check(&files);
    assert_eq!(messages(&check), Vec::<String>::new());
    let course = check.course.unwrap();
    let final_ = course.assessment(&AssessmentId::parse("final").unwrap()).unwrap();
    assert_eq!((final_.pass_mark, final_.attempts, final_.shuffle, final_.reveal_answers), (0.8, Some(2), true, true));
    assert_eq!(final_.attempt_timeout_minutes, Some(45));
    assert_eq!(final_.questions().count(), 3);
    assert_eq!(final_.graded_questions().count(), 2);
    let bilan = course.assessment(&AssessmentId::parse("bilan").unwrap()).unwrap();
    assert_eq!((bilan.pass_mark, bilan.attempts, bilan.reveal_answers), (0.7, None, false));
    assert_eq!(bilan.attempt_timeout_minutes, None, "kept however long the learner is away");
    assert_eq!(bilan.intro_html.as_str(), "<p>Répondez.</p>\n");
    assert_eq!(bilan.questions().next().unwrap().id.as_str(), "d");
}

#[test]
fn assessment_errors_are_located() {
    let manifest = format!("{MANIFEST}{ASSESSMENTS}")
        .replace("pass-mark = 0.8", "pass-mark = 80")
        .replace("attempts = 2", "attempts = 0")
        .replace("attempt-timeout = 45", "attempt-timeout = 0");
    let files = files()
        .with("course.toml", &manifest)
        .with("final.gift", "::A:: Vrai ? {T}\n\n::B:: Cassée {#x}\n")
        .with("bilan.md", "# Bilan\n\nSans question.\n");
    assert_eq!(
        messages(&check(&files)),
        [
            "course.toml:18:13: error: the pass mark 80 is not between 0 and 1 (hint: write the share of marks needed, like `pass-mark = 0.7` for 70 %)",
            "course.toml:19:12: error: an assessment needs at least 1 attempt (hint: remove `attempts` for unlimited attempts)",
            "course.toml:21:19: error: the attempt timeout 0 is not between 1 and 10080 minutes (hint: write whole minutes, up to a week, like `attempt-timeout = 30`, or remove it)",
            "final.gift:3:16: error: `x` is not a number (hint: write numbers with a dot, as in `3.14`, `3.14:0.01` or `3..4`)",
            "bilan.md: error: the assessment has no graded question (hint: add questions with answers to grade (not only essays or descriptions))",
        ]
    );
}

#[test]
fn a_missing_assessment_file_stops_the_course() {
    let files =
        files().with("course.toml", &format!("{MANIFEST}{ASSESSMENTS}")).with("bilan.md", "```gift\nA {T}\n```\n");
    let check = check(&files);
    assert!(check.course.is_none());
    assert_eq!(
        messages(&check),
        ["course.toml:17:8: error: assessment file `final.gift`: file not found (hint: create the file or fix the path)"]
    );
}

#[test]
fn lesson_ids_of_the_players_pages_are_reserved() {
    let files = files().with("course.toml", &MANIFEST.replace("id = \"conclusion\"", "id = \"attestation\""));
    assert_eq!(
        messages(&check(&files)),
        ["course.toml:13:12: error: `attestation` is reserved for the player's own pages (hint: set another id: { file = \"…\", id = \"my-lesson\" })"]
    );
}

#[test]
fn move_on_defaults_to_the_course_shape_and_a_wrong_value_is_located() {
    assert_eq!(check(&files()).course.unwrap().move_on, MoveOn::Completed, "no assessment: completed");
    let set =
        files().with("course.toml", &MANIFEST.replace("duration-minutes = 10", "move-on = \"CompletedOrPassed\""));
    assert_eq!(check(&set).course.unwrap().move_on, MoveOn::CompletedOrPassed);

    let typo = files().with("course.toml", &MANIFEST.replace("duration-minutes = 10", "move-on = \"Complete\""));
    let found = messages(&check(&typo)).join("\n");
    assert!(found.contains("course.toml:4:11") && found.contains("CompletedAndPassed"), "{found}");
}

#[test]
fn what_a_markdown_question_text_loses_is_reported_at_the_question() {
    let lesson = "# Quiz\n\n```gift\n::Q::[markdown]## Titre \\{onclick=x\\} {T}\n\n::R::[markdown][clic](javascript:x) ? {T}\n\n::S::[markdown]**Sain** ? {T}\n```\n";
    let files = files().with("fin.md", lesson);
    let found = messages(&check(&files));
    let removed: Vec<&String> = found.iter().filter(|m| m.contains("[markdown] text")).collect();
    assert_eq!(removed.len(), 2, "{found:#?}");
    assert!(removed[0].starts_with("fin.md:4:1: error: heading attributes other than `{#id}`"), "{}", removed[0]);
    assert!(removed[1].starts_with("fin.md:6:1: error: an unsafe link"), "{}", removed[1]);
}

#[test]
fn what_an_html_question_text_loses_is_a_warning_at_the_question() {
    let lesson = "# Quiz\n\n```gift\n::Q::[html]<p onclick=\"x()\">Question ?</p><script>y()</script> {T#[html]<iframe src=z></iframe>}\n```\n";
    let check = check(&files().with("fin.md", lesson));
    let found = messages(&check);
    let warning = found.iter().find(|m| m.contains("[html] text")).expect("a warning");
    assert!(
        warning.starts_with("fin.md:4:1: warning: an [html] text of this question holds `onclick=\"…\"`, `<script>`, `<iframe>`: not shown"),
        "{warning}"
    );
    assert!(check.passes(), "a warning does not stop the course: {found:#?}");
}

#[test]
fn a_file_a_question_text_cannot_show_is_a_warning_at_the_question() {
    let lesson = "# Quiz\n\n```gift\n::Q::[html]<p>Voir <img src=\"@@PLUGINFILE@@/a.png\"> et \
                  <img src=\"https://example.org/b.png\"> <a href=\"#haut\">haut</a></p> {T}\n\n\
                  ::R::[markdown]Voir ![logo](img/logo.svg) et [l'intro](intro.md) ? {T}\n```\n";
    let check = check(&files().with("fin.md", lesson));
    let found: Vec<String> = messages(&check).into_iter().filter(|m| m.contains("cannot show")).collect();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("fin.md:4:1: warning: this question's text refers to `@@PLUGINFILE@@/a.png`"),
        "{}",
        found[0]
    );
    assert!(found[1].contains("`img/logo.svg`") && found[2].contains("`intro.md`"), "{found:#?}");
    assert!(check.passes());
}

const VTT: &str = "WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour.\n";

fn with_video(block: &str) -> MemoryFiles {
    files()
        .with("fin.md", &format!("# Fin\n\n```video\n{block}```\n"))
        .with("media/a.webm", "")
        .with("media/a.fr.vtt", VTT)
        .with("media/a.en.vtt", VTT)
        .with("media/a.md", "Le **texte** dit.\n")
}

#[test]
fn a_video_builds_with_its_captions_transcript_and_addresses() {
    let block = "src = \"media/a.webm\"\ntitle = \"Intro\"\ncaptions = { en = \"media/a.en.vtt\", fr = \"media/a.fr.vtt\" }\ntranscript = \"media/a.md\"\nduration = \"1:05\"\n";
    let check = check(&with_video(block));
    assert_eq!(messages(&check), Vec::<String>::new());
    let course = check.course.unwrap();
    let fin = course.lesson(&LessonId::parse("conclusion").unwrap()).unwrap().1;
    let LessonBlock::Media { media } = &fin.body[0] else { panic!("{:?}", fin.body) };
    assert_eq!((media.kind, media.id.as_str(), media.title.as_str()), (MediaKind::Video, "a", "Intro"));
    let languages: Vec<&str> = media.captions.iter().map(|c| c.language.as_str()).collect();
    assert_eq!(languages, ["fr", "en"], "the course's language first");
    assert!(
        matches!(&media.source, MediaSource::File { url, mime } if url.ends_with("courses/demo/media/a.webm") && mime == "video/webm")
    );
    assert_eq!(media.transcript.as_ref().unwrap().as_str(), "<p>Le <strong>texte</strong> dit.</p>\n");
    assert_eq!(media.duration_seconds, Some(65.0));
}

#[test]
fn broken_media_blocks_are_located() {
    let cases = [
        ("src = \"media/b.webm\"\ntitle = \"T\"\n", "fin.md:4:7: error: the video `media/b.webm` does not exist"),
        (
            "src = \"media/a.webm\"\ntitle = \"T\"\ntranscript = \"media/a.md\"\n",
            "fin.md:3:1: error: the video has no captions in the course's language (`fr`)",
        ),
        (
            "src = \"media/a.webm\"\ntitle = \"T\"\ncaptions = { xx = \"media/a.fr.vtt\" }\n",
            "fin.md:6:14: error: `xx` is not a language code",
        ),
        (
            "src = \"../a.webm\"\ntitle = \"T\"\n",
            "fin.md:4:7: error: the video `../a.webm` is outside the course folder",
        ),
        (
            "src = \"media/a.fr.vtt\"\ntitle = \"T\"\n",
            "fin.md:4:7: error: `media/a.fr.vtt` is not a video format browsers play",
        ),
        (
            "embed = \"http://tube.example.org/x\"\ntitle = \"T\"\n",
            "fin.md:4:9: error: `http://tube.example.org/x` is not an https address",
        ),
        ("src = \"media/a.webm\"\n", "fin.md:3:1: error: the video has no `title`"),
        ("src = \"media/a.webm\"\ntitel = \"T\"\n", "fin.md:5:1: error: unknown field `titel`"),
    ];
    for (block, expected) in cases {
        let found = messages(&check(&with_video(block)));
        assert!(found.iter().any(|m| m.starts_with(expected)), "{block:?}: expected {expected:?} in {found:#?}");
    }
}

#[test]
fn a_broken_caption_file_is_reported_in_that_file_and_a_sound_without_transcript_warned() {
    let overlapping = with_video(
        "src = \"media/a.webm\"\ntitle = \"T\"\ncaptions = { fr = \"media/a.fr.vtt\" }\ntranscript = \"media/a.md\"\n",
    )
    .with(
        "media/a.fr.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\nUn.\n\n00:01.000 --> 00:03.000\nDeux.\n\n00:00.500 --> 00:04.000\nTrois.\n",
    );
    let found = messages(&check(&overlapping));
    assert!(
        found
            .iter()
            .any(|m| m.starts_with("media/a.fr.vtt:6:1: warning: this cue starts before the one above it ends")),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|m| m.starts_with("media/a.fr.vtt:9:1: error: this cue starts before the one above it")),
        "{found:#?}"
    );
    let sound = files()
        .with("fin.md", "# Fin\n\n```audio\nsrc = \"media/a.mp3\"\ntitle = \"Son\"\n```\n")
        .with("media/a.mp3", "");
    let found = messages(&check(&sound));
    assert!(found.iter().any(|m| m.starts_with("fin.md:3:1: warning: the sound has no transcript")), "{found:#?}");
}

#[test]
fn every_problem_of_a_media_block_is_reported_at_once() {
    // The file is missing, and that must not hide the captions outside the folder nor the poster
    // that is a script.
    let block = "src = \"media/absente.webm\"\ntitle = \"T\"\ncaptions = { fr = \"../../etc/x.vtt\" }\n\
                 transcript = \"media/a.md\"\nposter = \"javascript:alert(1)\"\n";
    let found = messages(&check(&with_video(block)));
    for expected in [
        "fin.md:4:7: error: the video `media/absente.webm` does not exist",
        "fin.md:6:19: error: the caption file `../../etc/x.vtt` is outside the course folder",
        "fin.md:8:10: error: the poster `javascript:alert(1)` is not an https address nor a file of the course",
    ] {
        assert!(found.iter().any(|m| m.starts_with(expected)), "expected {expected:?} in {found:#?}");
    }
    let without_title = messages(&check(&with_video("src = \"media/absente.webm\"\n")));
    assert!(without_title.iter().any(|m| m.contains("has no `title`")), "{without_title:#?}");
    assert!(without_title.iter().any(|m| m.contains("does not exist")), "{without_title:#?}");
}

#[test]
fn a_transcript_is_checked_as_a_lesson_is() {
    let hostile = "# Transcription\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
                   [clic](javascript:alert(1)) et ![plan](plan.png)\n\n## Titre {onclick=alert(1)}\n";
    let block =
        "src = \"media/a.webm\"\ntitle = \"T\"\ncaptions = { fr = \"media/a.fr.vtt\" }\ntranscript = \"media/a.md\"\n";
    let files = with_video(block).with("media/a.md", hostile);
    let check = check(&files);
    let found = messages(&check);
    for expected in [
        "media/a.md:3:1: warning: raw HTML is shown as text, not as markup: `<script>alert(1)</script>`",
        "media/a.md:5:1: warning: raw HTML is shown as text, not as markup: `<img src=x onerror=alert(1)>`",
        "media/a.md:7:1: error: unsafe link `javascript:alert(1)` removed",
        "media/a.md:7:32: error: broken image: `media/plan.png` does not exist",
        "media/a.md:9:1: error: heading attributes other than `{#id}` are not allowed",
    ] {
        assert!(found.iter().any(|m| m.starts_with(expected)), "expected {expected:?} in {found:#?}");
    }
    // The same text in a lesson, the same diagnostics (located in the lesson).
    let as_lesson = messages(&super::check_course(&slug(), &files.with("fin.md", hostile), &Urls::player(&slug())));
    assert_eq!(found.iter().filter(|m| m.starts_with("media/a.md")).count(), 5, "{found:#?}");
    assert_eq!(as_lesson.len(), 5, "{as_lesson:#?}");
    for (in_transcript, in_lesson) in found.iter().filter(|m| m.starts_with("media/a.md")).zip(&as_lesson) {
        let transcript_problem = in_transcript.split_once(": ").unwrap().1;
        let lesson_problem = in_lesson.split_once(": ").unwrap().1;
        assert_eq!(transcript_problem.replace("media/plan.png", "plan.png"), lesson_problem);
    }
}
