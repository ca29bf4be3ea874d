//! A learner's progress in one course: a pure state machine, its stored form and its migrations.
//!
//! Rules (documented for authors in the guide course, `courses/writing-a-course`):
//! - a lesson is **visited** when opened, and **completed** when the learner reaches its end (the
//!   previous/next buttons come into view) or has checked every one of its practice questions,
//!   and each of its videos and sounds is done (watched to the course's threshold, played to its
//!   end, or its transcript opened: see [`media`]);
//! - the course is **completed** when every lesson is completed, and **passed** when, besides,
//!   every assessment has a passing attempt (a course without assessment is passed when completed);
//! - progress is keyed by stable ids, so after the author edits the course, what concerns unchanged
//!   lessons and questions is kept and what was removed is dropped ([`CourseProgress::reconcile`]).

pub mod attempt;
pub mod compact;
pub mod media;
pub mod store;

use crate::course::{AssessmentId, Course, LessonId, MediaId, QuestionId};
use crate::quiz::{AttemptScore, Grade, Response};
pub use attempt::AttemptUnderWay;
use media::{MediaEvent, MediaProgress, MediaSession, MediaSignal};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of the stored shape; older shapes are migrated, newer ones are kept aside.
pub const SCHEMA_VERSION: u32 = 1;

/// Milliseconds since the Unix epoch (what `Date.now()` gives).
pub type Millis = f64;

/// Who sets the pass mark of the assessments in this session: the course, unless the LMS that
/// launched it gives a mastery score (cmi5's `masteryScore`), which then replaces every one.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PassMarks {
    pub lms_mastery_score: Option<f64>,
}

impl PassMarks {
    /// The course's own pass marks.
    pub const COURSE: PassMarks = PassMarks { lms_mastery_score: None };

    /// The pass mark of `assessment` in force now.
    pub fn of(self, assessment: &crate::course::Assessment) -> f64 {
        self.lms_mastery_score.unwrap_or(assessment.pass_mark)
    }
}

/// Where the learner was, to resume there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Position {
    Lesson(String),
    Assessment(String),
}

/// A lesson's progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    pub visited_at: Millis,
    pub completed_at: Option<Millis>,
    /// When its own condition was met (its end came into view, or its questions were all
    /// checked): it is completed then, or once its videos and sounds are done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reached_at: Option<Millis>,
}

/// The last checked answer to a practice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub response: Response,
    pub grade: Grade,
    pub at: Millis,
}

/// One finished attempt at an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    pub score: AttemptScore,
    /// The responses, by question id.
    pub responses: BTreeMap<String, Response>,
    pub started_at: Millis,
    pub finished_at: Millis,
}

/// Everything Parcours keeps about a learner in one course.
///
/// The methods take typed ids (`&LessonId`, `&AssessmentId`, `&QuestionId`), but the stored maps
/// are keyed by the ids' text on purpose: stored and imported progress outlives the course
/// version it was made with, and a key that no longer names anything (or was hand-edited) must
/// be dropped by reconciling with the course, not make the whole record unreadable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseProgress {
    /// The stored shape's version ([`SCHEMA_VERSION`]).
    pub version: u32,
    /// The course's IRI, so a file of another course is recognised on import.
    pub course_id: String,
    /// The course's content version when this was last reconciled with it.
    pub content_version: String,
    /// A UUID for this enrolment (xAPI `registration`).
    pub registration: String,
    pub started_at: Millis,
    /// Changed at every transition; the newest copy wins between tabs.
    pub updated_at: Millis,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerRecord>,
    #[serde(default)]
    pub attempts: BTreeMap<String, Vec<AttemptRecord>>,
    /// Attempts started and not finished, by assessment id (see [`attempt`]). Absent from
    /// progress stored before they were kept: read as none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attempts_under_way: BTreeMap<String, AttemptUnderWay>,
    pub position: Option<Position>,
    /// Videos and sounds, by `lesson/media` id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub media: BTreeMap<String, MediaProgress>,
    /// Time spent with the course in view and in use.
    #[serde(default)]
    pub active_ms: u64,
    pub completed_at: Option<Millis>,
    pub passed_at: Option<Millis>,
    /// The learner's answer to the satisfaction survey, the latest one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<SatisfactionAnswer>,
    /// The course's results the LMS that launched it has taken for this registration. A cmi5
    /// LMS takes `completed` and `passed` once per registration: one it never took (the page
    /// closed while it could not be sent) is sent again at the next launch, and only then.
    #[serde(default, skip_serializing_if = "LmsResults::is_empty")]
    pub lms_acknowledged: LmsResults,
}

