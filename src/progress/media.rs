//! What a learner did with a video or a sound: the parts played (for progress, and the video
//! profile's `played-segments`), where to resume, and whether it counts as watched; and the
//! state machine that turns the player's events into the video profile's statements.
//!
//! A media is **done** for its lesson when it was watched up to the course's threshold
//! (`media-completion-threshold`, 90 % by default), or played to its end, or its transcript was
//! opened: the transcript is the equivalent alternative for learners who cannot watch or hear.

use super::Millis;
use serde::{Deserialize, Serialize};

/// At most this many segments are kept; beyond, they are merged (progress stays exact), and if
/// they are still too many, the closest ones are joined (progress may then count the small gaps
/// between them).
const MAX_SEGMENTS: usize = 200;

/// A segment shorter than this is noise (a click on the timeline while paused).
const MIN_SEGMENT_SECONDS: f64 = 0.05;

/// Seconds, to the millisecond, as the video profile writes them.
fn seconds(value: f64) -> f64 {
    if value.is_finite() {
        (value.max(0.0) * 1000.0).round() / 1000.0
    } else {
        0.0
    }
}

/// The parts of a media played, in the order they were played.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlayedSegments(Vec<(f64, f64)>);

impl PlayedSegments {
    /// Adds the part from `start` to `end` (ignored when empty, reversed or not a number).
    pub fn add(&mut self, start: f64, end: f64) {
        let (start, end) = (seconds(start), seconds(end));
        if end - start < MIN_SEGMENT_SECONDS {
            return;
        }
        self.0.push((start, end));
        self.keep_few();
    }

    fn keep_few(&mut self) {
        if self.0.len() <= MAX_SEGMENTS {
            return;
        }
        let mut merged = self.union();
        while merged.len() > MAX_SEGMENTS {
            let closest = (1..merged.len())
                .min_by(|&a, &b| (merged[a].0 - merged[a - 1].1).total_cmp(&(merged[b].0 - merged[b - 1].1)))
                .unwrap_or(1);
            merged[closest - 1].1 = merged[closest].1;
            merged.remove(closest);
        }
        self.0 = merged;
    }

    /// The segments merged: sorted, without overlaps.
    pub fn union(&self) -> Vec<(f64, f64)> {
        let mut sorted: Vec<(f64, f64)> = self.0.iter().copied().filter(|(s, e)| s.is_finite() && e > s).collect();
        crate::small_sort::sort_by(&mut sorted, |a, b| a.0.total_cmp(&b.0).is_lt());
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(sorted.len());
        for (start, end) in sorted {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }

    /// The share of `length` played, 0 to 1 with three decimals (never above 1, whatever the
    /// segments say: a player may report times past the end).
    pub fn progress(&self, length: f64) -> f64 {
        if !(length.is_finite() && length > 0.0) {
            return 0.0;
        }
        let covered: f64 = self.union().iter().map(|(s, e)| e.min(length) - s.min(length)).sum();
        ((covered / length).clamp(0.0, 1.0) * 1000.0).floor() / 1000.0
    }

    /// The video profile's form: `0[.]5.5[,]12[.]22`.
    pub fn to_xapi(&self) -> String {
        self.0.iter().map(|(s, e)| format!("{s}[.]{e}")).collect::<Vec<_>>().join("[,]")
    }

    /// Both copies' segments (two tabs, an import): nothing played is lost.
    pub fn merge(&mut self, other: &PlayedSegments) {
        for segment in &other.0 {
            if !self.0.contains(segment) {
                self.0.push(*segment);
            }
        }
        self.keep_few();
    }
}

/// What the learner did with one media, kept with the course's progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaProgress {
    /// Where to resume, in seconds.
    #[serde(default)]
    pub position: f64,
    /// The media's length in seconds, once known.
    #[serde(default)]
    pub length: f64,
    #[serde(default)]
    pub played: PlayedSegments,
    /// Time spent playing it, over every session.
    #[serde(default)]
    pub played_ms: u64,
    /// When the threshold was first reached (the video profile's `completed`).
    #[serde(default)]
    pub completed_at: Option<Millis>,
    /// Played to its end at least once.
    #[serde(default)]
    pub reached_end: bool,
    /// Its transcript was opened.
    #[serde(default)]
    pub transcript_read: bool,
}

