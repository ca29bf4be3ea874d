//! Grading, with Moodle's semantics: weights summed per question and floored at 0, matching
//! scored per pair, numbers within a tolerance or range, short answers trimmed and
//! case-insensitive. Pure functions over the parsed [`Question`]s.

use crate::course::gift::{Answers, MatchPair, Question, Text};
use serde::{Deserialize, Serialize};

/// What a learner answered to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Response {
    TrueFalse(bool),
    /// Indexes of the chosen answers (one for a single-answer question).
    Choices(Vec<usize>),
    /// Typed text: short answer or essay.
    Text(String),
    /// A number as typed (`3,14` and `3.14` alike).
    Number(String),
    /// For each prompt of a matching question, the index of the chosen answer in [`matching_answers`].
    Matching(Vec<Option<usize>>),
}

/// How right an answer is; never conveyed by colour alone in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Correctness {
    Correct,
    PartiallyCorrect,
    Incorrect,
    /// Essays and descriptions: nothing to grade.
    Ungraded,
}

/// The result of checking one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// Credit between 0 and 1; `None` when ungraded.
    pub credit: Option<f64>,
    pub correctness: Correctness,
    /// Feedback written by the author for what the learner answered.
    pub feedback: Vec<Text>,
}

/// Why a response cannot be graded as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    #[error("no answer given")]
    Empty,
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("this answer does not fit this question")]
    WrongKind,
}

/// Reads a number as French or English learners type it: `3,14`, `3.14`, `1 822`, `-2`.
pub fn parse_learner_number(raw: &str) -> Result<f64, ResponseError> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() {
        return Err(ResponseError::Empty);
    }
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| ResponseError::NotANumber(raw.trim().to_owned()))
}

/// Short answers are compared trimmed, with inner spaces collapsed, ignoring case (as Moodle does by default).
fn normalise_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn push_to_last(pieces: &mut [String], c: char) {
    if let Some(piece) = pieces.last_mut() {
        piece.push(c);
    }
}

