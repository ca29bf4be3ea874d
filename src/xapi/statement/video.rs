//! Statements about videos and sounds, as the ADL xAPI Video Profile 1.0 asks: its verbs and
//! activity type, its category, the session id (the `initialized` statement's id) on every
//! statement, the length and completion threshold in the context, and time, progress and
//! played segments in the result. Sounds follow the Audio Profile, which reuses the video
//! profile's verbs and extensions with its own activity type.

use super::{iso_duration, Activity, ActivityDefinition, Session, Stamp, Statement, StatementResult, VerbKind};
use crate::course::{Lesson, Media, MediaKind};
use crate::progress::media::{MediaEvent, MediaProgress};
use serde_json::Value;
use std::collections::BTreeMap;

pub const VIDEO_PROFILE: &str = "https://w3id.org/xapi/video";
pub const AUDIO_PROFILE: &str = "https://w3id.org/xapi/audio";
const EXTENSIONS: &str = "https://w3id.org/xapi/video/extensions/";

/// What a media statement says besides its event.
pub struct MediaFacts<'a> {
    pub lesson: &'a Lesson,
    pub media: &'a Media,
    /// The id of the session's `initialized` statement.
    pub session_id: &'a str,
    pub progress: &'a MediaProgress,
    pub threshold: f64,
}

fn extension(name: &str) -> String {
    format!("{EXTENSIONS}{name}")
}

