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
            } else if outbox.waiting() > 0 && outbox.dropped > 0 {
                let waiting = Messages::fill(messages.records_waiting, "n", outbox.waiting());
                Some(format!("{waiting} — {}", Messages::fill(messages.records_dropped, "n", outbox.dropped)))
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
    let dropped = move || {
        let dropped = tracking.outbox.with(|o| o.dropped);
        (dropped > 0).then(|| view! { <p>{Messages::fill(messages.records_dropped, "n", dropped)}</p> })
    };
    view! {
        <details class="tracking-panel">
            <summary>{messages.tracking_panel}</summary>
            <p class="tracking-config">{configuration}</p>
            {last_error}
            <p>{sent}</p>
            {dropped}
            <h3>{messages.tracking_waiting}</h3>
            {waiting}
            <h3>{messages.tracking_rejected}</h3>
            {rejected}
            <h3>{messages.tracking_delivered}</h3>
            {delivered}
        </details>
    }
}
