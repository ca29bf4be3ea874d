//! The outbox policy: statements are written to the outbox before any send, sent in order and in
//! batches, removed only once the LRS holds them (2xx, or 409 for an id it already has), retried
//! with exponential backoff and jitter on 5xx, 429 and network errors, moved to a dead-letter
//! list on 400/422 (after isolating the one bad statement of a batch), and retried on a slower
//! schedule on 401/403 (credentials are mended by people, and then sending goes on by itself).
//! Pure: the player's glue stores the outbox, does the HTTP and calls [`Outbox::settle`].

use super::statement::{Agent, Statement, VerbKind};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Statements sent in one POST at most (Ralph takes about 1,100 a second in batches of 50).
pub const BATCH_SIZE: usize = 50;
/// The first retry waits about this long; each failure doubles it, up to [`MAX_BACKOFF_MS`].
pub const FIRST_BACKOFF_MS: f64 = 2_000.0;
pub const MAX_BACKOFF_MS: f64 = 300_000.0;
/// After a 401/403 (credentials refused), the first retry waits about this long, then doubles up
/// to [`MAX_REFUSED_BACKOFF_MS`]: credentials are mended by people, in minutes, not seconds.
pub const FIRST_REFUSED_BACKOFF_MS: f64 = 15_000.0;
pub const MAX_REFUSED_BACKOFF_MS: f64 = 900_000.0;

/// A statement the LRS refused: it will not be retried, and authors can see why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub statement: Statement,
    pub status: u16,
    /// The LRS's answer, cut to a readable length.
    pub answer: String,
    pub at: f64,
}

/// What the LRS answered to a POST.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// 2xx: stored.
    Stored,
    /// 409: the LRS already holds statements with these ids (a resend after a lost answer).
    AlreadyStored,
    /// 401/403: credentials missing or refused; retrying will not help until they are fixed.
    Unauthorized(u16),
    /// Another 4xx: a statement is wrong; retrying will never help.
    Invalid { status: u16, answer: String },
    /// 5xx, 429 or no answer at all: try again later (`retry_after_ms` from a Retry-After header).
    RetryLater { status: Option<u16>, retry_after_ms: Option<f64> },
}

impl Answer {
    /// Classifies an HTTP status (`None`: the request failed before any answer).
    ///
    /// A 2xx is believed only with the body an LRS gives (nothing, or the list of stored ids): a
    /// 2xx with anything else comes from something that is not an LRS (a misconfigured proxy, a
    /// captive portal), and the statements are kept to be sent again.
    pub fn from_http(status: Option<u16>, body: &str, retry_after_ms: Option<f64>) -> Answer {
        let lrs_body = || body.trim().is_empty() || serde_json::from_str::<Vec<String>>(body).is_ok();
        match status {
            Some(200..=299) if lrs_body() => Answer::Stored,
            Some(200..=299) => Answer::RetryLater { status, retry_after_ms },
            Some(409) => Answer::AlreadyStored,
            Some(status @ (401 | 403)) => Answer::Unauthorized(status),
            // 404/405/410: no LRS at this address (a proxy not set up yet), not a wrong statement:
            // keep the statements and try again later rather than set them aside.
            Some(404 | 405 | 410 | 429) | Some(500..=599) | None => Answer::RetryLater { status, retry_after_ms },
            Some(status) => Answer::Invalid { status, answer: body.chars().take(500).collect() },
        }
    }
}

/// A statement the LRS holds, as the author panel lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivered {
    pub id: String,
    /// The verb's last word (`answered`).
    pub verb: String,
    pub object: String,
    pub timestamp: String,
}

/// How many delivered statements the author panel remembers.
pub const DELIVERED_LOG: usize = 100;

/// The most statements kept waiting (about 2 MB of the browser's 5 MB of storage): a learner
/// offline for weeks, or a site whose LRS is gone, must not fill the storage that also holds their
/// progress. Over it, the oldest statements that are not results are dropped, and counted in
/// [`Outbox::dropped`] for the notice; a result (`completed`, `passed`, `failed`) is never dropped.
pub const MAX_WAITING: usize = 2_000;

/// Whether a statement records a result, never dropped to keep the queue bounded.
pub fn is_result(statement: &Statement) -> bool {
    statement.verb.kind().is_some_and(VerbKind::is_result)
}