/// Whether `given` matches a short answer `pattern` as Moodle compares them: `*` stands for any
/// run of characters (none included), `\*` for an asterisk, everything else for itself.
pub fn matches_wildcard(given: &str, pattern: &str) -> bool {
    // The pattern's literal pieces between unescaped runs of `*`.
    let mut pieces: Vec<String> = vec![String::new()];
    let mut chars = pattern.chars().peekable();
    let mut after_star = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                chars.next();
                push_to_last(&mut pieces, '*');
                after_star = false;
            }
            '*' => {
                if !after_star {
                    pieces.push(String::new());
                }
                after_star = true;
            }
            other => {
                push_to_last(&mut pieces, other);
                after_star = false;
            }
        }
    }
    let (first, rest) = pieces.split_first().expect("at least one piece");
    let Some(mut remaining) = given.strip_prefix(first.as_str()) else { return false };
    let Some((last, middle)) = rest.split_last() else { return remaining.is_empty() };
    for piece in middle {
        match remaining.find(piece.as_str()) {
            Some(at) => remaining = &remaining[at + piece.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last.as_str())
}

/// The answers a matching question offers for every prompt: each distinct answer once, in the
/// order written (the UI may shuffle them for display).
pub fn matching_answers(pairs: &[MatchPair]) -> Vec<&Text> {
    let mut answers: Vec<&Text> = Vec::new();
    for pair in pairs {
        if !answers.contains(&&pair.answer) {
            answers.push(&pair.answer);
        }
    }
    answers
}

/// The prompts of a matching question (pairs with an empty prompt are only distractor answers).
pub fn matching_prompts(pairs: &[MatchPair]) -> Vec<&MatchPair> {
    pairs.iter().filter(|p| !p.prompt.is_empty()).collect()
}

fn correctness(credit: f64) -> Correctness {
    if credit >= 0.999_999 {
        Correctness::Correct
    } else if credit > 0.0 {
        Correctness::PartiallyCorrect
    } else {
        Correctness::Incorrect
    }
}

fn graded(credit: f64, feedback: Vec<Text>) -> Grade {
    let credit = credit.clamp(0.0, 1.0);
    Grade { credit: Some(credit), correctness: correctness(credit), feedback }
}

/// Grades one response.
pub fn grade(question: &Question, response: &Response) -> Result<Grade, ResponseError> {
    match (&question.answers, response) {
        (Answers::Description, _) | (Answers::Essay, Response::Text(_)) => {
            if let Response::Text(text) = response {
                if text.trim().is_empty() {
                    return Err(ResponseError::Empty);
                }
            }
            Ok(Grade { credit: None, correctness: Correctness::Ungraded, feedback: Vec::new() })
        }
        (Answers::TrueFalse { correct, feedback_when_wrong, feedback_when_right }, Response::TrueFalse(given)) => {
            let right = given == correct;
            let feedback = if right { feedback_when_right } else { feedback_when_wrong };
            Ok(graded(if right { 1.0 } else { 0.0 }, feedback.iter().cloned().collect()))
        }
        (Answers::Choice { multiple, choices }, Response::Choices(chosen)) => {
            if chosen.is_empty() {
                return Err(ResponseError::Empty);
            }
            if (!multiple && chosen.len() != 1) || chosen.iter().any(|&i| i >= choices.len()) {
                return Err(ResponseError::WrongKind);
            }
            let mut chosen = chosen.clone();
            chosen.sort_unstable();
            chosen.dedup();
            let credit: f64 = chosen.iter().map(|&i| choices[i].weight).sum();
            Ok(graded(credit, chosen.iter().filter_map(|&i| choices[i].feedback.clone()).collect()))
        }
        (Answers::ShortAnswer { answers }, Response::Text(text)) => {
            let given = normalise_text(text);
            if given.is_empty() {
                return Err(ResponseError::Empty);
            }
            // As Moodle: the first answer, in written order, that the response matches (`*` is
            // any run of characters, `\*` an asterisk), so a catch-all `=%0%*` goes last.
            let first = answers.iter().find(|a| matches_wildcard(&given, &normalise_text(&a.text.body)));
            Ok(match first {
                Some(answer) => graded(answer.weight, answer.feedback.iter().cloned().collect()),
                None => graded(0.0, Vec::new()),
            })
        }
        (Answers::Numeric { answers }, Response::Number(raw)) => {
            let number = parse_learner_number(raw)?;
            // As Moodle: the first answer, in written order, that accepts the number.
            let first = answers.iter().find(|a| a.value.accepts(number));
            Ok(match first {
                Some(answer) => graded(answer.weight, answer.feedback.iter().cloned().collect()),
                None => graded(0.0, Vec::new()),
            })
        }
        (Answers::Matching { pairs }, Response::Matching(chosen)) => {
            let prompts = matching_prompts(pairs);
            let offered = matching_answers(pairs);
            if chosen.len() != prompts.len() {
                return Err(ResponseError::WrongKind);
            }
            if chosen.iter().all(Option::is_none) {
                return Err(ResponseError::Empty);
            }
            let right = prompts
                .iter()
                .zip(chosen)
                .filter(|(pair, choice)| choice.and_then(|i| offered.get(i)) == Some(&&pair.answer))
                .count();
            Ok(graded(right as f64 / prompts.len() as f64, Vec::new()))
        }
        _ => Err(ResponseError::WrongKind),
    }
}

/// The right answers, for learners once revealing is allowed: the texts of right choices,
/// accepted short answers, numeric values, matching pairs.
pub fn right_answers(question: &Question) -> Vec<String> {
    let full = |w: f64| w >= 0.999_999;
    match &question.answers {
        Answers::Description | Answers::Essay => Vec::new(),
        Answers::TrueFalse { correct, .. } => vec![if *correct { "true" } else { "false" }.to_owned()],
        Answers::Choice { choices, .. } => {
            choices.iter().filter(|c| c.weight > 0.0).map(|c| c.text.to_plain()).collect()
        }
        Answers::ShortAnswer { answers } => {
            answers.iter().filter(|a| full(a.weight)).map(|a| a.text.body.clone()).collect()
        }
        Answers::Numeric { answers } => answers
            .iter()
            .filter(|a| full(a.weight))
            .filter_map(|a| match a.value {
                crate::course::gift::NumericValue::Exact { value, tolerance } if tolerance > 0.0 => {
                    Some(format!("{value} ± {tolerance}"))
                }
                crate::course::gift::NumericValue::Exact { value, .. } => Some(value.to_string()),
                crate::course::gift::NumericValue::Range { min, max } => Some(format!("{min} – {max}")),
                crate::course::gift::NumericValue::Any => None,
            })
            .collect(),
        Answers::Matching { pairs } => matching_prompts(pairs)
            .iter()
            .map(|p| format!("{} → {}", p.prompt.to_plain(), p.answer.to_plain()))
            .collect(),
    }
}

/// A permutation of `0..len` that depends only on `seed`: answers shuffled the same way for the
/// whole of an attempt (and after a reload), differently from one attempt to the next.
pub fn shuffled_order(len: usize, seed: &str) -> Vec<usize> {
    let mut state = crate::course::gift::fnv1a(seed) | 1;
    let mut next = move || {
        // xorshift64: small, fast, and the same on every platform.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        let j = usize::try_from(next() % (i as u64 + 1)).unwrap_or(0);
        order.swap(i, j);
    }
    order
}

/// The outcome of a graded attempt at an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptScore {
    pub raw: f64,
    pub max: f64,
    /// `raw / max`, between 0 and 1.
    pub scaled: f64,
    pub passed: bool,
    /// The pass mark `passed` was decided with: the verdict is decided once, and a copy of the
    /// attempt scored again later keeps it ([`AttemptScore::pass_mark_to_keep`]). `None` in
    /// attempts stored before Parcours kept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_mark: Option<f64>,
}

