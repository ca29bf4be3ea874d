//! A compact form of progress for an LMS that keeps it for us: SCORM 1.2's `cmi.suspend_data`
//! holds at most 4,096 characters, while the stored form of a completed one-hour course is
//! about 11 KB. Ids are shortened to a 5-character digest, times kept in seconds, and grades are
//! not kept: they are recomputed from the responses, so what the learner sees after a resume is
//! what they saw before.
//!
//! When the full form does not fit, the least useful parts go first: typed texts of practice
//! questions, then attempts other than the best of each assessment, then practice answers.
//! Lessons, attempts' scores and the course's state are always kept.

use super::{AnswerRecord, AttemptRecord, CourseProgress, LessonProgress, Millis, PassMarks, Position, SCHEMA_VERSION};
use crate::course::Course;
use crate::quiz::{grade, score_attempt, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What SCORM 1.2 allows in `cmi.suspend_data` (CMIString4096).
pub const SUSPEND_DATA_MAX_CHARS: usize = 4096;

/// The compact form: short keys, since every character counts. Lessons, questions and
/// assessments are named by a 5-character digest of their id ([`short_id`]), so that progress
/// survives the author adding, moving or removing lessons, as the stored form does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Compact {
    /// The form's version.
    v: u32,
    /// The course's content version when saved.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    cv: String,
    r: String,
    /// Started and last updated, in seconds since the epoch.
    s: u64,
    u: u64,
    /// Active time, in seconds.
    t: u64,
    /// Lessons visited: short id followed by `1` (visited), `2` (completed) or `3` (its end
    /// reached, a video of it not yet watched), end to end.
    l: String,
    /// Videos and sounds: short id of `lesson/media` → (where to resume, in seconds; `1` when
    /// watched to the threshold + `2` when played to its end + `4` when its transcript was read;
    /// its length in seconds; the parts played, merged, as `0-80.5,90-100`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    m: BTreeMap<String, (u64, u8, u64, String)>,
    /// Practice answers: short id of the question → response.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    a: BTreeMap<String, String>,
    /// Attempts: (short id of the assessment, start and end in seconds after `s`, short id of
    /// each answered question → response, the pass mark its verdict was decided with).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    x: Vec<CompactAttempt>,
    /// Where the learner was: `l` or `a` (lesson or assessment) and its short id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<String>,
    /// Completed and passed, in seconds after `s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    c: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    w: Option<u64>,
    /// The satisfaction rating and when it was given, in seconds after `s` (the comment, up to a
    /// thousand characters, does not fit and is not kept: it was sent with the rating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    q: Option<(u8, u64)>,
    /// The results the LMS acknowledged: `1` completed + `2` passed.
    #[serde(default, skip_serializing_if = "is_zero")]
    k: u8,
    /// Attempts under way: (short id of the assessment, start and last change in seconds after
    /// `s`, the question on screen, the questions' short ids end to end in the order asked, short
    /// id of each shuffled question → its choice order as `2.0.1`, short id of each answered
    /// question → response).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    y: Vec<CompactUnderWay>,
}

type CompactUnderWay = (String, u64, u64, usize, String, BTreeMap<String, String>, BTreeMap<String, String>);

fn is_zero(value: &u8) -> bool {
    *value == 0
}

/// An attempt in the compact form. Forms written before pass marks were kept have four
/// elements; those attempts are judged with the pass mark in force when read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum CompactAttempt {
    Decided(String, u64, u64, BTreeMap<String, String>, f64),
    Older(String, u64, u64, BTreeMap<String, String>),
}

/// Characters of a short id.
const SHORT_ID_LEN: usize = 5;

/// A 5-character digest (FNV-1a, base 36) of an id: about 60 million values, so two lessons or
/// two questions of one course share one with a chance under 1 in 10,000 for 100 of them; an
/// ambiguous short id is left out when reading (what it held is lost, nothing is misread).
pub fn short_id(id: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in id.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    let mut value = hash % 36u32.pow(SHORT_ID_LEN as u32);
    let mut digits = [b'0'; SHORT_ID_LEN];
    for digit in digits.iter_mut().rev() {
        *digit = b"0123456789abcdefghijklmnopqrstuvwxyz"[(value % 36) as usize];
        value /= 36;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// The items of the course by short id, ambiguous ones left out.
fn by_short_id<'a, T>(items: impl Iterator<Item = (&'a str, T)>) -> BTreeMap<String, T> {
    let mut found: BTreeMap<String, Option<T>> = BTreeMap::new();
    for (id, item) in items {
        found.entry(short_id(id)).and_modify(|slot| *slot = None).or_insert(Some(item));
    }
    found.into_iter().filter_map(|(short, item)| Some((short, item?))).collect()
}