/// Which of the waiting statements (oldest first) to drop so that at most `max` wait: the oldest
/// that are not results. Fewer when results alone exceed `max`: those all stay.
pub fn overflow<'a>(waiting: impl IntoIterator<Item = &'a Statement>, count: usize, max: usize) -> Vec<String> {
    let excess = count.saturating_sub(max);
    waiting.into_iter().filter(|s| !is_result(s)).take(excess).map(|s| s.id.clone()).collect()
}

/// The statements waiting to be sent, and what happened to the ones that could not be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Outbox {
    /// In the order they were made. Stored one key per statement (see [`super::store`]), so that
    /// tabs adding statements never overwrite each other; not part of the stored state.
    #[serde(skip)]
    pub queue: VecDeque<Statement>,
    /// Refused by the LRS; kept for authors, never retried.
    pub rejected: Vec<Rejected>,
    /// Consecutive failures that call for a retry.
    pub failures: u32,
    /// No send before this time (backoff).
    pub next_attempt_at: f64,
    /// The LRS refused the credentials (401/403): sending waits for the next retry, on a slower
    /// schedule (or for the network to come back, or the page to be shown again), then goes on
    /// by itself once the credentials are mended. Cleared by the next statement stored.
    pub paused: Option<u16>,
    /// After a batch was refused, statements are sent one at a time until the bad one is found.
    pub isolating: bool,
    /// Since when no statement has reached the LRS although some were sent (the first failure
    /// after the last success): what the learner is told about once it lasts.
    pub failing_since: Option<f64>,
    /// How many statements the LRS has taken, for the status line.
    pub delivered: u64,
    /// How many statements were dropped to keep the queue within [`MAX_WAITING`].
    pub dropped: u64,
    /// The last statements delivered, newest last.
    pub log: VecDeque<Delivered>,
}

impl Outbox {
    /// Adds a statement (a statement already waiting, by id, is not added twice).
    pub fn push(&mut self, statement: Statement) {
        if !self.queue.iter().any(|s| s.id == statement.id) {
            self.queue.push_back(statement);
        }
    }

    /// How many statements wait.
    pub fn waiting(&self) -> usize {
        self.queue.len()
    }

    /// The next statements to POST, oldest first, if it is time to send. In a cmi5 launch only
    /// the launch's own `registration` is sent: the launch's token is refused for the statements
    /// another launch left behind, and a refusal would pause this launch's results.
    pub fn next_batch(&self, now: f64, registration: Option<&str>) -> Option<Vec<Statement>> {
        if now < self.next_attempt_at {
            return None;
        }
        let size = if self.isolating { 1 } else { BATCH_SIZE };
        let batch: Vec<Statement> = self.sendable(registration).take(size).cloned().collect();
        (!batch.is_empty()).then_some(batch)
    }

    /// The waiting statements that may be sent with the current credentials, oldest first.
    pub fn sendable<'a>(&'a self, registration: Option<&'a str>) -> impl Iterator<Item = &'a Statement> + 'a {
        self.queue.iter().filter(move |s| registration.is_none_or(|r| s.context.registration == r))
    }

    /// Takes in the LRS's answer to the batch of `sent` ids. `jitter` in 0..1 spreads retries of
    /// many learners after an outage.
    pub fn settle(&mut self, sent: &[String], answer: Answer, now: f64, jitter: f64) {
        match answer {
            // A 409 says some id of the batch is known, not that every statement of it is stored
            // (an LRS may refuse the whole batch for one): send them one at a time to tell.
            Answer::AlreadyStored if sent.len() > 1 => {
                self.isolating = true;
                self.next_attempt_at = now;
            }
            Answer::Stored | Answer::AlreadyStored => {
                if matches!(answer, Answer::AlreadyStored) {
                    self.isolating = false;
                }
                let (stored, waiting): (VecDeque<Statement>, VecDeque<Statement>) =
                    std::mem::take(&mut self.queue).into_iter().partition(|s| sent.contains(&s.id));
                self.queue = waiting;
                self.delivered += stored.len() as u64;
                for statement in stored {
                    self.log.push_back(Delivered {
                        verb: statement.verb.kind().map_or_else(|| statement.verb.id.clone(), |k| k.name().to_owned()),
                        object: statement.object.id,
                        id: statement.id,
                        timestamp: statement.timestamp,
                    });
                }
                while self.log.len() > DELIVERED_LOG {
                    self.log.pop_front();
                }
                self.failures = 0;
                self.paused = None;
                self.failing_since = None;
                self.next_attempt_at = now;
            }
            Answer::Unauthorized(status) => {
                self.failing_since.get_or_insert(now);
                self.paused = Some(status);
                self.failures = self.failures.saturating_add(1);
                self.next_attempt_at =
                    now + backoff(self.failures, FIRST_REFUSED_BACKOFF_MS, MAX_REFUSED_BACKOFF_MS, jitter);
            }
            Answer::Invalid { status, answer } => {
                if sent.len() > 1 {
                    // One statement spoils the batch: find it by sending one at a time.
                    self.isolating = true;
                } else if let Some(position) = self.queue.iter().position(|s| sent.contains(&s.id)) {
                    if let Some(statement) = self.queue.remove(position) {
                        self.rejected.push(Rejected { statement, status, answer, at: now });
                    }
                    self.isolating = false;
                }
                self.next_attempt_at = now;
            }
            Answer::RetryLater { retry_after_ms, .. } => {
                self.failing_since.get_or_insert(now);
                self.failures = self.failures.saturating_add(1);
                let delay = backoff(self.failures, FIRST_BACKOFF_MS, MAX_BACKOFF_MS, jitter);
                self.next_attempt_at = now + delay.max(retry_after_ms.unwrap_or(0.0));
            }
        }
    }

    /// Gives statements made before the learner gave their e-mail address (a deployment that
    /// identifies learners by `mbox` sends nothing before) the learner's identity.
    pub fn identify(&mut self, actor: &Agent) {
        for statement in self.queue.iter_mut().filter(|s| s.actor.mbox.is_none()) {
            statement.actor = actor.clone();
        }
    }

    /// Sends again at once: the network is back, the page was loaded or shown again, or
    /// credentials changed. A refusal stays shown until a statement is stored.
    pub fn resume(&mut self, now: f64) {
        self.next_attempt_at = self.next_attempt_at.min(now);
    }
}