/// Which of the course's results an LMS has acknowledged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LmsResults {
    #[serde(default)]
    pub completed: bool,
    #[serde(default)]
    pub passed: bool,
}

impl LmsResults {
    pub fn is_empty(&self) -> bool {
        !self.completed && !self.passed
    }

    /// Both copies' acknowledgements: what either LMS copy took was taken.
    pub fn union(self, other: LmsResults) -> LmsResults {
        LmsResults { completed: self.completed || other.completed, passed: self.passed || other.passed }
    }
}

/// A satisfaction rating, from 1 to 5, with an optional comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionAnswer {
    pub rating: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub at: Millis,
}

/// Why a satisfaction answer was not recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SatisfactionError {
    #[error("the course asks for no satisfaction survey")]
    Disabled,
    #[error("a rating is from 1 to 5")]
    RatingOutOfRange,
    #[error("the comment is longer than {0} characters")]
    CommentTooLong(u32),
}

/// How far a learner is, derived from progress and the course (never stored).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub lessons_completed: usize,
    pub lessons_total: usize,
    /// (completed, total) per module, in course order.
    pub modules: Vec<(usize, usize)>,
    /// Best scaled score per assessment (course order); `None` when not attempted.
    pub best_scores: Vec<Option<f64>>,
    pub completed: bool,
    pub passed: bool,
}

impl CourseProgress {
    /// A fresh enrolment in `course`.
    pub fn new(course: &Course, registration: String, now: Millis) -> CourseProgress {
        CourseProgress {
            version: SCHEMA_VERSION,
            course_id: course.id.to_string(),
            content_version: course.version.clone(),
            registration,
            started_at: now,
            updated_at: now,
            lessons: BTreeMap::new(),
            answers: BTreeMap::new(),
            attempts: BTreeMap::new(),
            attempts_under_way: BTreeMap::new(),
            position: None,
            media: BTreeMap::new(),
            active_ms: 0,
            completed_at: None,
            passed_at: None,
            satisfaction: None,
            lms_acknowledged: LmsResults::default(),
        }
    }

    /// The learner's satisfaction: a rating from 1 to 5 and an optional comment (trimmed; empty
    /// is none). A new answer replaces the previous one.
    pub fn record_satisfaction(
        &mut self,
        course: &Course,
        rating: u8,
        comment: &str,
        now: Millis,
    ) -> Result<(), SatisfactionError> {
        let settings = course.satisfaction;
        if !settings.enabled {
            return Err(SatisfactionError::Disabled);
        }
        if !(1..=5).contains(&rating) {
            return Err(SatisfactionError::RatingOutOfRange);
        }
        let comment = comment.trim();
        if comment.chars().count() > settings.comment_max_length as usize {
            return Err(SatisfactionError::CommentTooLong(settings.comment_max_length));
        }
        let comment = (!comment.is_empty()).then(|| comment.to_owned());
        self.satisfaction = Some(SatisfactionAnswer { rating, comment, at: now });
        self.touch(course, now);
        Ok(())
    }

    /// The learner opened a lesson.
    pub fn visit_lesson(&mut self, course: &Course, lesson: &LessonId, now: Millis) {
        if course.lesson(lesson).is_none() {
            return;
        }
        self.lessons.entry(lesson.to_string()).or_insert(LessonProgress::visited(now));
        self.position = Some(Position::Lesson(lesson.to_string()));
        self.touch(course, now);
    }

    /// The learner reached the end of a lesson: it is completed, or will be once its videos and
    /// sounds are done.
    pub fn complete_lesson(&mut self, course: &Course, lesson: &LessonId, now: Millis) {
        if course.lesson(lesson).is_none() {
            return;
        }
        let entry = self.lessons.entry(lesson.to_string()).or_insert(LessonProgress::visited(now));
        entry.end_reached_at.get_or_insert(now);
        self.complete_if_done(course, lesson, now);
        self.touch(course, now);
    }

