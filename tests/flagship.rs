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
        "choice" => {
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
            "choice" => {
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
    let tied = objectives_by_question();
    assert_eq!(tied.len(), questions(&course).len(), "every question was looked at");
    let untied: Vec<&String> = tied.iter().filter(|(_, objective)| objective.is_none()).map(|(at, _)| at).collect();
    assert!(untied.is_empty(), "questions without an `// Objectif N` comment: {untied:?}");
}

/// Every question of the course's sources (`file:line`), with the objective its comment names.
/// A question starts with `::Title::` at the start of a line, in a lesson's ```gift block or in a
/// .gift file; the comment line just above it names its objective (`// Objectif 3…`).
fn objectives_by_question() -> Vec<(String, Option<u32>)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(COURSE);
    let mut found = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "gift")) {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for (number, _) in lines.iter().enumerate().filter(|(_, l)| l.starts_with("::")) {
            let above = lines[..number].iter().rev().find(|l| !l.trim().is_empty()).copied().unwrap_or("");
            let objective = above
                .strip_prefix("// Objectif ")
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|digits| digits.parse().ok());
            found.push((format!("{}:{}", path.file_name().unwrap().to_string_lossy(), number + 1), objective));
        }
    }
    found
}

#[test]
fn the_final_assessment_gives_each_objective_two_or_three_items() {
    // With one pass mark for the whole assessment, an objective with too few items can be failed
    // entirely by a learner who passes; with too many, it outweighs the others.
    let mut per_objective = std::collections::BTreeMap::new();
    for (at, objective) in objectives_by_question() {
        if at.starts_with("evaluation.gift:") {
            *per_objective.entry(objective.expect("tied to an objective")).or_insert(0) += 1;
        }
    }
    let expected: Vec<u32> = (1..=5).collect();
    assert_eq!(per_objective.keys().copied().collect::<Vec<_>>(), expected, "every objective is assessed");
    let unbalanced: Vec<_> = per_objective.iter().filter(|(_, &count)| !(2..=3).contains(&count)).collect();
    assert!(unbalanced.is_empty(), "objectives with other than 2–3 items (objective, items): {unbalanced:?}");
}

/// The words of a question's stem, lower-cased, without punctuation or markup.
fn stem_words(question: &Value) -> Vec<String> {
    let stem = text(&question["stem"]);
    let mut plain = String::new();
    let mut in_tag = false;
    for c in stem.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

#[test]
fn no_assessment_stem_repeats_a_practice_stem() {
    // "New situations, not the lessons' questions reworded": an assessment stem that shares a
    // run of seven words with a practice stem reuses its wording (six would catch a name such as
    // « le règlement européen sur l'IA »).
    const RUN: usize = 7;
    let course = compiled_course();
    let (assessed, practised): (Vec<_>, Vec<_>) =
        questions(&course).into_iter().partition(|(file, _)| file.ends_with(".gift"));
    let runs = |question: &Value| -> std::collections::HashSet<Vec<String>> {
        stem_words(question).windows(RUN).map(<[String]>::to_vec).collect()
    };
    let mut repeats = Vec::new();
    for (_, item) in &assessed {
        let item_runs = runs(item);
        for (lesson, practice) in &practised {
            if let Some(shared) = item_runs.intersection(&runs(practice)).next() {
                repeats.push(format!(
                    "{} ~ {lesson} / {}: «{}»",
                    text(&item["title"]),
                    text(&practice["title"]),
                    shared.join(" ")
                ));
            }
        }
    }
    assert!(repeats.is_empty(), "{repeats:#?}");
}
