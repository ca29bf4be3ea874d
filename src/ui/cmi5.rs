//! The cmi5 launch in the banner: "Quitter" (`terminated`, then back to the LMS's `returnURL`),
//! or, when the launch failed, why, plainly (learning goes on, kept in the browser, but the
//! platform is told nothing). The launch itself is followed before the player starts
//! (`web::cmi5`) and kept in the LMS session (`ui::lms`).

use super::expect_locale;
use super::lms::expect_lms_session;
use crate::i18n::Messages;
use crate::lms::cmi5::Cmi5Error;
use leptos::prelude::*;

/// Why a launch failed, in the interface's language (the LMS's own words quoted as they are).
fn describe(messages: &Messages, error: &Cmi5Error) -> String {
    fn fill(template: &str, name: &str, value: impl std::fmt::Display) -> String {
        Messages::fill(template, name, value)
    }
    match error {
        Cmi5Error::MissingParameter(name) => fill(messages.cmi5_missing_parameter, "name", name),
        Cmi5Error::BadParameter { name, problem } => {
            fill(&fill(messages.cmi5_bad_parameter, "name", name), "problem", problem)
        }
        Cmi5Error::FetchRefused { code, text } => fill(&fill(messages.cmi5_refused, "code", code), "text", text),
        Cmi5Error::Network(problem) => fill(messages.cmi5_unreachable, "problem", problem),
        Cmi5Error::UntrustedPlatform(origin) => fill(messages.cmi5_untrusted_platform, "origin", origin),
        Cmi5Error::Status { what, status } => fill(&fill(messages.cmi5_status, "status", status), "what", what),
        Cmi5Error::Unreadable { what, problem } => {
            fill(&fill(messages.cmi5_unreadable, "what", what), "problem", problem)
        }
        Cmi5Error::SessionEnded => messages.cmi5_session_ended.to_owned(),
    }
}

/// In the banner: "Quitter" for a cmi5 launch, or why the launch failed.
#[component]
pub fn Cmi5Status() -> impl IntoView {
    let messages = expect_locale();
    let session = expect_lms_session();
    if let Some(error) = session.cmi5_failure() {
        let text = Messages::fill(messages.cmi5_launch_failed, "error", describe(messages, &error));
        return view! { <p class="lms-status alert" role="alert">{text}</p> }.into_any();
    }
    match session.cmi5_launch() {
        None => ().into_any(),
        Some(launch) => {
            let tracking = super::tracking::expect_tracking();
            let leaving = RwSignal::new(false);
            let return_url = launch.data.return_url.clone();
            let leave = move |_| {
                leaving.set(true);
                tracking.exit(return_url.clone());
            };
            view! {
                <p class="lms-exit">
                    <button type="button" class="tool-button" on:click=leave disabled=move || leaving.get()>
                        {messages.cmi5_exit}
                    </button>
                    <span role="status">{move || leaving.get().then_some(messages.cmi5_leaving)}</span>
                </p>
            }
            .into_any()
        }
    }
}
