//! What tracking shows: a plain notice for learners only when it matters (offline, or records
//! not delivered for long) with one live region that announces it once, the e-mail form where a
//! deployment asks for it, and the technical details (counts, errors, every statement and its
//! state) in a disclosure.

use super::expect_locale;
use super::tracking::{expect_tracking, ConfigState};
use crate::i18n::Messages;
use crate::xapi::config::plausible_email;
use crate::xapi::outbox::LearnerNotice;
use crate::xapi::statement::Statement;
use leptos::prelude::*;

/// The learner's notice (offline, or records not delivered for long), in plain words, only
/// when it matters; nothing otherwise. Authors see the details instead (records waiting,
/// dropped, refused). Not a live region: [`TrackingAnnouncer`] speaks, once per change.
#[component]
pub fn TrackingStatus() -> impl IntoView {
    let messages = expect_locale();
    let tracking = expect_tracking();
    let author_mode = move || matches!(tracking.config.get(), ConfigState::Ready(config) if config.author_mode);
    let text = move || {
        if author_mode() {
            tracking.outbox.with(|outbox| records_details(messages, outbox))
        } else {
            learner_notice(tracking).get().map(|notice| notice_text(messages, notice).to_owned())
        }
    };
    view! { <p class="tracking-status">{text}</p> }
}

/// The notice of [`TrackingStatus`], recomputed when the outbox or the network changes, and
/// unchanged (so not announced again) while the situation stays the same.
fn learner_notice(tracking: super::tracking::Tracking) -> Memo<Option<LearnerNotice>> {
    Memo::new(move |_| tracking.outbox.with(|outbox| outbox.learner_notice(tracking.online.get(), crate::web::now())))
}

