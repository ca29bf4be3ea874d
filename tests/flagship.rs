//! The flagship module, «Découvrir les IA génératives», held to the campus review's rules for
//! questions: each is tied to one of the course's objectives, every answer says why, matching
//! questions have a distractor, and choice questions offer real alternatives.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const COURSE: &str = "courses/ia-generatives";

fn compiled_course() -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_parcours"))
        .args(["check", "--json", COURSE])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the parcours binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("check --json prints JSON")
}

/// Every question of the course, lessons and assessments, with where it comes from.
fn questions(course: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for lesson in course["modules"].as_array().unwrap().iter().flat_map(|m| m["lessons"].as_array().unwrap()) {
        for block in lesson["body"].as_array().unwrap().iter().filter(|b| b["kind"] == "quiz") {
            for item in block["quiz"]["items"].as_array().unwrap() {
                found.push((lesson["file"].as_str().unwrap().to_owned(), item["question"].clone()));
            }
        }
    }
    for assessment in course["assessments"].as_array().unwrap() {
        for item in assessment["items"].as_array().unwrap() {
            found.push((assessment["file"].as_str().unwrap().to_owned(), item["question"].clone()));
        }
    }
    found
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("").trim()
}

/// Whether a feedback explains: a bare verdict ("Oui.", "Non", "Exact.") says right or wrong,
/// which the player already shows, but not why.
fn explains(feedback: &str) -> bool {
    let reason = feedback.trim_start_matches(|c: char| c.is_alphabetic()).trim_start_matches([' ', ':', '.', ',', '!']);
    reason.split_whitespace().count() >= 3
}

/// What is missing for the question to explain every outcome, if anything.
fn unexplained(question: &Value) -> Option<String> {
    let answers = &question["answers"];
    let general = explains(text(&question["general_feedback"]));
    match answers["type"].as_str().unwrap() {
        "choice" | "multiple-choice" => {
            let silent: Vec<&str> = answers["choices"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| !explains(text(&c["feedback"])))
                .map(|c| text(&c["text"]))
                .collect();
            (!silent.is_empty()).then(|| format!("choices whose feedback does not say why: {silent:?}"))
        }
        "true-false" => (!explains(text(&answers["feedback_when_wrong"]))
            || !explains(text(&answers["feedback_when_right"])))
        .then(|| "a true/false question needs both feedbacks, each saying why".to_owned()),
        // One answer is right, every other is wrong: the general feedback says why for all.
        "matching" | "short-answer" | "numeric" => (!general).then(|| "no general feedback".to_owned()),
        // A practice essay shows its model answer once saved.
        "essay" => (!general).then(|| "no model answer (general feedback)".to_owned()),
        "description" => None,
        other => Some(format!("unexpected type {other}")),
    }
}

#[test]
fn every_flagship_question_says_why_for_every_answer() {
    let course = compiled_course();
    let problems: Vec<String> = questions(&course)
        .iter()
        .filter_map(|(file, q)| unexplained(q).map(|why| format!("{file} / {}: {why}", text(&q["title"]))))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn flagship_matching_questions_have_a_distractor_and_choice_questions_real_alternatives() {
    let course = compiled_course();
    let mut problems = Vec::new();
    for (file, question) in questions(&course) {
        let title = text(&question["title"]).to_owned();
        let answers = &question["answers"];
        match answers["type"].as_str().unwrap() {
            "matching" => {
                let pairs = answers["pairs"].as_array().unwrap();
                if !pairs.iter().any(|p| text(&p["prompt"]).is_empty()) {
                    problems.push(format!("{file} / {title}: no distractor"));
                }
            }
            "choice" | "multiple-choice" => {
                let count = answers["choices"].as_array().unwrap().len();
                if count < 3 {
                    problems.push(format!("{file} / {title}: only {count} options"));
                }
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_flagship_states_five_objectives_and_ties_every_question_to_one() {
    let course = compiled_course();
    assert_eq!(course["objectives"].as_array().unwrap().len(), 5, "the course page lists five objectives");

    // A question starts with `::Title::` at the start of a line, in a lesson's ```gift block or
    // in a .gift file; the comment line just above it names its objective.
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(COURSE);
    let mut untied = Vec::new();
    let mut counted = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "gift")) {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for (number, _) in lines.iter().enumerate().filter(|(_, l)| l.starts_with("::")) {
            counted += 1;
            let above = lines[..number].iter().rev().find(|l| !l.trim().is_empty()).copied().unwrap_or("");
            if !above.starts_with("// Objectif") {
                untied.push(format!("{}:{}", path.file_name().unwrap().to_string_lossy(), number + 1));
            }
        }
    }
    assert_eq!(counted, questions(&course).len(), "every question was looked at");
    assert!(untied.is_empty(), "questions without an `// Objectif` comment: {untied:?}");
}