const COMPACT_VERSION: u32 = 1;

/// Why progress could not be written in the room given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the course's progress needs {needed} characters even in its shortest form; {max} are allowed")]
pub struct TooLong {
    pub needed: usize,
    pub max: usize,
}

/// Why a compact form was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompactError {
    #[error("the saved progress is not readable: {0}")]
    Unreadable(String),
    #[error("the saved progress was written by a newer player (form {0})")]
    Newer(u32),
}

fn seconds(ms: Millis) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        (ms / 1000.0).round() as u64
    } else {
        0
    }
}

fn millis(seconds: u64) -> Millis {
    seconds as f64 * 1000.0
}

fn encode_response(response: &Response) -> String {
    let indexes = |list: &mut dyn Iterator<Item = String>| list.collect::<Vec<_>>().join(".");
    match response {
        Response::TrueFalse(true) => "t".to_owned(),
        Response::TrueFalse(false) => "f".to_owned(),
        Response::Choices(chosen) => format!("c{}", indexes(&mut chosen.iter().map(usize::to_string))),
        Response::Text(text) => format!("s{text}"),
        Response::Number(number) => format!("n{number}"),
        Response::Matching(pairs) => {
            let mut pairs = pairs.iter().map(|p| p.map_or_else(|| "-".to_owned(), |i| i.to_string()));
            format!("m{}", indexes(&mut pairs))
        }
    }
}