fn notice_text(messages: &'static Messages, notice: LearnerNotice) -> &'static str {
    match notice {
        LearnerNotice::Offline => messages.offline_notice,
        LearnerNotice::NotDelivered { .. } => messages.undelivered_notice,
    }
}

/// For authors and the technical details: how many records wait, were dropped, or why the LRS
/// refuses them.
fn records_details(messages: &'static Messages, outbox: &crate::xapi::outbox::Outbox) -> Option<String> {
    if let Some(status) = outbox.paused {
        Some(Messages::fill(messages.records_paused, "status", status))
    } else if outbox.waiting() > 0 && outbox.dropped > 0 {
        let waiting = Messages::fill(messages.records_waiting, "n", outbox.waiting());
        Some(format!("{waiting} — {}", Messages::fill(messages.records_dropped, "n", outbox.dropped)))
    } else if outbox.waiting() > 0 {
        Some(Messages::fill(messages.records_waiting, "n", outbox.waiting()))
    } else {
        None
    }
}

/// The one polite live region of the player for the learner's notice, mounted once for the
/// whole app (pages come and go, it stays): a screen reader hears a notice once when the
/// situation changes, never at each page or each check.
#[component]
pub fn TrackingAnnouncer() -> impl IntoView {
    let messages = expect_locale();
    let notice = learner_notice(expect_tracking());
    view! {
        <div id="tracking-announcer" class="visually-hidden" role="status" aria-live="polite">
            {move || notice.get().map(|notice| notice_text(messages, notice))}
        </div>
    }
}

/// Asks for the learner's e-mail address when the deployment identifies learners by e-mail.
#[component]
pub fn EmailForm() -> impl IntoView {
    let messages = expect_locale();
    let tracking = expect_tracking();
    let draft = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let needed = move || {
        tracking.config.track();
        tracking.learner.track();
        tracking.needs_email()
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email = draft.get_untracked().trim().to_owned();
        if plausible_email(&email) {
            invalid.set(false);
            tracking.set_email(email);
        } else {
            invalid.set(true);
        }
    };
    move || {
        needed().then(|| {
            view! {
                <form class="email-form" on:submit=save novalidate>
                    <p id="email-help">{messages.email_needed}</p>
                    <label for="learner-email">{messages.email_label}</label>
                    <input
                        id="learner-email"
                        type="email"
                        autocomplete="email"
                        aria-describedby="email-help email-error"
                        aria-invalid=move || invalid.get().to_string()
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button">{messages.save}</button>
                    <p id="email-error" class="field-error" role="alert">
                        {move || invalid.get().then_some(messages.email_invalid)}
                    </p>
                </form>
            }
        })
    }
}

fn describe(statement: &Statement) -> String {
    let verb = statement.verb.kind().map_or(statement.verb.id.as_str(), |kind| kind.name());
    let name = statement
        .object
        .definition
        .as_ref()
        .and_then(|d| d.name.values().next().cloned())
        .unwrap_or_else(|| statement.object.id.clone());
    format!("{verb} · {name}")
}

/// One statement in the author panel.
struct Row {
    id: String,
    text: String,
    /// The LRS's answer, for a refused statement.
    detail: Option<String>,
}

/// A list of statements in one state (`data-state`), or "None."
fn statement_list(state: &'static str, rows: Vec<Row>, messages: &'static Messages) -> AnyView {
    if rows.is_empty() {
        return view! { <p>{messages.tracking_none}</p> }.into_any();
    }
    let items = rows
        .into_iter()
        .map(|row| view! { <li data-id=row.id>{row.text}{row.detail.map(|d| view! { <br/><code>{d}</code> })}</li> })
        .collect_view();
    view! { <ol class="statement-list" data-state=state>{items}</ol> }.into_any()
}

/// For authors: the configuration, then every statement waiting, refused, or lately sent.
#[component]
pub fn TrackingPanel() -> impl IntoView {
    let messages = expect_locale();
    let tracking = expect_tracking();
    let configuration = move || match tracking.config.get() {
        ConfigState::Loading => messages.loading.to_owned(),
        ConfigState::Ready(config) => match config.lrs {
            Some(lrs) => Messages::fill(messages.tracking_endpoint, "url", lrs.endpoint),
            None => messages.tracking_not_configured.to_owned(),
        },
        ConfigState::Missing(reason) => Messages::fill(messages.tracking_config_missing, "reason", reason),
        ConfigState::Invalid(reason) => Messages::fill(messages.tracking_config_invalid, "reason", reason),
    };
    let waiting = move || {
        let rows = tracking.outbox.with(|o| {
            o.queue
                .iter()
                .map(|s| Row { id: s.id.clone(), text: format!("{} {}", s.timestamp, describe(s)), detail: None })
                .collect()
        });
        statement_list("waiting", rows, messages)
    };
    let rejected = move || {
        let rows = tracking.outbox.with(|o| {
            o.rejected
                .iter()
                .map(|r| Row {
                    id: r.statement.id.clone(),
                    text: describe(&r.statement),
                    detail: Some(format!("HTTP {} — {}", r.status, r.answer)),
                })
                .collect()
        });
        statement_list("rejected", rows, messages)
    };
    let delivered = move || {
        let rows = tracking.outbox.with(|o| {
            o.log
                .iter()
                .rev()
                .map(|d| Row {
                    id: d.id.clone(),
                    text: format!("{} {} · {}", d.timestamp, d.verb, d.object),
                    detail: None,
                })
                .collect()
        });
        statement_list("delivered", rows, messages)
    };
    let last_error = move || {
        tracking.last_error.get().map(|e| view! { <p>{Messages::fill(messages.tracking_last_error, "error", e)}</p> })
    };
    let sent = move || Messages::fill(messages.records_sent, "n", tracking.outbox.with(|o| o.delivered));
    let details = move || {
        tracking
            .outbox
            .with(|o| records_details(messages, o))
            .map(|text| view! { <p class="tracking-details">{text}</p> })
    };
    view! {
        <details class="tracking-panel">
            // A heading of its own, so its h3s are not filed under the page's last section.
            <summary><h2>{messages.tracking_panel}</h2></summary>
            <p class="tracking-config">{configuration}</p>
            {last_error}
            <p>{sent}</p>
            {details}
            <h3>{messages.tracking_waiting}</h3>
            {waiting}
            <h3>{messages.tracking_rejected}</h3>
            {rejected}
            <h3>{messages.tracking_delivered}</h3>
            {delivered}
        </details>
    }
}