/// How long records may fail to reach the LRS before the learner is told: an outage of a few
/// minutes is the outbox's business, not theirs.
pub const UNDELIVERED_NOTICE_AFTER_MS: f64 = 3_600_000.0;

/// What a learner is told about their records, in plain words, and only when it matters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LearnerNotice {
    /// The browser is offline: progress is kept on this device.
    Offline,
    /// Records have not reached the platform since `since` (ms), for longer than
    /// [`UNDELIVERED_NOTICE_AFTER_MS`]: they are kept, and what to do if it lasts.
    NotDelivered { since: f64 },
}

impl Outbox {
    /// The notice for the learner now, if any. It changes only when the situation does (not
    /// with each record), so that a live region reading it speaks once per change.
    pub fn learner_notice(&self, online: bool, now: f64) -> Option<LearnerNotice> {
        if !online {
            return Some(LearnerNotice::Offline);
        }
        let since = self.failing_since.filter(|since| now - since >= UNDELIVERED_NOTICE_AFTER_MS)?;
        (self.waiting() > 0).then_some(LearnerNotice::NotDelivered { since })
    }
}

/// The wait before retry number `failures` (1 for the first): doubling from `first` up to `max`,
/// spread by `jitter` (0..1) over half to all of it, so that many learners do not retry at once.
fn backoff(failures: u32, first: f64, max: f64, jitter: f64) -> f64 {
    let exponential = first * 2f64.powi(i32::try_from(failures.saturating_sub(1)).unwrap_or(30).min(30));
    exponential.min(max) * (0.5 + jitter.clamp(0.0, 1.0) / 2.0)
}

/// Which tab may send: a lease kept in storage, so that two tabs never send the same statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lease {
    pub holder: String,
    pub until: f64,
}

/// How long a lease lasts: longer than a request may take ([`REQUEST_TIMEOUT_MS`]); the holder
/// renews it at each send, a closed tab's lease expires.
pub const LEASE_MS: f64 = 30_000.0;
/// How long a closing page keeps the lease after sending its last statements with `keepalive`:
/// the time they take to land, so that the next page does not send them a second time meanwhile.
pub const HANDOVER_MS: f64 = 5_000.0;
/// A request to the LRS that has not answered after this long is abandoned and retried later.
pub const REQUEST_TIMEOUT_MS: f64 = 20_000.0;

impl Lease {
    /// Whether `tab` may send now, given the lease in storage.
    pub fn allows(current: Option<&Lease>, tab: &str, now: f64) -> bool {
        current.is_none_or(|lease| lease.holder == tab || lease.until <= now)
    }

    /// The lease `tab` writes before sending.
    pub fn take(tab: &str, now: f64) -> Lease {
        Lease { holder: tab.to_owned(), until: now + LEASE_MS }
    }
}