    /// Completes a lesson whose end was reached (or whose questions are all checked) once each
    /// of its media is done.
    fn complete_if_done(&mut self, course: &Course, lesson: &LessonId, now: Millis) {
        let Some((_, found)) = course.lesson(lesson) else { return };
        // A hosted player cannot be followed from the page: only the media played here count.
        let media_done = found
            .media()
            .filter(|m| matches!(m.source, crate::course::MediaSource::File { .. }))
            .all(|m| self.media.get(&media_key(lesson, &m.id)).is_some_and(MediaProgress::done));
        let entry = self.lessons.entry(lesson.to_string()).or_insert(LessonProgress::visited(now));
        if entry.completed_at.is_none() && entry.end_reached_at.is_some() && media_done {
            entry.completed_at = Some(now);
        }
    }

    /// What a video or a sound of a lesson reported; returns the video-profile statements it
    /// calls for. A lesson waiting for its media is completed when they are done.
    pub fn record_media(
        &mut self,
        course: &Course,
        lesson: &LessonId,
        media: &MediaId,
        session: &mut MediaSession,
        signal: MediaSignal,
        now: Millis,
    ) -> Vec<MediaEvent> {
        if course.lesson(lesson).is_none_or(|(_, l)| l.media().all(|m| m.id != *media)) {
            return Vec::new();
        }
        let entry = self.media.entry(media_key(lesson, media)).or_default();
        let events = session.on(signal, entry, course.media_completion_threshold, now);
        self.complete_if_done(course, lesson, now);
        self.touch(course, now);
        events
    }

    /// The learner opened the transcript of a video or a sound.
    pub fn read_transcript(&mut self, course: &Course, lesson: &LessonId, media: &MediaId, now: Millis) {
        if course.lesson(lesson).is_none_or(|(_, l)| l.media().all(|m| m.id != *media)) {
            return;
        }
        self.media.entry(media_key(lesson, media)).or_default().transcript_read = true;
        self.complete_if_done(course, lesson, now);
        self.touch(course, now);
    }

    /// Where the learner stopped in a media, to resume there.
    pub fn media_progress(&self, lesson: &LessonId, media: &MediaId) -> Option<&MediaProgress> {
        self.media.get(&media_key(lesson, media))
    }

    /// The learner checked a practice question; a lesson whose questions are all checked is completed.
    pub fn record_answer(
        &mut self,
        course: &Course,
        question: &QuestionId,
        response: Response,
        grade: Grade,
        now: Millis,
    ) {
        self.answers.insert(question.to_string(), AnswerRecord { response, grade, at: now });
        let lesson = course.lessons().find(|l| l.questions().any(|q| q.id == *question));
        if let Some(lesson) = lesson {
            let all_checked = lesson.questions().all(|q| self.answers.contains_key(q.id.as_str()));
            if all_checked {
                let id = lesson.id.clone();
                self.complete_lesson(course, &id, now);
            }
        }
        self.touch(course, now);
    }

    /// The learner opened an assessment.
    pub fn visit_assessment(&mut self, course: &Course, assessment: &AssessmentId, now: Millis) {
        if course.assessment(assessment).is_some() {
            self.position = Some(Position::Assessment(assessment.to_string()));
            self.touch(course, now);
        }
    }

    /// The learner finished an attempt at an assessment.
    pub fn record_attempt(&mut self, course: &Course, assessment: &AssessmentId, attempt: AttemptRecord) {
        let now = attempt.finished_at;
        self.attempts.entry(assessment.to_string()).or_default().push(attempt);
        self.touch(course, now);
    }

    /// Active time, counted by the player while the course is in view and in use.
    pub fn add_active_time(&mut self, ms: u64, now: Millis) {
        self.active_ms = self.active_ms.saturating_add(ms);
        self.updated_at = self.updated_at.max(now);
    }

    /// How many attempts are left at an assessment (`None`: unlimited).
    pub fn attempts_left(&self, course: &Course, assessment: &AssessmentId) -> Option<u32> {
        let allowed = course.assessment(assessment)?.attempts?;
        let used = self.attempts.get(assessment.as_str()).map_or(0, Vec::len);
        Some(allowed.saturating_sub(u32::try_from(used).unwrap_or(u32::MAX)))
    }

    pub fn lesson_completed(&self, lesson: &LessonId) -> bool {
        self.lessons.get(lesson.as_str()).is_some_and(|l| l.completed_at.is_some())
    }

