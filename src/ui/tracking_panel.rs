//! What tracking shows: a one-line status for learners (only when records wait or sending is
//! paused), the e-mail form where a deployment asks for it, and a panel for authors listing the
//! statements and their state.

use super::expect_locale;
use super::tracking::{expect_tracking, ConfigState};
use crate::i18n::Messages;
use crate::xapi::config::plausible_email;
use crate::xapi::statement::Statement;
use leptos::prelude::*;

/// "3 records waiting to be sent", or why sending is paused; nothing when all is sent.
#[component]
pub fn TrackingStatus() -> impl IntoView {
    let messages = expect_locale();
    let tracking = expect_tracking();
    let text = move || {
        tracking.outbox.with(|outbox| {
            if let Some(status) = outbox.paused {
                Some(Messages::fill(messages.records_paused, "status", status))
            } else if outbox.waiting() > 0 {
                Some(Messages::fill(messages.records_waiting, "n", outbox.waiting()))
            } else {
                None
            }
        })
    };
    view! { <p class="tracking-status" role="status" aria-live="polite">{text}</p> }
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
    let verb = statement.verb.id.rsplit('/').next().unwrap_or_default();
    let name = statement
        .object
        .definition
        .as_ref()
        .and_then(|d| d.name.values().next().cloned())
        .unwrap_or_else(|| statement.object.id.clone());
    format!("{verb} · {name}")
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
    let none = move || view! { <p>{messages.tracking_none}</p> };
    let waiting = move || {
        let rows: Vec<(String, String, String)> = tracking
            .outbox
            .with(|o| o.queue.iter().map(|s| (s.id.clone(), s.timestamp.clone(), describe(s))).collect());
        if rows.is_empty() {
            return none().into_any();
        }
        view! {
            <ol class="statement-list" data-state="waiting">
                {rows
                    .into_iter()
                    .map(|(id, at, text)| view! { <li data-id=id><time>{at}</time>" "{text}</li> })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let rejected = move || {
        let rows: Vec<(String, String, String)> = tracking.outbox.with(|o| {
            o.rejected
                .iter()
                .map(|r| (r.statement.id.clone(), describe(&r.statement), format!("HTTP {} — {}", r.status, r.answer)))
                .collect()
        });
        if rows.is_empty() {
            return none().into_any();
        }
        view! {
            <ol class="statement-list" data-state="rejected">
                {rows
                    .into_iter()
                    .map(|(id, text, answer)| view! { <li data-id=id>{text}<br/><code>{answer}</code></li> })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let delivered = move || {
        let rows: Vec<(String, String, String)> = tracking.outbox.with(|o| {
            o.log
                .iter()
                .rev()
                .map(|d| (d.id.clone(), d.timestamp.clone(), format!("{} · {}", d.verb, d.object)))
                .collect()
        });
        if rows.is_empty() {
            return none().into_any();
        }
        view! {
            <ol class="statement-list" data-state="delivered">
                {rows
                    .into_iter()
                    .map(|(id, at, text)| view! { <li data-id=id><time>{at}</time>" "{text}</li> })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let last_error = move || {
        tracking.last_error.get().map(|e| view! { <p>{Messages::fill(messages.tracking_last_error, "error", e)}</p> })
    };
    let sent = move || Messages::fill(messages.records_sent, "n", tracking.outbox.with(|o| o.delivered));
    view! {
        <details class="tracking-panel">
            <summary>{messages.tracking_panel}</summary>
            <p class="tracking-config">{configuration}</p>
            {last_error}
            <p>{sent}</p>
            <h3>{messages.tracking_waiting}</h3>
            {waiting}
            <h3>{messages.tracking_rejected}</h3>
            {rejected}
            <h3>{messages.tracking_delivered}</h3>
            {delivered}
        </details>
    }
}