/// A small valid statement numbered `n`, for the outbox and store tests.
#[cfg(test)]
pub(crate) fn sample_statement(n: usize) -> Statement {
    use crate::xapi::statement::{Activity, Context, ContextActivities, Verb};
    Statement {
        id: format!("00000000-0000-4000-8000-{n:012}"),
        actor: Agent::account("https://example.org", "l", None),
        verb: Verb { id: "http://adlnet.gov/expapi/verbs/experienced".into(), display: Default::default() },
        object: Activity { object_type: "Activity".into(), id: format!("https://example.org/{n}"), definition: None },
        result: None,
        context: Context {
            registration: "r".into(),
            context_activities: ContextActivities::default(),
            language: "fr".into(),
            platform: "Parcours".into(),
            extensions: Default::default(),
        },
        timestamp: "2026-11-28T00:00:00.000Z".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xapi::statement::Agent;

    fn statement(n: usize) -> Statement {
        sample_statement(n)
    }

    fn outbox(count: usize) -> Outbox {
        let mut outbox = Outbox::default();
        (0..count).for_each(|n| outbox.push(statement(n)));
        outbox
    }

    fn ids(batch: &[Statement]) -> Vec<String> {
        batch.iter().map(|s| s.id.clone()).collect()
    }

    #[test]
    fn a_launch_sends_only_its_own_registration() {
        let mut outbox = Outbox::default();
        for (n, registration) in [(1, "ancienne"), (2, "courante"), (3, "ancienne"), (4, "courante")] {
            let mut s = statement(n);
            s.context.registration = registration.into();
            outbox.push(s);
        }
        assert_eq!(ids(&outbox.next_batch(0.0, Some("courante")).unwrap()), [statement(2).id, statement(4).id]);
        assert_eq!(outbox.next_batch(0.0, None).unwrap().len(), 4, "a site sends every registration");
        assert_eq!(outbox.next_batch(0.0, Some("autre")), None);
    }

    #[test]
    fn sends_in_order_in_batches_and_removes_only_what_was_stored() {
        let mut outbox = outbox(120);
        outbox.push(statement(3));
        assert_eq!(outbox.waiting(), 120, "an id already waiting is not added twice");
        let first = outbox.next_batch(0.0, None).unwrap();
        assert_eq!(first.len(), 50);
        assert_eq!(first[0].id, statement(0).id);
        outbox.settle(&ids(&first), Answer::Stored, 1.0, 0.5);
        let second = outbox.next_batch(1.0, None).unwrap();
        assert_eq!(second[0].id, statement(50).id);
        outbox.settle(&ids(&second), Answer::Stored, 2.0, 0.5);
        assert_eq!((outbox.waiting(), outbox.delivered), (20, 100));
        let last = outbox.next_batch(2.0, None).unwrap();
        outbox.settle(&ids(&last), Answer::Stored, 3.0, 0.5);
        assert_eq!(outbox.next_batch(3.0, None), None);
    }

    #[test]
    fn a_409_for_a_batch_loses_none_of_its_new_statements() {
        // The LRS already holds statement 1 (a resend after a lost answer) and refuses the whole
        // batch for it: statements 0 and 2 are not stored, and must not be taken for stored.
        let mut outbox = outbox(3);
        let batch = ids(&outbox.next_batch(0.0, None).unwrap());
        outbox.settle(&batch, Answer::AlreadyStored, 1.0, 0.5);
        assert_eq!((outbox.waiting(), outbox.delivered), (3, 0), "nothing is dropped on a batch's 409");
        let answers = [Answer::Stored, Answer::AlreadyStored, Answer::Stored];
        for (n, answer) in answers.into_iter().enumerate() {
            let one = ids(&outbox.next_batch(1.0, None).unwrap());
            assert_eq!(one, vec![statement(n).id], "one at a time, in order");
            outbox.settle(&one, answer, 1.0, 0.5);
        }
        assert_eq!((outbox.waiting(), outbox.delivered), (0, 3));
        assert!(!outbox.isolating);
    }

    #[test]
    fn outages_back_off_exponentially_with_jitter_and_a_cap() {
        let mut outbox = outbox(3);
        let batch = ids(&outbox.next_batch(0.0, None).unwrap());
        let mut waits = Vec::new();
        for _ in 0..12 {
            outbox.settle(&batch, Answer::from_http(None, "", None), 0.0, 1.0);
            waits.push(outbox.next_attempt_at);
        }
        assert_eq!(&waits[..4], [2_000.0, 4_000.0, 8_000.0, 16_000.0]);
        assert_eq!(waits[11], MAX_BACKOFF_MS);
        assert_eq!(outbox.waiting(), 3, "nothing is lost");
        assert_eq!(outbox.next_batch(1_000.0, None), None, "not before the backoff");

        outbox.settle(&batch, Answer::from_http(Some(503), "", None), 0.0, 0.0);
        assert_eq!(outbox.next_attempt_at, MAX_BACKOFF_MS / 2.0, "jitter takes off up to half");
        outbox.settle(&batch, Answer::from_http(Some(429), "", Some(900_000.0)), 0.0, 0.0);
        assert_eq!(outbox.next_attempt_at, 900_000.0, "Retry-After is honoured");
        outbox.resume(5.0);
        assert!(outbox.next_batch(5.0, None).is_some(), "back online: send at once");
    }

    #[test]
    fn one_bad_statement_in_a_batch_is_isolated_and_set_aside() {
        let mut outbox = outbox(4);
        let batch = ids(&outbox.next_batch(0.0, None).unwrap());
        let bad = statement(2).id;
        outbox.settle(&batch, Answer::from_http(Some(400), "bad", None), 0.0, 0.5);
        assert!(outbox.isolating);
        for _ in 0..4 {
            let one = ids(&outbox.next_batch(0.0, None).unwrap());
            assert_eq!(one.len(), 1);
            let answer =
                if one[0] == bad { Answer::from_http(Some(400), "invalid verb", None) } else { Answer::Stored };
            outbox.settle(&one, answer, 0.0, 0.5);
            if outbox.queue.is_empty() {
                break;
            }
        }
        assert_eq!(outbox.delivered, 3);
        assert_eq!(outbox.rejected.len(), 1);
        assert_eq!((outbox.rejected[0].statement.id.as_str(), outbox.rejected[0].status), (bad.as_str(), 400));
        assert_eq!(outbox.rejected[0].answer, "invalid verb");
        assert!(!outbox.isolating);
    }

    #[test]
    fn refused_credentials_are_retried_on_a_slower_schedule_until_mended() {
        let mut outbox = outbox(2);
        let batch = ids(&outbox.next_batch(0.0, None).unwrap());
        outbox.settle(&batch, Answer::from_http(Some(401), "", None), 0.0, 1.0);
        assert_eq!(outbox.paused, Some(401));
        assert_eq!(outbox.next_batch(FIRST_REFUSED_BACKOFF_MS - 1.0, None), None, "not before the retry");
        let batch = ids(&outbox.next_batch(FIRST_REFUSED_BACKOFF_MS, None).expect("retried without a reload"));
        // Still refused: the wait doubles (up to its cap), and the refusal stays shown.
        let at = FIRST_REFUSED_BACKOFF_MS;
        outbox.settle(&batch, Answer::from_http(Some(403), "", None), at, 1.0);
        assert_eq!(outbox.paused, Some(403));
        assert_eq!(outbox.next_batch(at + 2.0 * FIRST_REFUSED_BACKOFF_MS - 1.0, None), None);
        // The network comes back or the page is shown again: tried at once.
        outbox.resume(at + 1.0);
        let batch = ids(&outbox.next_batch(at + 1.0, None).unwrap());
        // Mended: stored, the refusal is gone, and sending goes on at its normal pace.
        outbox.settle(&batch, Answer::Stored, at + 2.0, 0.5);
        assert_eq!((outbox.paused, outbox.failures, outbox.waiting()), (None, 0, 0));
        for failures in 1..40 {
            assert!(backoff(failures, FIRST_REFUSED_BACKOFF_MS, MAX_REFUSED_BACKOFF_MS, 1.0) <= MAX_REFUSED_BACKOFF_MS);
        }
    }

    #[test]
    fn the_learner_is_told_only_when_it_matters_and_in_one_notice_per_situation() {
        let mut outbox = outbox(2);
        assert_eq!(outbox.learner_notice(true, 0.0), None, "records waiting a moment are not the learner's business");
        assert_eq!(outbox.learner_notice(false, 0.0), Some(LearnerNotice::Offline));
        let batch = ids(&outbox.next_batch(0.0, None).unwrap());
        outbox.settle(&batch, Answer::RetryLater { status: Some(503), retry_after_ms: None }, 1_000.0, 0.5);
        assert_eq!(outbox.learner_notice(true, 2_000.0), None, "a short outage is not told");
        let later = 1_000.0 + UNDELIVERED_NOTICE_AFTER_MS;
        let batch = ids(&outbox.next_batch(later, None).unwrap());
        outbox.settle(&batch, Answer::from_http(Some(401), "", None), later, 0.5);
        // Every failure after the first keeps the same notice: nothing new to announce.
        let told = outbox.learner_notice(true, later);
        assert_eq!(told, Some(LearnerNotice::NotDelivered { since: 1_000.0 }));
        assert_eq!(outbox.learner_notice(true, later + 60_000.0), told);
        outbox.resume(later + 1.0);
        let batch = ids(&outbox.next_batch(later + 1.0, None).unwrap());
        outbox.settle(&batch, Answer::Stored, later + 2.0, 0.5);
        assert_eq!(outbox.learner_notice(true, later + 3.0), None, "delivered: nothing to say");
    }

    #[test]
    fn answers_are_classified() {
        assert_eq!(Answer::from_http(Some(204), "", None), Answer::Stored);
        assert_eq!(Answer::from_http(Some(200), r#"["a", "b"]"#, None), Answer::Stored);
        assert_eq!(
            Answer::from_http(Some(200), "<html>Wi-Fi login</html>", None),
            Answer::RetryLater { status: Some(200), retry_after_ms: None },
            "garbage is not an LRS's receipt"
        );
        assert_eq!(Answer::from_http(Some(409), "", None), Answer::AlreadyStored);
        assert_eq!(Answer::from_http(Some(403), "", None), Answer::Unauthorized(403));
        assert_eq!(
            Answer::from_http(Some(404), "Not Found", None),
            Answer::RetryLater { status: Some(404), retry_after_ms: None },
            "no LRS behind the endpoint: keep the statements"
        );
        assert_eq!(Answer::from_http(Some(422), "x", None), Answer::Invalid { status: 422, answer: "x".into() });
        assert_eq!(
            Answer::from_http(Some(500), "", None),
            Answer::RetryLater { status: Some(500), retry_after_ms: None }
        );
    }

    #[test]
    fn the_sender_state_survives_a_round_trip_through_storage() {
        let mut outbox = outbox(2);
        let batch = ids(&outbox.next_batch(0.0, None).unwrap());
        outbox.settle(&batch[..1], Answer::Stored, 1.0, 0.5);
        outbox.settle(&batch[1..], Answer::from_http(Some(500), "", None), 1.0, 0.5);
        let json = serde_json::to_string(&outbox).unwrap();
        let read = serde_json::from_str::<Outbox>(&json).unwrap();
        assert_eq!(read, Outbox { queue: VecDeque::new(), ..outbox.clone() }, "the queue is stored apart");
        assert_eq!(read.log.len(), 1);
        assert_eq!(read.log[0].verb, "experienced");
    }

    #[test]
    fn the_delivered_log_keeps_the_latest() {
        let mut outbox = outbox(DELIVERED_LOG + 20);
        // Bounded: an outbox that kept delivered statements would hand them out for ever.
        let batches_needed = (DELIVERED_LOG + 20).div_ceil(BATCH_SIZE);
        for _ in 0..batches_needed {
            let batch = outbox.next_batch(0.0, None).expect("a batch while statements wait");
            outbox.settle(&ids(&batch), Answer::Stored, 0.0, 0.5);
        }
        assert_eq!(outbox.next_batch(0.0, None), None, "everything was delivered");
        assert_eq!(outbox.log.len(), DELIVERED_LOG);
        assert_eq!(outbox.log.back().unwrap().id, statement(DELIVERED_LOG + 19).id);
    }

    #[test]
    fn statements_waiting_for_an_e_mail_take_it_when_given() {
        let mut outbox = outbox(2);
        outbox.identify(&Agent::mbox("camille@example.org", None));
        assert!(outbox.queue.iter().all(|s| s.actor.mbox.as_deref() == Some("mailto:camille@example.org")));
        assert!(outbox.queue.iter().all(|s| s.actor.account.is_none()));
    }

    #[test]
    fn one_tab_at_a_time_holds_the_lease() {
        assert!(Lease::allows(None, "a", 0.0));
        let lease = Lease::take("a", 0.0);
        assert!(Lease::allows(Some(&lease), "a", 1.0));
        assert!(!Lease::allows(Some(&lease), "b", 1.0));
        assert!(Lease::allows(Some(&lease), "b", LEASE_MS), "a closed tab's lease expires");
    }
}