impl MediaProgress {
    /// Whether the media no longer holds back its lesson's completion.
    pub fn done(&self) -> bool {
        self.completed_at.is_some() || self.reached_end || self.transcript_read
    }

    pub fn merge(&mut self, other: &MediaProgress, other_is_newer: bool) {
        if other_is_newer {
            self.position = other.position;
        }
        self.length = self.length.max(other.length);
        self.played.merge(&other.played);
        self.played_ms = self.played_ms.max(other.played_ms);
        self.completed_at = match (self.completed_at, other.completed_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.reached_end |= other.reached_end;
        self.transcript_read |= other.transcript_read;
    }
}

/// What the player reports about a media element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MediaSignal {
    /// Its length became known (`loadedmetadata`).
    Length(f64),
    /// Playback started at this time (`play`).
    Play(f64),
    /// The playhead moved while playing (`timeupdate`).
    Time(f64),
    /// Playback stopped at this time (`pause`).
    Pause(f64),
    /// The playhead was moved to this time (`seeked`).
    Seeked(f64),
    /// Playback reached the end (`ended`).
    Ended(f64),
    /// The learner left the lesson or the page.
    Leave,
}

/// A statement of the video profile to send, with what only the state machine knows.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaEvent {
    Initialized,
    Played { time: f64 },
    Paused { time: f64 },
    Seeked { from: f64, to: f64 },
    Completed { time: f64 },
    Terminated { time: f64 },
}

/// One viewing session of a media in a page: from the first play to leaving the lesson. It
/// follows the player's events and says which statements they call for, in the profile's order
/// (initialized first, paused before terminated, completed once per registration).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaSession {
    started: bool,
    /// Where the part being played started, while playing.
    playing_from: Option<f64>,
    /// When playing started (page clock), for the time spent.
    playing_since: Option<Millis>,
    /// The last playhead time seen while playing: where a seek comes from.
    last_time: f64,
    /// Between `seeking` and `seeked`, the element already reports the target: times seen then
    /// are not where the learner was.
    seeking: bool,
}

impl MediaSession {
    /// Follows `signal`, updating `progress`; returns the statements it calls for.
    pub fn on(
        &mut self,
        signal: MediaSignal,
        progress: &mut MediaProgress,
        threshold: f64,
        now: Millis,
    ) -> Vec<MediaEvent> {
        let mut events = Vec::new();
        match signal {
            MediaSignal::Length(length) if length.is_finite() && length > 0.0 => progress.length = seconds(length),
            MediaSignal::Length(_) => {}
            MediaSignal::Play(time) => {
                if !self.started {
                    self.started = true;
                    events.push(MediaEvent::Initialized);
                }
                if self.playing_from.is_none() {
                    self.playing_from = Some(seconds(time));
                    self.playing_since = Some(now);
                    events.push(MediaEvent::Played { time: seconds(time) });
                }
                self.last_time = seconds(time);
            }
            MediaSignal::Time(time) => {
                if !self.seeking {
                    self.last_time = seconds(time);
                }
                progress.position = seconds(time);
                if self.playing_from.is_some() {
                    self.complete_if_watched(progress, threshold, now, &mut events);
                }
            }
            MediaSignal::Pause(time) => {
                if self.playing_from.is_some() {
                    self.stop(seconds(time), progress, now);
                    events.push(MediaEvent::Paused { time: seconds(time) });
                    self.complete_if_watched(progress, threshold, now, &mut events);
                }
                progress.position = seconds(time);
            }
            MediaSignal::Seeked(to) => {
                self.seeking = false;
                let (from, to) = (self.last_time, seconds(to));
                if self.playing_from.is_some() {
                    self.stop(from, progress, now);
                    self.playing_from = Some(to);
                    self.playing_since = Some(now);
                }
                if self.started && (to - from).abs() >= 0.5 {
                    events.push(MediaEvent::Seeked { from, to });
                }
                self.last_time = to;
                progress.position = to;
            }
            MediaSignal::Ended(time) => {
                if self.playing_from.is_some() {
                    self.stop(seconds(time), progress, now);
                    events.push(MediaEvent::Paused { time: seconds(time) });
                }
                progress.reached_end = true;
                // Watched again from the start next time.
                progress.position = 0.0;
                self.complete_if_watched(progress, threshold, now, &mut events);
            }
            MediaSignal::Leave => {
                if self.started {
                    let time = self.last_time;
                    if self.playing_from.is_some() {
                        self.stop(time, progress, now);
                        events.push(MediaEvent::Paused { time });
                    }
                    events.push(MediaEvent::Terminated { time });
                    *self = MediaSession::default();
                }
            }
        }
        events
    }