fn decode_response(encoded: &str) -> Option<Response> {
    let mut chars = encoded.chars();
    let kind = chars.next()?;
    let rest = chars.as_str();
    let list = |rest: &str| -> Vec<String> {
        if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('.').map(str::to_owned).collect()
        }
    };
    Some(match kind {
        't' if rest.is_empty() => Response::TrueFalse(true),
        'f' if rest.is_empty() => Response::TrueFalse(false),
        'c' => Response::Choices(list(rest).iter().map(|i| i.parse().ok()).collect::<Option<_>>()?),
        's' => Response::Text(rest.to_owned()),
        'n' => Response::Number(rest.to_owned()),
        'm' => Response::Matching(
            list(rest)
                .iter()
                .map(|i| if i == "-" { Some(None) } else { i.parse().ok().map(Some) })
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// How much is left out to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Detail {
    Full,
    NoPracticeTexts,
    BestAttemptsOnly,
    NoPracticeAnswers,
    /// The attempt under way left out: it stays in this browser only (the caller tells the
    /// learner, see [`leaves_out_attempts_under_way`]).
    NoAttemptsUnderWay,
}

fn compact(progress: &CourseProgress, course: &Course, detail: Detail) -> Compact {
    let start = seconds(progress.started_at);
    let after_start = |ms: Millis| seconds(ms).saturating_sub(start);
    let lessons = course
        .lessons()
        .filter_map(|lesson| {
            let state = match progress.lessons.get(lesson.id.as_str())? {
                LessonProgress { completed_at: Some(_), .. } => '2',
                LessonProgress { end_reached_at: Some(_), .. } => '3',
                _ => '1',
            };
            Some(format!("{}{state}", short_id(lesson.id.as_str())))
        })
        .collect();
    let answers = if detail >= Detail::NoPracticeAnswers {
        BTreeMap::new()
    } else {
        course
            .lessons()
            .flat_map(|l| l.questions())
            .filter_map(|question| {
                let record = progress.answers.get(question.id.as_str())?;
                let text = matches!(record.response, Response::Text(_));
                (!text || detail < Detail::NoPracticeTexts)
                    .then(|| (short_id(question.id.as_str()), encode_response(&record.response)))
            })
            .collect()
    };
    let mut attempts = Vec::new();
    for assessment in &course.assessments {
        let Some(records) = progress.attempts.get(assessment.id.as_str()) else { continue };
        let best = records.iter().max_by(|a, b| a.score.scaled.total_cmp(&b.score.scaled));
        for record in records {
            if detail >= Detail::BestAttemptsOnly && !best.is_some_and(|b| std::ptr::eq(b, record)) {
                continue;
            }
            // Texts of attempts are kept: the score is recomputed from them.
            let responses = record.responses.iter().map(|(id, r)| (short_id(id), encode_response(r))).collect();
            let (assessment, started, finished) =
                (short_id(assessment.id.as_str()), after_start(record.started_at), after_start(record.finished_at));
            attempts.push(match record.score.pass_mark {
                Some(pass_mark) => CompactAttempt::Decided(assessment, started, finished, responses, pass_mark),
                None => CompactAttempt::Older(assessment, started, finished, responses),
            });
        }
    }
    let media = progress
        .media
        .iter()
        .map(|(key, m)| {
            let state =
                u8::from(m.completed_at.is_some()) | u8::from(m.reached_end) << 1 | u8::from(m.transcript_read) << 2;
            let parts =
                m.played.union().iter().map(|(s, e)| format!("{}-{}", tenths(*s), tenths(*e))).collect::<Vec<_>>();
            (short_id(key), (m.position.max(0.0) as u64, state, m.length.ceil() as u64, parts.join(",")))
        })
        .collect();
    let under_way = if detail >= Detail::NoAttemptsUnderWay {
        Vec::new()
    } else {
        course
            .assessments
            .iter()
            .filter_map(|assessment| {
                let attempt = progress.attempts_under_way.get(assessment.id.as_str())?;
                let orders = attempt
                    .choice_orders
                    .iter()
                    .map(|(id, order)| (short_id(id), order.iter().map(usize::to_string).collect::<Vec<_>>().join(".")))
                    .collect();
                let responses = attempt.responses.iter().map(|(id, r)| (short_id(id), encode_response(r))).collect();
                Some((
                    short_id(assessment.id.as_str()),
                    after_start(attempt.started_at),
                    after_start(attempt.updated_at),
                    attempt.position,
                    attempt.questions.iter().map(|id| short_id(id)).collect::<String>(),
                    orders,
                    responses,
                ))
            })
            .collect()
    };
    let position = progress.position.as_ref().map(|position| match position {
        Position::Lesson(id) => format!("l{}", short_id(id)),
        Position::Assessment(id) => format!("a{}", short_id(id)),
    });
    Compact {
        v: COMPACT_VERSION,
        cv: progress.content_version.clone(),
        r: progress.registration.clone(),
        s: start,
        u: seconds(progress.updated_at),
        t: progress.active_ms / 1000,
        l: lessons,
        m: media,
        a: answers,
        x: attempts,
        p: position,
        c: progress.completed_at.map(after_start),
        w: progress.passed_at.map(after_start),
        q: progress.satisfaction.as_ref().map(|answer| (answer.rating, after_start(answer.at))),
        k: u8::from(progress.lms_acknowledged.completed) | u8::from(progress.lms_acknowledged.passed) << 1,
        y: under_way,
    }
}

/// Seconds to a tenth, as short as they can be written: `80`, `80.5`.
fn tenths(seconds: f64) -> String {
    format!("{}", (seconds * 10.0).round() / 10.0)
}

/// Writes `progress` in at most `max_chars` characters, leaving out the least useful parts if
/// it must.
pub fn encode(progress: &CourseProgress, course: &Course, max_chars: usize) -> Result<String, TooLong> {
    let mut needed = 0;
    for detail in [
        Detail::Full,
        Detail::NoPracticeTexts,
        Detail::BestAttemptsOnly,
        Detail::NoPracticeAnswers,
        Detail::NoAttemptsUnderWay,
    ] {
        // As JavaScript writes it: an LMS may forward the State document re-serialized.
        let encoded = crate::wire::to_string(&compact(progress, course, detail)).unwrap_or_default();
        needed = encoded.chars().count();
        if needed <= max_chars {
            return Ok(encoded);
        }
    }
    Err(TooLong { needed, max: max_chars })
}

/// Whether `encoded` (by [`encode`]) had to leave out an attempt under way of `progress`: then it
/// is kept in this browser only, and the learner must be told.
pub fn leaves_out_attempts_under_way(encoded: &str, progress: &CourseProgress) -> bool {
    !progress.attempts_under_way.is_empty()
        && serde_json::from_str::<Compact>(encoded).is_ok_and(|compact| compact.y.is_empty())
}

/// Reads a compact form back against the course as it is now: lessons and questions that no
/// longer exist are dropped, grades and scores are recomputed, each attempt with the pass mark
/// it was decided with (`pass_marks`: those in force in this session, see
/// [`CourseProgress::regrade_untrusted`]).
pub fn decode(encoded: &str, course: &Course, pass_marks: PassMarks) -> Result<CourseProgress, CompactError> {
    let compact: Compact = serde_json::from_str(encoded).map_err(|e| CompactError::Unreadable(e.to_string()))?;
    if compact.v > COMPACT_VERSION {
        return Err(CompactError::Newer(compact.v));
    }
    let start = millis(compact.s);
    let at = |offset: u64| millis(compact.s.saturating_add(offset));
    let updated = millis(compact.u);
    let mut progress = CourseProgress::new(course, compact.r, start);
    progress.version = SCHEMA_VERSION;
    progress.content_version = compact.cv;
    progress.updated_at = updated;
    progress.active_ms = compact.t.saturating_mul(1000);
    let lessons = by_short_id(course.lessons().map(|l| (l.id.as_str(), l)));
    let states = compact.l.as_bytes().chunks(SHORT_ID_LEN + 1);
    for entry in states.filter(|e| e.len() == SHORT_ID_LEN + 1) {
        let short = String::from_utf8_lossy(&entry[..SHORT_ID_LEN]);
        let Some(lesson) = lessons.get(short.as_ref()) else { continue };
        let completed_at = (entry[SHORT_ID_LEN] == b'2').then_some(updated);
        let end_reached_at = matches!(entry[SHORT_ID_LEN], b'2' | b'3').then_some(updated);
        progress
            .lessons
            .insert(lesson.id.to_string(), LessonProgress { visited_at: start, completed_at, end_reached_at });
    }
    let media_keys = course
        .lessons()
        .flat_map(|l| l.media().map(|m| super::media_key(&l.id, &m.id)).collect::<Vec<_>>())
        .collect::<Vec<_>>();
    let media = by_short_id(media_keys.iter().map(|key| (key.as_str(), key)));
    for (short, (position, state, length, parts)) in &compact.m {
        let Some(key) = media.get(short) else { continue };
        let mut played = super::media::PlayedSegments::default();
        for part in parts.split(',') {
            if let Some((start, end)) = part.split_once('-') {
                played.add(start.parse().unwrap_or(0.0), end.parse().unwrap_or(0.0));
            }
        }
        progress.media.insert(
            (*key).clone(),
            super::media::MediaProgress {
                position: *position as f64,
                length: *length as f64,
                played,
                completed_at: (state & 1 != 0).then_some(updated),
                reached_end: state & 2 != 0,
                transcript_read: state & 4 != 0,
                ..super::media::MediaProgress::default()
            },
        );
    }
    let practice = by_short_id(course.lessons().flat_map(|l| l.questions()).map(|q| (q.id.as_str(), q)));
    for (short, encoded) in &compact.a {
        let (Some(question), Some(response)) = (practice.get(short), decode_response(encoded)) else { continue };
        if let Ok(grade) = grade(question, &response) {
            progress.answers.insert(question.id.to_string(), AnswerRecord { response, grade, at: updated });
        }
    }
    let assessments = by_short_id(course.assessments.iter().map(|a| (a.id.as_str(), a)));
    for attempt in &compact.x {
        let (short, started, finished, responses, pass_mark) = match attempt {
            CompactAttempt::Decided(short, started, finished, responses, mark) => {
                (short, started, finished, responses, Some(*mark))
            }
            CompactAttempt::Older(short, started, finished, responses) => (short, started, finished, responses, None),
        };
        let Some(assessment) = assessments.get(short) else { continue };
        let questions: Vec<_> = assessment.questions().cloned().collect();
        let known = by_short_id(questions.iter().map(|q| (q.id.as_str(), q)));
        let by_id: BTreeMap<String, Response> = responses
            .iter()
            .filter_map(|(short, r)| Some((known.get(short)?.id.to_string(), decode_response(r)?)))
            .collect();
        let in_order: Vec<Option<Response>> = questions.iter().map(|q| by_id.get(q.id.as_str()).cloned()).collect();
        // Scored for good by `regrade_untrusted` below, which decides which mark to keep.
        let mut score = score_attempt(&questions, &in_order, pass_marks.of(assessment));
        score.pass_mark = pass_mark;
        progress.attempts.entry(assessment.id.to_string()).or_default().push(AttemptRecord {
            score,
            responses: by_id,
            started_at: at(*started),
            finished_at: at(*finished),
        });
    }
    progress.position = compact.p.as_deref().and_then(|p| {
        let short = p.get(1..)?;
        match p.get(..1)? {
            "l" => lessons.get(short).map(|l| Position::Lesson(l.id.to_string())),
            "a" => assessments.get(short).map(|a| Position::Assessment(a.id.to_string())),
            _ => None,
        }
    });
    progress.completed_at = compact.c.map(at);
    progress.passed_at = compact.w.map(at);
    progress.satisfaction = compact
        .q
        .filter(|(rating, _)| (1..=5).contains(rating))
        .map(|(rating, seconds)| super::SatisfactionAnswer { rating, comment: None, at: at(seconds) });
    progress.lms_acknowledged = super::LmsResults { completed: compact.k & 1 != 0, passed: compact.k & 2 != 0 };
    for (short, started, updated, position, order, orders, responses) in &compact.y {
        let Some(assessment) = assessments.get(short) else { continue };
        let known = by_short_id(assessment.questions().map(|q| (q.id.as_str(), q)));
        let id_of = |short: &str| known.get(short).map(|q| q.id.to_string());
        let shorts = order.as_bytes().chunks(SHORT_ID_LEN).map(|c| String::from_utf8_lossy(c).into_owned());
        let attempt = super::AttemptUnderWay {
            questions: shorts.filter_map(|short| id_of(&short)).collect(),
            choice_orders: orders
                .iter()
                .filter_map(|(short, order)| {
                    let order = order.split('.').map(str::parse).collect::<Result<Vec<usize>, _>>().ok()?;
                    Some((id_of(short)?, order))
                })
                .collect(),
            responses: responses.iter().filter_map(|(short, r)| Some((id_of(short)?, decode_response(r)?))).collect(),
            position: *position,
            started_at: at(*started),
            updated_at: at(*updated),
        };
        progress.attempts_under_way.insert(assessment.id.to_string(), attempt);
    }
    // What the LMS gives back is untrusted like an imported file: completion and success follow
    // from the lessons and scores, and no date is later than the copy's own last update.
    progress.regrade_untrusted(course, updated.max(start), pass_marks);
    Ok(progress)
}

/// Between the progress kept in this browser and the one the LMS kept, the one to resume from:
/// the LMS's when it is newer or of another enrolment (the learner went on elsewhere), or when
/// this browser's is a fresh start with nothing done, else this browser's, which holds more
/// detail. In the same enrolment, an attempt under way that the LMS could not keep (too long
/// for it, see [`leaves_out_attempts_under_way`]) is taken from this browser either way: the
/// learner was told it is kept here, and it is.
pub fn newer_of(local: Option<CourseProgress>, from_lms: CourseProgress) -> CourseProgress {
    let nothing_done = |p: &CourseProgress| {
        p.lessons.is_empty() && p.answers.is_empty() && p.attempts.is_empty() && p.attempts_under_way.is_empty()
    };
    match local {
        Some(local)
            if local.registration == from_lms.registration
                && !nothing_done(&local)
                && seconds(local.updated_at) >= seconds(from_lms.updated_at) =>
        {
            local
        }
        Some(local) if local.registration == from_lms.registration => {
            let mut resumed = from_lms;
            resumed.merge_attempts_under_way(&local);
            resumed
        }
        _ => from_lms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::{check_course, CourseSlug, LessonId, MemoryFiles, Urls};
    use std::path::Path;

    fn bundled(slug: &str) -> Course {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses").join(slug);
        let slug = CourseSlug::parse(slug).unwrap();
        check_course(&slug, &MemoryFiles::read_dir(&dir).unwrap(), &Urls::player(&slug)).course.unwrap()
    }

    /// A response that fits the question, right or not, with a long typed text where one is typed.
    fn some_response(question: &crate::course::gift::Question, right: bool) -> Option<Response> {
        use crate::course::gift::Answers;
        Some(match &question.answers {
            Answers::TrueFalse { correct, .. } => Response::TrueFalse(*correct == right),
            Answers::Choice { .. } => Response::Choices(vec![usize::from(!right)]),
            Answers::Matching { pairs } => Response::Matching(pairs.iter().enumerate().map(|(i, _)| Some(i)).collect()),
            Answers::Numeric { .. } => Response::Number("3,5".into()),
            Answers::Description => return None,
            _ => Response::Text("une réponse écrite assez longue, comme un apprenant en tape parfois ".repeat(4)),
        })
    }

    /// Every lesson completed, every practice question answered, `attempts` finished attempts at
    /// each assessment.
    fn worked_through(course: &Course, attempts: usize) -> CourseProgress {
        let mut p = CourseProgress::new(course, "0b7c6e8e-2f4d-4a51-9e1a-3f6c2d8b9a10".into(), 1_764_000_000_000.0);
        let mut now = p.started_at;
        for lesson in course.lessons() {
            now += 60_000.0;
            p.visit_lesson(course, &lesson.id, now);
            for question in lesson.questions() {
                if let Some(response) = some_response(question, true) {
                    if let Ok(graded) = grade(question, &response) {
                        p.record_answer(course, &question.id, response, graded, now);
                    }
                }
            }
            for media in lesson.media() {
                p.read_transcript(course, &lesson.id, &media.id, now);
            }
            p.complete_lesson(course, &lesson.id, now);
        }
        for assessment in &course.assessments {
            for attempt in 0..attempts {
                now += 600_000.0;
                let questions: Vec<_> = assessment.questions().cloned().collect();
                let responses: Vec<_> = questions.iter().map(|q| some_response(q, attempt + 1 == attempts)).collect();
                let score = score_attempt(&questions, &responses, assessment.pass_mark);
                let by_id = questions.iter().zip(&responses).filter_map(|(q, r)| Some((q.id.to_string(), r.clone()?)));
                p.record_attempt(
                    course,
                    &assessment.id,
                    AttemptRecord { score, responses: by_id.collect(), started_at: now - 300_000.0, finished_at: now },
                );
            }
        }
        p.add_active_time(3_456_000, now);
        p
    }

    #[test]
    fn a_worked_through_flagship_course_fits_scorm_suspend_data_and_comes_back_the_same() {
        let course = bundled("ia-generatives");
        let progress = worked_through(&course, 3);
        let encoded = encode(&progress, &course, SUSPEND_DATA_MAX_CHARS).unwrap();
        let stored_form = serde_json::to_string(&progress).unwrap();
        assert!(encoded.chars().count() <= SUSPEND_DATA_MAX_CHARS);
        assert!(encoded.len() * 3 < stored_form.len(), "{} vs {}", encoded.len(), stored_form.len());

        let back = decode(&encoded, &course, PassMarks::COURSE).unwrap();
        assert_eq!(back.summary(&course), progress.summary(&course));
        assert_eq!((back.registration.as_str(), back.active_ms), (progress.registration.as_str(), 3_456_000));
        assert_eq!(back.position, progress.position);
        assert_eq!(back.lessons.len(), progress.lessons.len());
        for (id, record) in &progress.answers {
            if !matches!(record.response, Response::Text(_)) || back.answers.contains_key(id) {
                assert_eq!(back.answers[id].response, record.response, "{id}");
                assert_eq!(back.answers[id].grade, record.grade, "{id}");
            }
        }
        for (id, attempts) in &progress.attempts {
            let scores = |a: &[AttemptRecord]| a.iter().map(|a| a.score.clone()).collect::<Vec<_>>();
            assert_eq!(scores(&back.attempts[id]), scores(attempts), "{id}");
        }
        // Times are kept to the second.
        assert_eq!(back.passed_at.map(seconds), progress.passed_at.map(seconds));
        assert!(back.passed_at.is_some() && back.completed_at.is_some());
    }

    /// `progress` with an attempt under way at the flagship's assessment: every question but
    /// the last answered, the choices of every choice question shown in reverse order, the
    /// learner on the last question.
    fn with_attempt_under_way(course: &Course, mut progress: CourseProgress) -> CourseProgress {
        let assessment = &course.assessments[0];
        let orders = assessment
            .questions()
            .filter_map(|q| match &q.answers {
                crate::course::gift::Answers::Choice { choices, .. } => {
                    Some((q.id.to_string(), (0..choices.len()).rev().collect()))
                }
                _ => None,
            })
            .collect();
        let started = progress.updated_at + 60_000.0;
        progress.start_attempt(course, &assessment.id, orders, started);
        let questions: Vec<_> = assessment.questions().collect();
        for (n, question) in questions.iter().enumerate().take(questions.len() - 1) {
            // Only answers that fit their question: a copy read back keeps no other.
            let response = some_response(question, n % 2 == 0).filter(|r| grade(question, r).is_ok());
            progress.answer_in_attempt(&assessment.id, question.id.as_str(), response, started + 30_000.0 * n as f64);
        }
        progress.move_in_attempt(&assessment.id, questions.len() - 1, started + 400_000.0);
        progress
    }

    #[test]
    fn an_attempt_under_way_fits_beside_a_worked_through_flagship_and_comes_back_the_same() {
        let course = bundled("ia-generatives");
        let progress = with_attempt_under_way(&course, worked_through(&course, 1));
        let encoded = encode(&progress, &course, SUSPEND_DATA_MAX_CHARS).unwrap();
        assert!(!leaves_out_attempts_under_way(&encoded, &progress), "{} characters", encoded.chars().count());
        let back = decode(&encoded, &course, PassMarks::COURSE).unwrap();
        let (ours, theirs) = (&progress.attempts_under_way, &back.attempts_under_way);
        assert_eq!(theirs.keys().collect::<Vec<_>>(), ours.keys().collect::<Vec<_>>());
        for (id, attempt) in ours {
            let read = &theirs[id];
            assert_eq!(read.questions, attempt.questions);
            assert_eq!(read.choice_orders, attempt.choice_orders);
            assert_eq!(read.responses, attempt.responses);
            assert_eq!(read.step(), attempt.step());
            assert_eq!(seconds(read.started_at), seconds(attempt.started_at), "to the second");
            assert_eq!(seconds(read.updated_at), seconds(attempt.updated_at));
        }
        let id = course.assessments[0].id.as_str();
        assert_eq!(back.attempts[id].len(), progress.attempts[id].len(), "no attempt counted for it");
    }

    #[test]
    fn an_attempt_under_way_is_left_out_last_and_the_caller_can_tell() {
        let course = bundled("ia-generatives");
        let progress = with_attempt_under_way(&course, worked_through(&course, 6));
        let without_practice = encode(&progress, &course, usize::MAX).unwrap();
        let shortest_with_it = {
            let mut lighter = progress.clone();
            lighter.answers.clear();
            lighter.attempts.values_mut().for_each(|list| list.truncate(1));
            encode(&lighter, &course, usize::MAX).unwrap().chars().count()
        };
        assert!(!leaves_out_attempts_under_way(&without_practice, &progress));
        let tight = encode(&progress, &course, shortest_with_it - 1).unwrap();
        assert!(leaves_out_attempts_under_way(&tight, &progress), "told, never dropped silently");
        let back = decode(&tight, &course, PassMarks::COURSE).unwrap();
        let id = course.assessments[0].id.as_str();
        assert!(back.attempts_under_way.is_empty() && !back.attempts[id].is_empty(), "scores still kept");
    }

    #[test]
    fn what_does_not_fit_is_left_out_least_useful_first_and_scores_are_always_kept() {
        let course = bundled("ia-generatives");
        let progress = worked_through(&course, 6);
        let full = encode(&progress, &course, usize::MAX).unwrap().chars().count();

        let without_texts = encode(&progress, &course, full - 1).unwrap();
        let back = decode(&without_texts, &course, PassMarks::COURSE).unwrap();
        assert!(back.answers.values().all(|a| !matches!(a.response, Response::Text(_))));
        assert!(progress.answers.values().any(|a| matches!(a.response, Response::Text(_))));
        assert_eq!(back.attempts.values().map(Vec::len).sum::<usize>(), 6 * course.assessments.len());

        let best_only = encode(&progress, &course, without_texts.chars().count() - 1).unwrap();
        let back = decode(&best_only, &course, PassMarks::COURSE).unwrap();
        assert_eq!(back.attempts.values().map(Vec::len).sum::<usize>(), course.assessments.len());
        assert_eq!(back.summary(&course).best_scores, progress.summary(&course).best_scores);
        assert!(!back.answers.is_empty());

        let shortest = encode(&progress, &course, best_only.chars().count() - 1).unwrap();
        let back = decode(&shortest, &course, PassMarks::COURSE).unwrap();
        assert!(back.answers.is_empty());
        assert_eq!(back.summary(&course), progress.summary(&course));

        assert_eq!(encode(&progress, &course, 10), Err(TooLong { needed: shortest.chars().count(), max: 10 }));
    }

    #[test]
    fn a_fresh_start_is_short_and_reads_back() {
        let course = bundled("demo");
        let mut progress = CourseProgress::new(&course, "r".into(), 5_000.0);
        let first = course.first_lesson().unwrap().id.clone();
        progress.visit_lesson(&course, &first, 6_000.0);
        let encoded = encode(&progress, &course, SUSPEND_DATA_MAX_CHARS).unwrap();
        assert!(encoded.len() < 120, "{encoded}");
        let back = decode(&encoded, &course, PassMarks::COURSE).unwrap();
        assert_eq!(back.position, Some(Position::Lesson(first.to_string())));
        assert!(back.lessons.contains_key(first.as_str()));
    }

    #[test]
    fn every_kind_of_response_survives_its_short_form() {
        for response in [
            Response::TrueFalse(true),
            Response::TrueFalse(false),
            Response::Choices(vec![]),
            Response::Choices(vec![0, 3, 12]),
            Response::Text("a.b \"c\" é".into()),
            Response::Text(String::new()),
            Response::Number("-3,14".into()),
            Response::Matching(vec![Some(1), None, Some(0)]),
        ] {
            assert_eq!(decode_response(&encode_response(&response)), Some(response));
        }
        assert_eq!(decode_response("c1.x"), None);
        assert_eq!(decode_response("z"), None);
        assert_eq!(decode_response(""), None);
    }

    #[test]
    fn unreadable_or_newer_forms_are_refused_with_a_reason() {
        let course = bundled("demo");
        assert!(matches!(decode("{not json", &course, PassMarks::COURSE), Err(CompactError::Unreadable(_))));
        let newer = r#"{"v":9,"r":"r","s":1,"u":1,"t":0,"l":""}"#;
        assert_eq!(decode(newer, &course, PassMarks::COURSE), Err(CompactError::Newer(9)));
    }

    #[test]
    fn an_edited_course_keeps_what_still_exists() {
        let course = bundled("demo");
        let progress = worked_through(&course, 1);
        let encoded = encode(&progress, &course, SUSPEND_DATA_MAX_CHARS).unwrap();
        let mut edited = course.clone();
        // The first module removed: every remaining lesson and question moves up.
        edited.modules.remove(0);
        edited.assessments.clear();
        let back = decode(&encoded, &edited, PassMarks::COURSE).unwrap();
        assert_eq!(back.lessons.len(), edited.lessons().count());
        assert!(back.attempts.is_empty());
        let kept: Vec<String> = edited.lessons().flat_map(|l| l.questions()).map(|q| q.id.to_string()).collect();
        assert!(!back.answers.is_empty() && back.answers.keys().all(|id| kept.contains(id)));
        for (id, record) in &back.answers {
            assert_eq!(
                (&record.response, &record.grade),
                (&progress.answers[id].response, &progress.answers[id].grade)
            );
        }
    }

    #[test]
    fn the_lms_copy_wins_when_newer_or_of_another_enrolment() {
        let course = bundled("demo");
        let id = |raw: &str| LessonId::parse(raw).unwrap();
        let first = course.first_lesson().unwrap().id.to_string();
        let mut local = CourseProgress::new(&course, "same".into(), 1_000_000.0);
        local.visit_lesson(&course, &id(&first), 2_000_000.0);
        let lms =
            decode(&encode(&local, &course, SUSPEND_DATA_MAX_CHARS).unwrap(), &course, PassMarks::COURSE).unwrap();
        assert_eq!(newer_of(Some(local.clone()), lms.clone()), local, "same save: this browser's, more detailed");
        let mut later = lms.clone();
        later.updated_at += 5_000.0;
        assert_eq!(newer_of(Some(local.clone()), later.clone()), later);
        let mut other = lms.clone();
        other.registration = "other".into();
        assert_eq!(newer_of(Some(local), other.clone()), other);
        assert_eq!(newer_of(None, lms.clone()), lms);
        let fresh = CourseProgress::new(&course, "same".into(), 9_000_000.0);
        assert_eq!(newer_of(Some(fresh), lms.clone()), lms, "a fresh start made just now has nothing to keep");
    }

    #[test]
    fn an_attempt_under_way_the_lms_could_not_keep_is_resumed_from_this_browser() {
        let course = bundled("demo");
        let assessment = &course.assessments[0];
        let mut local = CourseProgress::new(&course, "same".into(), 1_000_000.0);
        local.start_attempt(&course, &assessment.id, BTreeMap::new(), 2_000_000.0);
        let question = assessment.questions().next().unwrap().id.to_string();
        local.answer_in_attempt(&assessment.id, &question, Some(Response::Text("long".into())), 3_000_000.0);
        // What the LMS kept: everything but the attempt (it did not fit), as read at relaunch.
        let mut kept = local.clone();
        kept.attempts_under_way.clear();
        let lms = decode(&encode(&kept, &course, SUSPEND_DATA_MAX_CHARS).unwrap(), &course, PassMarks::COURSE).unwrap();
        let under_way = local.attempt_under_way(&assessment.id).cloned();
        let resumed = newer_of(Some(local.clone()), lms.clone());
        assert_eq!(resumed.attempt_under_way(&assessment.id).cloned(), under_way, "nothing else done: still kept");

        // The learner went on elsewhere (the LMS's copy is newer): the attempt is still here.
        let mut later = lms.clone();
        later.updated_at += 60_000.0;
        let resumed = newer_of(Some(local.clone()), later.clone());
        assert_eq!(resumed.updated_at, later.updated_at, "the LMS's copy");
        assert_eq!(resumed.attempt_under_way(&assessment.id).cloned(), under_way);

        // Unless it was finished elsewhere, or the LMS's copy is another enrolment.
        let mut finished = local.clone();
        finished.finish_attempt(&course, &assessment.id, 0.6, 4_000_000.0);
        let finished =
            decode(&encode(&finished, &course, SUSPEND_DATA_MAX_CHARS).unwrap(), &course, PassMarks::COURSE).unwrap();
        assert!(newer_of(Some(local.clone()), finished).attempt_under_way(&assessment.id).is_none());
        let mut other = later;
        other.registration = "other".into();
        assert!(newer_of(Some(local), other).attempt_under_way(&assessment.id).is_none());
    }
}
