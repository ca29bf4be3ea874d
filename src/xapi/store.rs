//! The outbox in storage, shared by every tab of the site.
//!
//! - Each waiting statement has its own key, `parcours:xapi:queue:<order>:<id>`, written once by
//!   the tab that made it and removed once by the tab that delivered it: two tabs adding
//!   statements at the same moment never overwrite each other (one shared list would lose one).
//! - The sender's state (backoff, pause, rejected statements, the delivered log) is one key,
//!   written only by the tab holding the lease.
//! - The lease (`parcours:xapi:lease`) says which tab sends.
//!
//! When the browser refuses to store (denied, or full), statements are kept in the tab's memory
//! and sent from there: nothing is lost while the page is open.

use super::outbox::{overflow, Answer, Lease, Outbox, MAX_WAITING};
use super::statement::{Agent, Statement};
use crate::progress::store::KeyValueStore;

pub const QUEUE_PREFIX: &str = "parcours:xapi:queue:";
pub const STATE_KEY: &str = "parcours:xapi:state";
pub const LEASE_KEY: &str = "parcours:xapi:lease";

/// The key of a waiting statement: the time it was made and a counter of the tab that made it
/// (so keys sort in the order statements were made), then its id.
pub fn queue_key(at_ms: f64, counter: u32, tab: &str, id: &str) -> String {
    format!("{QUEUE_PREFIX}{:015.0}-{counter:08}-{tab}:{id}", at_ms.max(0.0))
}

fn id_of(key: &str) -> &str {
    key.rsplit(':').next().unwrap_or_default()
}

/// The browser's storage, with the tab's memory for what the browser refuses.
pub struct OutboxStore<'a> {
    pub durable: &'a dyn KeyValueStore,
    pub memory: &'a dyn KeyValueStore,
}