    /// Notes the playhead between two saved `Time` signals: a seek then starts from where the
    /// learner really was, so the part played before it is counted whole.
    pub fn observe_time(&mut self, time: f64) {
        if self.playing_from.is_some() && !self.seeking {
            self.last_time = seconds(time);
        }
    }

    /// The learner started moving the playhead (`seeking`): until `seeked`, the times the
    /// element reports are the target's.
    pub fn begin_seek(&mut self) {
        self.seeking = true;
    }

    /// Ends the part being played at `time`.
    fn stop(&mut self, time: f64, progress: &mut MediaProgress, now: Millis) {
        if let Some(from) = self.playing_from.take() {
            progress.played.add(from, time);
        }
        if let Some(since) = self.playing_since.take() {
            progress.played_ms = progress.played_ms.saturating_add((now - since).max(0.0) as u64);
        }
        self.last_time = time;
    }

    /// `completed`, once per registration, when the share played reaches the threshold (the
    /// part being played counts up to now).
    fn complete_if_watched(
        &mut self,
        progress: &mut MediaProgress,
        threshold: f64,
        now: Millis,
        events: &mut Vec<MediaEvent>,
    ) {
        if progress.completed_at.is_some() {
            return;
        }
        let mut played = progress.played.clone();
        if let Some(from) = self.playing_from {
            played.add(from, self.last_time);
        }
        if played.progress(progress.length) >= threshold {
            // The segment so far is closed, so `played-segments` matches `progress`.
            if self.playing_from.is_some() {
                let time = self.last_time;
                self.stop(time, progress, now);
                self.playing_from = Some(time);
                self.playing_since = Some(now);
            }
            progress.completed_at = Some(now);
            events.push(MediaEvent::Completed { time: self.last_time });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_give_progress_without_counting_twice_or_past_the_end() {
        let mut played = PlayedSegments::default();
        played.add(0.0, 60.25);
        played.add(50.0, 110.0);
        played.add(5.0, 5.01); // noise
        assert_eq!(played.to_xapi(), "0[.]60.25[,]50[.]110");
        assert_eq!(played.progress(120.5), 0.912);
        played.add(115.0, 130.0); // a player reporting past the end
        assert_eq!(played.progress(120.5), 0.958);
        played.add(0.0, 200.0);
        assert_eq!(played.progress(120.5), 1.0);
        assert_eq!(PlayedSegments::default().progress(0.0), 0.0);
    }

    #[test]
    fn many_segments_are_merged_and_progress_kept() {
        let mut played = PlayedSegments::default();
        for i in 0..500 {
            played.add(f64::from(i), f64::from(i) + 1.5);
        }
        assert!(played.0.len() <= MAX_SEGMENTS);
        assert_eq!(played.progress(500.5), 1.0);
        let mut scattered = PlayedSegments::default();
        for i in 0..500 {
            scattered.add(f64::from(i) * 2.0, f64::from(i) * 2.0 + 1.0);
        }
        assert!(scattered.0.len() <= MAX_SEGMENTS);
        assert!((0.5..=0.9).contains(&scattered.progress(1000.0)), "{}", scattered.progress(1000.0));
    }

    fn run(session: &mut MediaSession, progress: &mut MediaProgress, signals: &[MediaSignal]) -> Vec<MediaEvent> {
        signals.iter().flat_map(|s| session.on(*s, progress, 0.9, 1000.0)).collect()
    }

    #[test]
    fn a_viewing_follows_the_profile_order() {
        use MediaEvent::*;
        use MediaSignal as S;
        let mut session = MediaSession::default();
        let mut progress = MediaProgress::default();
        let events = run(
            &mut session,
            &mut progress,
            &[
                S::Length(100.0),
                S::Play(0.0),
                S::Time(10.0),
                S::Time(20.0),
                S::Seeked(60.0),
                S::Time(70.0),
                S::Pause(70.0),
            ],
        );
        assert_eq!(events, [Initialized, Played { time: 0.0 }, Seeked { from: 20.0, to: 60.0 }, Paused { time: 70.0 }]);
        assert_eq!(progress.played.to_xapi(), "0[.]20[,]60[.]70");
        assert_eq!(progress.position, 70.0);
        // Playing again: no second `initialized`; then to the threshold and the end.
        let events = run(
            &mut session,
            &mut progress,
            &[
                S::Play(70.0),
                S::Seeked(20.0),
                S::Time(40.0),
                S::Time(59.5),
                S::Time(60.0),
                S::Time(99.0),
                S::Ended(100.0),
            ],
        );
        assert_eq!(
            events,
            [Played { time: 70.0 }, Seeked { from: 70.0, to: 20.0 }, Completed { time: 99.0 }, Paused { time: 100.0 }]
        );
        assert!(progress.done() && progress.reached_end && progress.completed_at.is_some());
        assert_eq!(progress.played.progress(100.0), 1.0);
        // Leaving: terminated, once; a paused one sends no second paused.
        assert_eq!(run(&mut session, &mut progress, &[S::Leave, S::Leave]), [Terminated { time: 100.0 }]);
    }

    #[test]
    fn a_seek_between_two_saves_counts_what_was_played_before_it() {
        let mut session = MediaSession::default();
        let mut progress = MediaProgress { length: 12.0, ..MediaProgress::default() };
        run(&mut session, &mut progress, &[MediaSignal::Play(0.0), MediaSignal::Time(0.1)]);
        session.observe_time(1.5);
        session.begin_seek();
        session.observe_time(6.0); // during the seek, the element already says where it goes
        let events = run(&mut session, &mut progress, &[MediaSignal::Seeked(6.0), MediaSignal::Pause(8.0)]);
        assert_eq!(events, [MediaEvent::Seeked { from: 1.5, to: 6.0 }, MediaEvent::Paused { time: 8.0 }]);
        assert_eq!(progress.played.to_xapi(), "0[.]1.5[,]6[.]8");
    }

    #[test]
    fn leaving_while_playing_pauses_first_and_completed_comes_once_per_registration() {
        use MediaEvent::*;
        use MediaSignal as S;
        let mut session = MediaSession::default();
        let mut progress = MediaProgress { completed_at: Some(1.0), length: 10.0, ..MediaProgress::default() };
        let events = run(&mut session, &mut progress, &[S::Play(0.0), S::Time(9.5), S::Leave]);
        assert_eq!(events, [Initialized, Played { time: 0.0 }, Paused { time: 9.5 }, Terminated { time: 9.5 }]);
        assert_eq!(run(&mut session, &mut progress, &[S::Leave]), [], "nothing started, nothing to end");
    }

    #[test]
    fn nothing_is_sent_before_the_first_play_and_the_transcript_also_makes_it_done() {
        let mut session = MediaSession::default();
        let mut progress = MediaProgress::default();
        assert_eq!(
            run(
                &mut session,
                &mut progress,
                &[MediaSignal::Length(30.0), MediaSignal::Seeked(12.0), MediaSignal::Leave]
            ),
            []
        );
        assert_eq!(progress.position, 12.0, "the place is kept all the same");
        assert!(!progress.done());
        progress.transcript_read = true;
        assert!(progress.done());
    }
}
