//! The satisfaction survey on the course page, once the course is completed: a 1–5 rating whose
//! five choices are labelled in words (a radio group, keyboard and screen-reader friendly, not
//! stars alone), an optional comment, and a button. The answer is kept with the progress, sent
//! as a `rated` statement, and can be changed later; it never holds back the attestation.

use super::expect_locale;
use super::progress::expect_progress;
use crate::course::Course;
use crate::i18n::Messages;
use crate::progress::SatisfactionError;
use crate::web::now;
use leptos::prelude::*;
use std::sync::Arc;

/// The survey, shown once the course is completed and when the course asks for it.
#[component]
pub fn SatisfactionSurvey(course: Arc<Course>) -> impl IntoView {
    let progress = expect_progress();
    let settings = course.satisfaction;
    let completed = {
        let course = course.clone();
        Memo::new(move |_| progress.state.with(|p| p.summary(&course).completed))
    };
    move || {
        (settings.enabled && completed.get())
            .then(|| view! { <SurveyForm comment_max_length=settings.comment_max_length/> })
    }
}

#[component]
fn SurveyForm(comment_max_length: u32) -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let earlier = progress.state.with_untracked(|p| p.satisfaction.clone());
    let rating = RwSignal::new(earlier.as_ref().map(|a| a.rating));
    let comment = RwSignal::new(earlier.as_ref().and_then(|a| a.comment.clone()).unwrap_or_default());
    // What the last press of the button did, announced once.
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let send = move |_| {
        let Some(value) = rating.get_untracked() else {
            outcome.set(Some(Err(messages.survey_choose.to_owned())));
            return;
        };
        let text = comment.get_untracked();
        let mut result = Ok(());
        progress.apply(|p, course| result = p.record_satisfaction(course, value, &text, now()));
        outcome.set(Some(result.map_err(|error| match error {
            SatisfactionError::CommentTooLong(max) => Messages::fill(messages.survey_too_long, "n", max),
            SatisfactionError::RatingOutOfRange | SatisfactionError::Disabled => messages.survey_choose.to_owned(),
        })));
    };
    let labels = messages.survey_ratings;
    view! {
        <section class="satisfaction" aria-labelledby="satisfaction-heading">
            <h2 id="satisfaction-heading">{messages.survey_heading}</h2>
            <fieldset class="rating">
                <legend>{messages.survey_question}</legend>
                {(1..=5u8)
                    .map(|value| {
                        let label = labels[usize::from(value - 1)];
                        view! {
                            <label class="option">
                                <input
                                    type="radio"
                                    name="satisfaction-rating"
                                    value=value.to_string()
                                    prop:checked=move || rating.get() == Some(value)
                                    on:change=move |_| {
                                        rating.set(Some(value));
                                        outcome.set(None);
                                    }
                                />
                                {format!("{value} – {label}")}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            {(comment_max_length > 0)
                .then(|| {
                    view! {
                        <div class="text-answer">
                            <label for="satisfaction-comment">{messages.survey_comment}</label>
                            <p class="hint" id="satisfaction-comment-hint">
                                {Messages::fill(messages.survey_comment_hint, "n", comment_max_length)}
                            </p>
                            <textarea
                                id="satisfaction-comment"
                                aria-describedby="satisfaction-comment-hint"
                                rows="4"
                                maxlength=comment_max_length.to_string()
                                prop:value=move || comment.get()
                                on:input=move |ev| {
                                    comment.set(event_target_value(&ev));
                                    outcome.set(None);
                                }
                            ></textarea>
                        </div>
                    }
                })}
            <button type="button" class="primary" id="satisfaction-send" on:click=send>
                {messages.survey_send}
            </button>
            <super::OutcomeStatus outcome done=messages.survey_thanks/>
        </section>
    }
}