impl OutboxStore<'_> {
    /// Adds a statement. Returns `false` when the browser refused it and it lives in memory.
    pub fn enqueue(&self, key: &str, statement: &Statement) -> bool {
        let json = match serde_json::to_string(statement) {
            Ok(json) => json,
            Err(_) => return false,
        };
        let durable = self.durable.set(key, &json).is_ok();
        if !durable {
            // The memory store has no quota and cannot be denied.
            let _ = self.memory.set(key, &json);
        }
        self.keep_within(MAX_WAITING);
        durable
    }

    /// Drops the oldest waiting statements that are not results until at most `max` wait
    /// (see [`MAX_WAITING`]), and counts them for the notice.
    fn keep_within(&self, max: usize) {
        let keys = self.queue_keys();
        if keys.len() <= max {
            return;
        }
        let outbox = self.load();
        let drop = overflow(&outbox.queue, keys.len(), max);
        for key in keys.iter().filter(|k| drop.iter().any(|id| id == id_of(k))) {
            let _ = self.durable.remove(key);
            let _ = self.memory.remove(key);
        }
        let mut outbox = outbox;
        outbox.dropped += drop.len() as u64;
        self.save_state(&outbox);
    }

    /// Takes out of the queue the waiting statements `which` picks, oldest first (to be put
    /// back in another form: see `lms::cmi5::Cmi5Launch::carry_over`).
    pub fn take_waiting(&self, which: impl Fn(&Statement) -> bool) -> Vec<Statement> {
        let mut taken = Vec::new();
        for key in self.queue_keys() {
            let raw = self.memory.get(&key).ok().flatten().or_else(|| self.durable.get(&key).ok().flatten());
            let Some(statement) = raw.and_then(|raw| serde_json::from_str::<Statement>(&raw).ok()) else { continue };
            if statement.id == id_of(&key) && which(&statement) {
                let _ = self.durable.remove(&key);
                let _ = self.memory.remove(&key);
                taken.push(statement);
            }
        }
        taken
    }

    /// Removes every waiting statement: the site sends nothing (`"lrs": null`), so nothing is kept.
    pub fn discard_all(&self) {
        for key in self.queue_keys() {
            let _ = self.durable.remove(&key);
            let _ = self.memory.remove(&key);
        }
    }

    fn queue_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = [self.durable, self.memory]
            .iter()
            .flat_map(|store| store.keys_with_prefix(QUEUE_PREFIX).unwrap_or_default())
            .collect();
        crate::small_sort::sort_by(&mut keys, |a, b| a < b);
        keys.dedup();
        keys
    }

    /// The outbox as stored: the sender's state and every waiting statement, oldest first.
    /// An entry that cannot be read is left where it is and skipped.
    pub fn load(&self) -> Outbox {
        let state = [self.memory, self.durable].iter().find_map(|store| store.get(STATE_KEY).ok().flatten());
        let mut outbox: Outbox = state.and_then(|raw| serde_json::from_str(&raw).ok()).unwrap_or_default();
        for key in self.queue_keys() {
            let raw = self.memory.get(&key).ok().flatten().or_else(|| self.durable.get(&key).ok().flatten());
            if let Some(statement) = raw.and_then(|raw| serde_json::from_str::<Statement>(&raw).ok()) {
                if statement.id == id_of(&key) {
                    outbox.push(statement);
                }
            }
        }
        outbox
    }

    fn save_state(&self, outbox: &Outbox) {
        let Ok(json) = serde_json::to_string(outbox) else { return };
        if self.durable.set(STATE_KEY, &json).is_ok() {
            let _ = self.memory.remove(STATE_KEY);
        } else {
            let _ = self.memory.set(STATE_KEY, &json);
        }
    }

    /// Takes in the LRS's answer: statements it holds (or refused) leave the queue, only them,
    /// even if another tab added statements meanwhile.
    pub fn settle(&self, sent: &[String], answer: Answer, now: f64, jitter: f64) -> Outbox {
        let mut outbox = self.load();
        outbox.settle(sent, answer, now, jitter);
        let waiting: Vec<&str> = outbox.queue.iter().map(|s| s.id.as_str()).collect();
        for key in self.queue_keys() {
            let id = id_of(&key);
            if sent.iter().any(|s| s == id) && !waiting.contains(&id) {
                let _ = self.durable.remove(&key);
                let _ = self.memory.remove(&key);
            }
        }
        self.save_state(&outbox);
        outbox
    }

    /// Sends again at once (back online, page loaded, credentials changed).
    pub fn resume(&self, now: f64) -> Outbox {
        let mut outbox = self.load();
        outbox.resume(now);
        self.save_state(&outbox);
        outbox
    }

    /// Gives waiting statements the learner's e-mail identity (see [`Outbox::identify`]).
    pub fn identify(&self, actor: &Agent) {
        for key in self.queue_keys() {
            for store in [self.durable, self.memory] {
                let Some(raw) = store.get(&key).ok().flatten() else { continue };
                let Ok(mut statement) = serde_json::from_str::<Statement>(&raw) else { continue };
                if statement.actor.mbox.is_none() {
                    statement.actor = actor.clone();
                    if let Ok(json) = serde_json::to_string(&statement) {
                        let _ = store.set(&key, &json);
                    }
                }
            }
        }
    }

    /// Takes (or renews) the lease for `tab` if no other tab holds it. Without durable storage
    /// every tab is alone, and holds it.
    pub fn take_lease(&self, tab: &str, now: f64) -> bool {
        let current = match self.durable.get(LEASE_KEY) {
            Ok(raw) => raw.and_then(|raw| serde_json::from_str::<Lease>(&raw).ok()),
            Err(_) => return true,
        };
        if !Lease::allows(current.as_ref(), tab, now) {
            return false;
        }
        // If the lease cannot be written (storage full) this tab sends anyway: at worst two tabs
        // send the same statements, which the LRS takes as one (same id and content: 204 or 409).
        if let Ok(json) = serde_json::to_string(&Lease::take(tab, now)) {
            let _ = self.durable.set(LEASE_KEY, &json);
        }
        true
    }

    /// Hands the lease over as this tab closes: another page (the next one in this tab, a new
    /// launch, another tab) may send from `from` on, instead of waiting for the lease to expire.
    /// Only the holder hands it over.
    pub fn hand_over_lease(&self, tab: &str, from: f64) {
        let ours = self
            .durable
            .get(LEASE_KEY)
            .ok()
            .flatten()
            .and_then(|raw| serde_json::from_str::<Lease>(&raw).ok())
            .is_some_and(|lease| lease.holder == tab);
        if ours {
            if let Ok(json) = serde_json::to_string(&Lease { holder: tab.to_owned(), until: from }) {
                let _ = self.durable.set(LEASE_KEY, &json);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::store::MemoryStore;
    use crate::xapi::outbox::sample_statement;
    use crate::xapi::outbox::LEASE_MS;

    fn statement(n: usize) -> Statement {
        sample_statement(n)
    }

    fn add(store: &OutboxStore, n: usize, tab: &str) -> bool {
        let s = statement(n);
        store.enqueue(&queue_key(1_000.0 + n as f64, n as u32, tab, &s.id), &s)
    }

    fn ids(outbox: &Outbox) -> Vec<String> {
        outbox.queue.iter().map(|s| s.id.clone()).collect()
    }

    #[test]
    fn the_queue_is_bounded_by_dropping_the_oldest_statements_never_a_result() {
        let (durable, memory) = (MemoryStore::default(), MemoryStore::default());
        let store = OutboxStore { durable: &durable, memory: &memory };
        let total = MAX_WAITING + 30;
        for n in 0..total {
            let mut s = statement(n);
            if n % 2 == 0 && n < 60 {
                s.verb.id = "http://adlnet.gov/expapi/verbs/completed".into();
            }
            store.enqueue(&queue_key(1_000.0 + n as f64, n as u32, "a", &s.id), &s);
        }
        let outbox = store.load();
        assert_eq!(outbox.waiting(), MAX_WAITING);
        assert_eq!(outbox.dropped, 30);
        let completed = outbox.queue.iter().filter(|s| s.verb.id.ends_with("/completed")).count();
        assert_eq!(completed, 30, "every result is kept");
        assert_eq!(outbox.queue.back().map(|s| s.id.clone()), Some(statement(total - 1).id), "the newest is kept");
        assert!(!outbox.queue.iter().any(|s| s.id == statement(1).id), "the oldest non-result went first");
        store.discard_all();
        assert_eq!(store.load().waiting(), 0);
    }

    #[test]
    fn statements_come_back_in_the_order_they_were_made() {
        let (durable, memory) = (MemoryStore::default(), MemoryStore::default());
        let store = OutboxStore { durable: &durable, memory: &memory };
        for n in [2, 10, 1] {
            assert!(add(&store, n, "tab-a"));
        }
        assert_eq!(ids(&store.load()), [statement(1).id, statement(2).id, statement(10).id]);
    }

    #[test]
    fn statements_taken_out_leave_the_queue_and_the_rest_stays_in_order() {
        let (durable, memory) = (MemoryStore::default(), MemoryStore::default());
        let store = OutboxStore { durable: &durable, memory: &memory };
        for n in 1..=6 {
            add(&store, n, "tab-a");
        }
        let even = |s: &Statement| [2, 4, 6].iter().any(|n| s.id == statement(*n).id);
        let taken: Vec<String> = store.take_waiting(even).into_iter().map(|s| s.id).collect();
        assert_eq!(taken, [statement(2).id, statement(4).id, statement(6).id]);
        assert_eq!(ids(&store.load()), [statement(1).id, statement(3).id, statement(5).id]);
        assert!(store.take_waiting(even).is_empty(), "taken once");
    }

    #[test]
    fn what_another_tab_adds_during_a_send_is_kept() {
        let (durable, memory_a, memory_b) = (MemoryStore::default(), MemoryStore::default(), MemoryStore::default());
        let tab_a = OutboxStore { durable: &durable, memory: &memory_a };
        let tab_b = OutboxStore { durable: &durable, memory: &memory_b };
        add(&tab_a, 1, "a");
        add(&tab_a, 2, "a");
        let batch = ids(&tab_a.load());
        add(&tab_b, 3, "b");
        let after = tab_a.settle(&batch, Answer::Stored, 5.0, 0.5);
        assert_eq!(ids(&after), [statement(3).id]);
        assert_eq!(ids(&tab_b.load()), [statement(3).id]);
        assert_eq!(tab_b.load().delivered, 2, "the sender's state is shared");
    }

    #[test]
    fn a_full_or_denied_storage_keeps_statements_in_memory_and_still_sends_them() {
        for durable in [MemoryStore::with_quota(10), MemoryStore::denied()] {
            let memory = MemoryStore::default();
            let store = OutboxStore { durable: &durable, memory: &memory };
            assert!(!add(&store, 1, "a"), "kept in memory");
            let outbox = store.load();
            assert_eq!(ids(&outbox), [statement(1).id]);
            let after = store.settle(&ids(&outbox), Answer::from_http(Some(503), "", None), 0.0, 0.5);
            assert_eq!((after.waiting(), after.failures), (1, 1), "backoff kept in memory too");
            assert_eq!(store.load().failures, 1);
            assert!(store.settle(&ids(&outbox), Answer::Stored, 10_000.0, 0.5).queue.is_empty());
            assert!(store.load().queue.is_empty());
        }
    }

    #[test]
    fn unreadable_entries_are_skipped_and_left_alone() {
        let (durable, memory) = (MemoryStore::default(), MemoryStore::default());
        let store = OutboxStore { durable: &durable, memory: &memory };
        add(&store, 1, "a");
        durable.set(&format!("{QUEUE_PREFIX}000-x:bad"), "{not json").unwrap();
        durable.set(STATE_KEY, "garbage").unwrap();
        assert_eq!(ids(&store.load()), [statement(1).id]);
        assert_eq!(durable.get(&format!("{QUEUE_PREFIX}000-x:bad")).unwrap().as_deref(), Some("{not json"));
    }

    #[test]
    fn a_rejected_statement_leaves_the_queue_for_the_rejected_list() {
        let (durable, memory) = (MemoryStore::default(), MemoryStore::default());
        let store = OutboxStore { durable: &durable, memory: &memory };
        add(&store, 1, "a");
        let outbox = store.settle(&[statement(1).id], Answer::from_http(Some(400), "bad verb", None), 0.0, 0.5);
        assert!(outbox.queue.is_empty());
        assert_eq!(store.load().rejected[0].answer, "bad verb");
        assert!(durable.keys_with_prefix(QUEUE_PREFIX).unwrap().is_empty());
    }

    #[test]
    fn e_mail_identity_reaches_stored_statements() {
        let (durable, memory) = (MemoryStore::default(), MemoryStore::default());
        let store = OutboxStore { durable: &durable, memory: &memory };
        add(&store, 1, "a");
        store.identify(&Agent::mbox("camille@example.org", None));
        assert_eq!(store.load().queue[0].actor.mbox.as_deref(), Some("mailto:camille@example.org"));
    }

    #[test]
    fn one_tab_sends_and_a_closed_tab_lets_go() {
        let (durable, memory) = (MemoryStore::default(), MemoryStore::default());
        let store = OutboxStore { durable: &durable, memory: &memory };
        assert!(store.take_lease("a", 0.0));
        assert!(!store.take_lease("b", 1.0));
        assert!(store.take_lease("a", 2.0), "renewed");
        store.hand_over_lease("b", 3.0);
        assert!(!store.take_lease("b", 3.0), "only the holder hands it over");
        store.hand_over_lease("a", 5.0);
        assert!(!store.take_lease("b", 4.0), "not before the closing page's last requests have landed");
        assert!(store.take_lease("b", 5.0), "then at once, not when the lease would have expired");
        assert!(!store.take_lease("a", 6.0));
        assert!(store.take_lease("a", 5.0 + LEASE_MS + 1.0), "an expired lease is taken over");
        let denied = MemoryStore::denied();
        let alone = OutboxStore { durable: &denied, memory: &memory };
        assert!(alone.take_lease("a", 0.0) && alone.take_lease("b", 0.0));
    }
}