    /// What the course page shows.
    pub fn summary(&self, course: &Course) -> Summary {
        let modules: Vec<(usize, usize)> = course
            .modules
            .iter()
            .map(|m| (m.lessons.iter().filter(|l| self.lesson_completed(&l.id)).count(), m.lessons.len()))
            .collect();
        let lessons_completed = modules.iter().map(|m| m.0).sum();
        let lessons_total = modules.iter().map(|m| m.1).sum();
        let best_scores: Vec<Option<f64>> = course
            .assessments
            .iter()
            .map(|a| {
                self.attempts.get(a.id.as_str()).and_then(|list| list.iter().map(|r| r.score.scaled).reduce(f64::max))
            })
            .collect();
        let completed = lessons_completed == lessons_total;
        let passed = completed
            && course
                .assessments
                .iter()
                .all(|a| self.attempts.get(a.id.as_str()).is_some_and(|list| list.iter().any(|r| r.score.passed)));
        Summary { lessons_completed, lessons_total, modules, best_scores, completed, passed }
    }

    /// Records completion and success the first time they happen.
    fn touch(&mut self, course: &Course, now: Millis) {
        self.updated_at = self.updated_at.max(now);
        let summary = self.summary(course);
        if summary.completed && self.completed_at.is_none() {
            self.completed_at = Some(now);
        }
        if summary.passed && self.passed_at.is_none() {
            self.passed_at = Some(now);
        }
    }

    /// Fits progress to the course as it is now: what concerns removed lessons, questions and
    /// assessments is dropped, the rest is kept. Returns whether anything changed.
    pub fn reconcile(&mut self, course: &Course) -> bool {
        let before = self.clone();
        self.lessons.retain(|id, _| course.lessons().any(|l| l.id.as_str() == id));
        let question_ids: Vec<String> =
            course.lessons().flat_map(|l| l.questions()).map(|q| q.id.to_string()).collect();
        self.answers.retain(|id, _| question_ids.contains(id));
        self.attempts.retain(|id, _| course.assessments.iter().any(|a| a.id.as_str() == id));
        self.fit_attempts_under_way(course);
        let media_keys: Vec<String> =
            course.lessons().flat_map(|l| l.media().map(|m| media_key(&l.id, &m.id)).collect::<Vec<_>>()).collect();
        self.media.retain(|key, _| media_keys.contains(key));
        let position_exists = match &self.position {
            Some(Position::Lesson(id)) => course.lessons().any(|l| l.id.as_str() == id),
            Some(Position::Assessment(id)) => course.assessments.iter().any(|a| a.id.as_str() == id),
            None => true,
        };
        if !position_exists {
            self.position = None;
        }
        self.content_version = course.version.clone();
        // A course that gained a lesson is no longer complete for this learner.
        let summary = self.summary(course);
        if !summary.completed {
            self.completed_at = None;
        }
        if !summary.passed {
            self.passed_at = None;
        }
        *self != before
    }

