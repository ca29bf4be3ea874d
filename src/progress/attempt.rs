//! The attempt at an assessment under way, kept with the rest of the progress: its questions in
//! the order asked, each question's choices in the order shown, the answers given so far and the
//! question on screen, saved at each answer. A reload, a discarded tab, a browser restart or an
//! LMS relaunch resumes it: the same attempt, not a new one (no new shuffle, no attempt counted,
//! no statement sent twice: `answered` goes with the finished attempt).

use super::{AttemptRecord, CourseProgress, Millis, PassMarks};
use crate::course::{Assessment, AssessmentId, Course};
use crate::quiz::{score_attempt, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An attempt started and not finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptUnderWay {
    /// The questions, by id, in the order they are asked.
    pub questions: Vec<String>,
    /// The order each shuffled question shows its choices in (indexes into its choices).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub choice_orders: BTreeMap<String, Vec<usize>>,
    /// The answers given so far, by question id.
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    /// The question on screen: an index into `questions`.
    pub position: usize,
    pub started_at: Millis,
    /// The last answer or move: the later copy wins between tabs.
    pub updated_at: Millis,
}

impl AttemptUnderWay {
    /// The question on screen, counted from 1, and how many there are.
    pub fn step(&self) -> (usize, usize) {
        (self.position.min(self.questions.len().saturating_sub(1)) + 1, self.questions.len())
    }

    /// The answers in the order of `questions`.
    pub fn responses_in_order(&self) -> Vec<Option<Response>> {
        self.questions.iter().map(|id| self.responses.get(id).cloned()).collect()
    }

    /// Whether the attempt was left longer than the assessment allows (its `attempt-timeout`,
    /// counted from the last answer or move).
    pub fn timed_out(&self, assessment: &Assessment, now: Millis) -> bool {
        assessment.attempt_timeout_minutes.is_some_and(|minutes| now - self.updated_at > f64::from(minutes) * 60_000.0)
    }

    /// Fits the attempt to the assessment as it is now: questions removed from it are dropped
    /// (with their answers), questions added are asked last, and a choice order that is not one
    /// of the question's choices is forgotten (the question shows them as written).
    fn fit(&mut self, assessment: &Assessment) {
        let current: Vec<&crate::course::Question> = assessment.questions().collect();
        self.questions.retain(|id| current.iter().any(|q| q.id.as_str() == id));
        let mut seen = std::collections::BTreeSet::new();
        self.questions.retain(|id| seen.insert(id.clone()));
        for question in &current {
            if !self.questions.iter().any(|id| id == question.id.as_str()) {
                self.questions.push(question.id.to_string());
            }
        }
        self.responses.retain(|id, _| self.questions.contains(id));
        self.choice_orders.retain(|id, order| {
            let Some(question) = current.iter().find(|q| q.id.as_str() == id) else { return false };
            let choices = match &question.answers {
                crate::course::gift::Answers::Choice { choices, .. } => choices.len(),
                _ => return false,
            };
            let mut sorted = order.clone();
            sorted.sort_unstable();
            sorted == (0..choices).collect::<Vec<_>>()
        });
        self.position = self.position.min(self.questions.len().saturating_sub(1));
    }
}

impl CourseProgress {
    /// The attempt under way at `assessment`, if any.
    pub fn attempt_under_way(&self, assessment: &AssessmentId) -> Option<&AttemptUnderWay> {
        self.attempts_under_way.get(assessment.as_str())
    }

    /// Starts an attempt: the assessment's questions in their written order, each shuffled
    /// question's choices in `choice_orders` (by question id).
    pub fn start_attempt(
        &mut self,
        course: &Course,
        assessment: &AssessmentId,
        choice_orders: BTreeMap<String, Vec<usize>>,
        now: Millis,
    ) {
        let Some(found) = course.assessment(assessment) else { return };
        let mut attempt = AttemptUnderWay {
            questions: found.questions().map(|q| q.id.to_string()).collect(),
            choice_orders,
            responses: BTreeMap::new(),
            position: 0,
            started_at: now,
            updated_at: now,
        };
        attempt.fit(found);
        self.attempts_under_way.insert(assessment.to_string(), attempt);
        self.position = Some(super::Position::Assessment(assessment.to_string()));
        self.updated_at = self.updated_at.max(now);
    }

    /// The learner answered (or cleared, `None`) a question of the attempt under way.
    pub fn answer_in_attempt(
        &mut self,
        assessment: &AssessmentId,
        question: &str,
        response: Option<Response>,
        now: Millis,
    ) {
        let Some(attempt) = self.attempts_under_way.get_mut(assessment.as_str()) else { return };
        if !attempt.questions.iter().any(|id| id == question) {
            return;
        }
        match response {
            Some(response) => attempt.responses.insert(question.to_owned(), response),
            None => attempt.responses.remove(question),
        };
        attempt.updated_at = attempt.updated_at.max(now);
        self.updated_at = self.updated_at.max(now);
    }

    /// The learner moved to another question of the attempt under way.
    pub fn move_in_attempt(&mut self, assessment: &AssessmentId, position: usize, now: Millis) {
        let Some(attempt) = self.attempts_under_way.get_mut(assessment.as_str()) else { return };
        attempt.position = position.min(attempt.questions.len().saturating_sub(1));
        attempt.updated_at = attempt.updated_at.max(now);
        self.updated_at = self.updated_at.max(now);
    }

    /// Finishes the attempt under way: scored with `pass_mark`, recorded as a finished attempt
    /// (which sends its statements), and no longer under way. The record, if there was one.
    pub fn finish_attempt(
        &mut self,
        course: &Course,
        assessment: &AssessmentId,
        pass_mark: f64,
        now: Millis,
    ) -> Option<AttemptRecord> {
        let found = course.assessment(assessment)?;
        let mut attempt = self.attempts_under_way.remove(assessment.as_str())?;
        attempt.fit(found);
        // Scored in the assessment's own order, as every finished attempt is.
        let questions: Vec<crate::course::Question> = found.questions().cloned().collect();
        let in_order: Vec<Option<Response>> =
            questions.iter().map(|q| attempt.responses.get(q.id.as_str()).cloned()).collect();
        let record = AttemptRecord {
            score: score_attempt(&questions, &in_order, pass_mark),
            responses: attempt.responses,
            started_at: attempt.started_at,
            finished_at: now.max(attempt.started_at),
        };
        self.record_attempt(course, assessment, record.clone());
        Some(record)
    }

    /// Closes, scored as they stand, the attempts left longer than their assessment allows (see
    /// [`AttemptUnderWay::timed_out`]). The assessments whose attempt was closed.
    pub fn close_timed_out_attempts(
        &mut self,
        course: &Course,
        pass_marks: PassMarks,
        now: Millis,
    ) -> Vec<AssessmentId> {
        let timed_out: Vec<AssessmentId> = course
            .assessments
            .iter()
            .filter(|a| self.attempts_under_way.get(a.id.as_str()).is_some_and(|attempt| attempt.timed_out(a, now)))
            .map(|a| a.id.clone())
            .collect();
        for id in &timed_out {
            if let Some(assessment) = course.assessment(id) {
                self.finish_attempt(course, id, pass_marks.of(assessment), now);
            }
        }
        timed_out
    }

    /// Fits the attempts under way to the course as it is now (see [`AttemptUnderWay::fit`]).
    pub(super) fn fit_attempts_under_way(&mut self, course: &Course) {
        self.attempts_under_way.retain(|id, attempt| match course.assessments.iter().find(|a| a.id.as_str() == id) {
            Some(assessment) => {
                attempt.fit(assessment);
                !attempt.questions.is_empty()
            }
            None => false,
        });
    }

    /// An imported or LMS copy's attempts under way, made to say only what they can: answers
    /// that do not fit their question dropped, dates within `started..=now`.
    pub(super) fn regrade_attempts_under_way(&mut self, course: &Course, now: Millis) {
        self.fit_attempts_under_way(course);
        for (id, attempt) in &mut self.attempts_under_way {
            let Some(assessment) = course.assessments.iter().find(|a| a.id.as_str() == id) else { continue };
            attempt.responses.retain(|question, response| {
                assessment
                    .questions()
                    .find(|q| q.id.as_str() == question)
                    .is_some_and(|q| crate::quiz::grade(q, response).is_ok())
            });
            let clamp = |at: Millis| if at.is_finite() { at.clamp(0.0, now) } else { now };
            attempt.updated_at = clamp(attempt.updated_at);
            attempt.started_at = clamp(attempt.started_at).min(attempt.updated_at);
        }
    }

    /// Takes in another copy's attempts under way (another tab, an LMS, a file): for each
    /// assessment, the copy touched last wins; an attempt that either copy has finished is no
    /// longer under way.
    pub(super) fn merge_attempts_under_way(&mut self, other: &CourseProgress) {
        for (id, theirs) in &other.attempts_under_way {
            let newer = self.attempts_under_way.get(id).is_none_or(|ours| theirs.updated_at > ours.updated_at);
            if newer {
                self.attempts_under_way.insert(id.clone(), theirs.clone());
            }
        }
        let finished = |id: &str, attempt: &AttemptUnderWay| {
            self.attempts.get(id).is_some_and(|list| list.iter().any(|done| done.started_at == attempt.started_at))
        };
        let done: Vec<String> =
            self.attempts_under_way.iter().filter(|(id, a)| finished(id, a)).map(|(id, _)| id.clone()).collect();
        for id in done {
            self.attempts_under_way.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests;