impl Session<'_> {
    /// A video or a sound of a lesson, as an activity of its profile's type.
    pub fn media_activity(&self, lesson: &Lesson, media: &Media) -> Activity {
        let kind = match media.kind {
            MediaKind::Video => format!("{VIDEO_PROFILE}/activity-type/video"),
            MediaKind::Audio => format!("{AUDIO_PROFILE}/activity-type/audio"),
        };
        Activity {
            object_type: "Activity".into(),
            id: format!("{}/lessons/{}/media/{}", self.course.id, lesson.id, media.id),
            definition: Some(ActivityDefinition {
                activity_type: kind,
                name: super::language_map(&self.course.language, &media.title),
                ..ActivityDefinition::default()
            }),
        }
    }

    /// The statement for one event of a viewing session.
    pub fn media_statement(&self, stamp: Stamp, event: &MediaEvent, facts: &MediaFacts) -> Statement {
        let MediaFacts { lesson, media, session_id, progress, threshold } = *facts;
        let seen = |time: f64| -> BTreeMap<String, Value> {
            [
                (extension("time"), Value::from(time)),
                (extension("progress"), Value::from(progress.played.progress(progress.length))),
                (extension("played-segments"), Value::from(progress.played.to_xapi())),
            ]
            .into()
        };
        let (verb, extensions, completion) = match *event {
            MediaEvent::Initialized => (VerbKind::Initialized, None, false),
            MediaEvent::Played { time } => {
                (VerbKind::Played, Some([(extension("time"), Value::from(time))].into()), false)
            }
            MediaEvent::Paused { time } => (VerbKind::Paused, Some(seen(time)), false),
            MediaEvent::Seeked { from, to } => (
                VerbKind::Seeked,
                Some([(extension("time-from"), Value::from(from)), (extension("time-to"), Value::from(to))].into()),
                false,
            ),
            MediaEvent::Completed { time } => (VerbKind::Completed, Some(seen(time)), true),
            MediaEvent::Terminated { time } => (VerbKind::Terminated, Some(seen(time)), false),
        };
        let result = extensions.map(|extensions| StatementResult {
            completion: completion.then_some(true),
            duration: completion.then(|| iso_duration(progress.played_ms)),
            extensions: Some(extensions),
            ..StatementResult::default()
        });
        let parent = Some(self.lesson_activity(lesson));
        let mut statement = self.statement(stamp, verb, self.media_activity(lesson, media), parent, result);
        // The profile's verbs are displayed as it names them, in en-US only (Ralph's video models
        // refuse any other display).
        statement.verb.display = [("en-US".to_owned(), verb.name().to_owned())].into();
        let profile = match media.kind {
            MediaKind::Video => VIDEO_PROFILE,
            MediaKind::Audio => AUDIO_PROFILE,
        };
        statement.context.context_activities.category.push(Activity {
            object_type: "Activity".into(),
            id: profile.into(),
            definition: None,
        });
        let context = &mut statement.context.extensions;
        let session = if matches!(event, MediaEvent::Initialized) { statement.id.as_str() } else { session_id };
        context.insert(extension("session-id"), Value::from(session));
        if progress.length > 0.0 {
            context.insert(extension("length"), Value::from(progress.length));
        }
        if threshold < 1.0 {
            context.insert(extension("completion-threshold"), Value::from(threshold));
        }
        statement
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::{check_course, CourseSlug, MediaId, MemoryFiles, Urls};
    use crate::progress::media::PlayedSegments;
    use crate::xapi::statement::Agent;

    fn course() -> crate::course::Course {
        let files = MemoryFiles::default()
            .with("course.toml", "id = \"https://example.org/c\"\ntitle = \"C\"\nlanguage = \"fr\"\nduration-minutes = 5\n[[modules]]\ntitle = \"M\"\nlessons = [\"a.md\"]\n")
            .with("a.md", "# A\n\n```video\nsrc = \"v.webm\"\ntitle = \"Vidéo\"\ncaptions = { fr = \"v.vtt\" }\ntranscript = \"v.md\"\n```\n")
            .with("v.webm", "")
            .with("v.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nUn.\n")
            .with("v.md", "T.\n");
        let slug = CourseSlug::parse("c").unwrap();
        check_course(&slug, &files, &Urls::player(&slug)).course.unwrap()
    }

    #[test]
    fn statements_carry_what_the_profile_requires() {
        let course = course();
        let session = Session {
            course: &course,
            actor: Agent::account("https://lms.example.org", "l42", None),
            registration: "r".into(),
        };
        let lesson = course.lessons().next().unwrap();
        let media = lesson.media().next().unwrap();
        assert_eq!(media.id, MediaId::parse("v").unwrap());
        let mut played = PlayedSegments::default();
        played.add(0.0, 60.25);
        played.add(50.0, 110.0);
        let progress = MediaProgress { length: 120.5, played, played_ms: 134_000, ..MediaProgress::default() };
        let facts = MediaFacts { lesson, media, session_id: "s-1", progress: &progress, threshold: 0.9 };
        let stamp = |id: &str| Stamp { id: id.into(), at_ms: 0.0 };

        let initialized =
            serde_json::to_value(session.media_statement(stamp("s-1"), &MediaEvent::Initialized, &facts)).unwrap();
        assert_eq!(initialized["verb"]["id"], "http://adlnet.gov/expapi/verbs/initialized");
        assert_eq!(initialized["object"]["id"], "https://example.org/c/lessons/a/media/v");
        assert_eq!(initialized["object"]["definition"]["type"], "https://w3id.org/xapi/video/activity-type/video");
        assert_eq!(initialized["context"]["contextActivities"]["category"][0]["id"], VIDEO_PROFILE);
        assert_eq!(initialized["context"]["contextActivities"]["parent"][0]["id"], "https://example.org/c/lessons/a");
        let context = &initialized["context"]["extensions"];
        assert_eq!(context[extension("session-id")], "s-1");
        assert_eq!(context[extension("length")], 120.5);
        assert_eq!(context[extension("completion-threshold")], 0.9);
        assert!(initialized.get("result").is_none());

        let completed =
            serde_json::to_value(session.media_statement(stamp("c"), &MediaEvent::Completed { time: 110.0 }, &facts))
                .unwrap();
        assert_eq!(completed["verb"]["id"], "http://adlnet.gov/expapi/verbs/completed");
        let result = &completed["result"];
        assert_eq!(
            (result["completion"].clone(), result["duration"].clone()),
            (Value::from(true), Value::from("PT2M14S"))
        );
        assert_eq!(result["extensions"][extension("progress")], 0.912);
        assert_eq!(result["extensions"][extension("played-segments")], "0[.]60.25[,]50[.]110");
        assert_eq!(completed["context"]["extensions"][extension("session-id")], "s-1");

        let seeked = serde_json::to_value(session.media_statement(
            stamp("k"),
            &MediaEvent::Seeked { from: 5.0, to: 50.5 },
            &facts,
        ))
        .unwrap();
        assert_eq!(seeked["verb"]["id"], "https://w3id.org/xapi/video/verbs/seeked");
        assert_eq!(seeked["result"]["extensions"][extension("time-to")], 50.5);
        assert_eq!(seeked["verb"]["display"], serde_json::json!({"en-US": "seeked"}));
        let verb: super::super::Verb = serde_json::from_value(seeked["verb"].clone()).unwrap();
        assert_eq!(verb.kind(), Some(VerbKind::Seeked));
    }
}
