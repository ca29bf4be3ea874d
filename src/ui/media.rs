//! A lesson's video or sound: the browser's own player (keyboard and screen reader support come
//! with it), captions in the learner's language first, never autoplay, the transcript in a
//! disclosure under it (printed with the lesson), resume where the learner stopped, and the
//! video profile's statements. A player hosted elsewhere is a placeholder naming its host:
//! nothing is asked of that host until the learner starts it (CNIL guidance on third-party
//! content).

use super::course_page::expect_course;
use super::expect_locale;
use super::progress::expect_progress;
use super::tracking::expect_tracking;
use crate::course::{Lesson, Media, MediaKind, MediaSource};
use crate::i18n::Messages;
use crate::progress::media::{MediaSession, MediaSignal};
use crate::web::now;
use leptos::prelude::*;

/// How often, at most, the playhead's place is saved while playing (every event is too often
/// for storage; pausing, seeking and the end are saved at once).
const SAVE_PLAYHEAD_EVERY_MS: f64 = 2000.0;

/// A video or a sound of `lesson`.
#[component]
pub fn MediaBlock(
    /// The lesson the media is in.
    lesson: Lesson,
    /// The media.
    media: Media,
) -> impl IntoView {
    let transcript_open = RwSignal::new(false);
    let unavailable = RwSignal::new(false);
    let player = match media.source.clone() {
        MediaSource::File { url, .. } => {
            view! { <MediaPlayer lesson=lesson.clone() media=media.clone() url transcript_open unavailable/> }
                .into_any()
        }
        MediaSource::Embed { url, host } => {
            let frame_id = format!("hosted-{}", media.id);
            view! { <HostedPlayer title=media.title.clone() url host frame_id/> }.into_any()
        }
    };
    let kind = match media.kind {
        MediaKind::Video => "media media-video",
        MediaKind::Audio => "media media-audio",
    };
    view! {
        <figure class=kind>
            <figcaption class="media-title">{media.title.clone()} <MediaDuration seconds=media.duration_seconds/></figcaption>
            {player}
            <Transcript lesson media open=transcript_open/>
        </figure>
    }
}

#[component]
fn MediaDuration(seconds: Option<f64>) -> impl IntoView {
    let messages = expect_locale();
    seconds.map(
        |s| view! { <span class="media-duration">{Messages::fill(messages.media_duration, "time", clock(s))}</span> },
    )
}

/// `83.4` → `1:23`.
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0) as u64;
    match total / 3600 {
        0 => format!("{}:{:02}", total / 60, total % 60),
        hours => format!("{hours}:{:02}:{:02}", total / 60 % 60, total % 60),
    }
}

/// The browser's player, followed: progress, resume, statements.
#[component]
fn MediaPlayer(
    lesson: Lesson,
    media: Media,
    /// The file's address.
    url: String,
    transcript_open: RwSignal<bool>,
    unavailable: RwSignal<bool>,
) -> impl IntoView {
    let messages = expect_locale();
    let element_id = format!("media-{}", media.id);
    let session = StoredValue::new(MediaSession::default());
    let last_saved = StoredValue::new(0.0_f64);
    let resumed_at = RwSignal::new(None::<f64>);
    let stopped_at = {
        let (progress, lesson_id, media_id) = (expect_progress(), lesson.id.clone(), media.id.clone());
        move || progress.state.with_untracked(|p| p.media_progress(&lesson_id, &media_id).map(|m| m.position))
    };
    let send = follow_signals(lesson, media.clone(), session);
    let times = |ev: &leptos::ev::Event| crate::web::media_times(ev).unwrap_or((0.0, f64::NAN));

    let resume_id = element_id.clone();
    let on_metadata = move |ev: leptos::ev::Event| {
        let (_, length) = times(&ev);
        send(MediaSignal::Length(length));
        // Where the learner stopped, unless at the very start or the very end.
        if let Some(position) = stopped_at().filter(|&at| at >= 1.0 && (length.is_nan() || at < length - 1.0)) {
            crate::web::seek_media(&resume_id, position);
            resumed_at.set(Some(position));
        }
    };
    let on_time = move |ev: leptos::ev::Event| {
        // Saved every few seconds, not at every event; completion is seen at the next save.
        let time = times(&ev).0;
        session.update_value(|s| s.observe_time(time));
        if now() - last_saved.get_value() >= SAVE_PLAYHEAD_EVERY_MS {
            last_saved.set_value(now());
            send(MediaSignal::Time(time));
        }
    };
    let on_seeking = move |_| session.update_value(MediaSession::begin_seek);
    // Leaving the lesson (or the page) ends the viewing session: `terminated`.
    let pagehide = window_event_listener(leptos::ev::pagehide, move |_| send(MediaSignal::Leave));
    on_cleanup(move || {
        pagehide.remove();
        send(MediaSignal::Leave);
    });

    let captions = caption_tracks(&media);
    let poster = media.poster.clone();
    let title = media.title.clone();
    let on_error = move |_| {
        unavailable.set(true);
        transcript_open.set(true);
    };
    // One element for both kinds; `poster` and `playsinline` are a video's only.
    macro_rules! media_element {
        ($tag:ident $($video_only:tt)*) => {
            view! {
                <$tag id=element_id.clone() src=url controls preload="metadata" $($video_only)*
                    aria-label=title on:loadedmetadata=on_metadata on:play=move |ev| send(MediaSignal::Play(times(&ev).0))
                    on:pause=move |ev| send(MediaSignal::Pause(times(&ev).0)) on:seeking=on_seeking
                    on:seeked=move |ev| send(MediaSignal::Seeked(times(&ev).0))
                    on:timeupdate=on_time on:ended=move |ev| send(MediaSignal::Ended(times(&ev).0)) on:error=on_error>
                    {captions}
                    <p>{messages.media_fallback}</p>
                </$tag>
            }
            .into_any()
        };
    }
    let element = match media.kind {
        MediaKind::Video => media_element!(video playsinline poster=poster),
        MediaKind::Audio => media_element!(audio),
    };
    view! {
        {element}
        {move || unavailable.get().then(|| view! { <p class="media-unavailable alert">{messages.media_unavailable}</p> })}
        {move || resumed_at.get().map(|at| view! { <p class="media-resumed">{Messages::fill(messages.media_resumed, "time", clock(at))}</p> })}
    }
}