impl AttemptScore {
    /// The pass mark to score a copy of this attempt again with (a file imported, progress
    /// resumed from an LMS), when `in_force` is the pass mark of the session reading it (the
    /// LMS's mastery score in a cmi5 launch, the course's otherwise).
    ///
    /// The mark the attempt was decided with is kept, so that its verdict never changes (cmi5:
    /// `passed` once per registration, and sent when earned). But a copy is untrusted: a mark
    /// lower than the one in force, or no number between 0 and 1, is not believed, and an
    /// attempt stored before marks were kept is judged with the one in force.
    pub fn pass_mark_to_keep(&self, in_force: f64) -> f64 {
        self.pass_mark.filter(|mark| (in_force..=1.0).contains(mark)).unwrap_or(in_force)
    }
}

/// Scores an attempt: one mark per graded question (essays and descriptions excluded),
/// unanswered or unreadable responses earn nothing.
pub fn score_attempt(questions: &[Question], responses: &[Option<Response>], pass_mark: f64) -> AttemptScore {
    let mut raw = 0.0;
    let mut max = 0.0;
    for (question, response) in questions.iter().zip(responses.iter().chain(std::iter::repeat(&None))) {
        if matches!(question.answers, Answers::Essay | Answers::Description) {
            continue;
        }
        max += 1.0;
        if let Some(Ok(Grade { credit: Some(credit), .. })) = response.as_ref().map(|r| grade(question, r)) {
            raw += credit;
        }
    }
    let scaled = if max > 0.0 { raw / max } else { 1.0 };
    AttemptScore { raw, max, scaled, passed: scaled + 1e-9 >= pass_mark, pass_mark: Some(pass_mark) }
}

#[cfg(test)]
mod tests;