    /// Makes progress that came from outside (an imported file) say only what its responses
    /// earn: every grade and attempt score is computed again from the responses, responses that
    /// do not fit their question are dropped, attempts beyond those allowed are dropped (the
    /// earliest kept), dates are clamped to `now`, and completion and success follow from the
    /// result. A hand-edited `"passed": true` or a score of 100 % gives nothing.
    ///
    /// Each attempt keeps the pass mark it was decided with, so its verdict is the one the
    /// learner (and an LMS) was given; `pass_marks` are those in force in this session, the floor
    /// below which a mark in the copy is not believed ([`AttemptScore::pass_mark_to_keep`]).
    pub fn regrade_untrusted(&mut self, course: &Course, now: Millis, pass_marks: PassMarks) {
        let clamp = |at: Millis| if at.is_finite() { at.clamp(0.0, now) } else { now };
        self.reconcile(course);
        let questions: Vec<&crate::course::Question> = course.lessons().flat_map(|l| l.questions()).collect();
        self.answers.retain(|id, record| {
            let Some(question) = questions.iter().find(|q| q.id.as_str() == id) else { return false };
            match crate::quiz::grade(question, &record.response) {
                Ok(grade) => {
                    record.grade = grade;
                    record.at = clamp(record.at);
                    true
                }
                Err(_) => false,
            }
        });
        for assessment in &course.assessments {
            let Some(attempts) = self.attempts.get_mut(assessment.id.as_str()) else { continue };
            if let Some(allowed) = assessment.attempts {
                crate::small_sort::sort_by(attempts, |a, b| a.finished_at.total_cmp(&b.finished_at).is_lt());
                attempts.truncate(allowed as usize);
            }
            let questions: Vec<crate::course::Question> = assessment.questions().cloned().collect();
            for attempt in attempts.iter_mut() {
                attempt.responses.retain(|id, response| {
                    questions
                        .iter()
                        .find(|q| q.id.as_str() == id)
                        .is_some_and(|q| crate::quiz::grade(q, response).is_ok())
                });
                let in_order: Vec<Option<crate::quiz::Response>> =
                    questions.iter().map(|q| attempt.responses.get(q.id.as_str()).cloned()).collect();
                let pass_mark = attempt.score.pass_mark_to_keep(pass_marks.of(assessment));
                attempt.score = crate::quiz::score_attempt(&questions, &in_order, pass_mark);
                attempt.finished_at = clamp(attempt.finished_at);
                attempt.started_at = clamp(attempt.started_at).min(attempt.finished_at);
            }
        }
        self.regrade_attempts_under_way(course, now);
        for lesson in self.lessons.values_mut() {
            lesson.visited_at = clamp(lesson.visited_at);
            lesson.completed_at = lesson.completed_at.map(clamp);
            lesson.end_reached_at = lesson.end_reached_at.map(clamp);
        }
        // A media counts as watched for what its played parts say, not for a date in a file.
        for media in self.media.values_mut() {
            let watched = media.played.progress(media.length) >= course.media_completion_threshold;
            media.completed_at = watched.then(|| clamp(media.completed_at.unwrap_or(now)));
            media.position = if media.position.is_finite() { media.position.max(0.0) } else { 0.0 };
        }
        self.started_at = clamp(self.started_at);
        self.updated_at = clamp(self.updated_at).max(self.started_at);
        let summary = self.summary(course);
        self.completed_at = summary.completed.then(|| clamp(self.completed_at.unwrap_or(now)));
        self.passed_at = summary.passed.then(|| clamp(self.passed_at.unwrap_or(now)));
    }

    /// Combines two copies of the same enrolment (two tabs, or an import): nothing done in
    /// either is lost. Lessons keep their earliest dates, answers their latest, attempts are united.
    pub fn merge(&mut self, other: &CourseProgress) {
        for (id, theirs) in &other.lessons {
            let ours = self.lessons.entry(id.clone()).or_insert(*theirs);
            ours.visited_at = ours.visited_at.min(theirs.visited_at);
            ours.end_reached_at = match (ours.end_reached_at, theirs.end_reached_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            ours.completed_at = match (ours.completed_at, theirs.completed_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        for (id, theirs) in &other.answers {
            let newer = self.answers.get(id).is_none_or(|ours| theirs.at > ours.at);
            if newer {
                self.answers.insert(id.clone(), theirs.clone());
            }
        }
        for (id, theirs) in &other.attempts {
            let ours = self.attempts.entry(id.clone()).or_default();
            for attempt in theirs {
                if !ours.iter().any(|a| a.started_at == attempt.started_at && a.finished_at == attempt.finished_at) {
                    ours.push(attempt.clone());
                }
            }
            crate::small_sort::sort_by(ours, |a, b| a.finished_at.total_cmp(&b.finished_at).is_lt());
        }
        for (key, theirs) in &other.media {
            let newer = other.updated_at > self.updated_at;
            self.media.entry(key.clone()).or_default().merge(theirs, newer);
        }
        if other.updated_at > self.updated_at {
            self.position = other.position.clone().or(self.position.take());
        }
        self.active_ms = self.active_ms.max(other.active_ms);
        self.started_at = self.started_at.min(other.started_at);
        self.updated_at = self.updated_at.max(other.updated_at);
        self.completed_at = match (self.completed_at, other.completed_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.passed_at = match (self.passed_at, other.passed_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.lms_acknowledged = self.lms_acknowledged.union(other.lms_acknowledged);
        self.merge_attempts_under_way(other);
    }
}

impl LessonProgress {
    fn visited(now: Millis) -> LessonProgress {
        LessonProgress { visited_at: now, completed_at: None, end_reached_at: None }
    }
}

/// The key of a media in [`CourseProgress::media`].
pub fn media_key(lesson: &LessonId, media: &MediaId) -> String {
    format!("{lesson}/{media}")
}

/// A version 4 UUID from 16 random bytes (the player takes them from `crypto.getRandomValues`).
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests;