/// What follows a media's signals in `lesson`: progress first (saved), then the statements it
/// calls for, in the viewing `session`. Copy, so that every event handler holds it.
fn follow_signals(lesson: Lesson, media: Media, session: StoredValue<MediaSession>) -> impl Fn(MediaSignal) + Copy {
    let course = expect_course();
    let progress = expect_progress();
    let tracking = expect_tracking();
    let session_id = StoredValue::new(None::<String>);
    let follow = move |signal: MediaSignal| {
        let mut events = Vec::new();
        progress.apply(|p, course| {
            session.update_value(|s| events = p.record_media(course, &lesson.id, &media.id, s, signal, now()));
        });
        if events.is_empty() {
            return;
        }
        progress.state.with_untracked(|p| {
            let Some(state) = p.media_progress(&lesson.id, &media.id) else { return };
            let mut id = session_id.get_value();
            tracking.record_media(&course, &p.registration, &lesson, &media, &events, state, &mut id);
            session_id.set_value(id);
        });
    };
    let follow = StoredValue::new(follow);
    move |signal| follow.with_value(|f| f(signal))
}

/// The media's captions, the first one shown by default.
fn caption_tracks(media: &Media) -> impl IntoView {
    let tracks = media.captions.iter().enumerate().map(|(index, track)| {
        view! {
            <track kind="captions" src=track.url.clone() srclang=track.language.clone()
                label=language_name(&track.language) default=index == 0/>
        }
    });
    tracks.collect_view()
}

/// A language's own name, for the captions menu.
fn language_name(code: &str) -> String {
    let name = match code.split('-').next().unwrap_or_default().to_ascii_lowercase().as_str() {
        "fr" => "Français",
        "en" => "English",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "ar" => "العربية",
        "br" => "Brezhoneg",
        "oc" => "Occitan",
        _ => return code.to_owned(),
    };
    name.to_owned()
}

/// A player hosted elsewhere: a placeholder that names the host, and the host's frame only once
/// the learner asks for it.
#[component]
fn HostedPlayer(
    title: String,
    url: String,
    host: String,
    /// The frame's id, where focus goes once it is shown.
    frame_id: String,
) -> impl IntoView {
    let messages = expect_locale();
    let started = RwSignal::new(false);
    let frame_title = Messages::fill(&Messages::fill(messages.embed_frame_title, "title", &title), "host", &host);
    let focus_target = frame_id.clone();
    let start = move |_| {
        started.set(true);
        crate::web::focus_soon(focus_target.clone());
    };
    let notice = Messages::fill(messages.embed_notice, "host", &host);
    let label = Messages::fill(messages.embed_load, "host", &host);
    move || {
        if started.get() {
            view! {
                <iframe id=frame_id.clone() class="media-frame" src=url.clone() title=frame_title.clone()
                    allow="fullscreen; picture-in-picture" referrerpolicy="strict-origin-when-cross-origin"
                    sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"></iframe>
            }
            .into_any()
        } else {
            view! {
                <div class="media-placeholder">
                    <p>{notice.clone()}</p>
                    <button type="button" class="primary" on:click=start.clone()>{label.clone()}</button>
                </div>
            }
            .into_any()
        }
    }
}

/// The transcript, under the player: a disclosure (opened, by the learner or because the media
/// cannot load, it counts as having followed the media), always printed with the lesson.
#[component]
fn Transcript(lesson: Lesson, media: Media, open: RwSignal<bool>) -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let transcript = media.transcript.clone()?;
    let region = format!("transcript-{}", media.id);
    Effect::new(move |_| {
        if open.get() {
            let (lesson_id, media_id) = (lesson.id.clone(), media.id.clone());
            progress.apply(move |p, course| p.read_transcript(course, &lesson_id, &media_id, now()));
        }
    });
    let toggle = move |_| open.update(|o| *o = !*o);
    Some(view! {
        <div class="transcript">
            <button type="button" class="transcript-toggle" aria-expanded=move || open.get().to_string()
                aria-controls=region.clone() on:click=toggle>
                {move || if open.get() { messages.hide_transcript } else { messages.show_transcript }}
            </button>
            <div id=region class="transcript-text" hidden=move || !open.get() inner_html={transcript.into_inner_html()}></div>
        </div>
    })
}
