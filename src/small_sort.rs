//! One stable sort for the short lists the player sorts, small in WebAssembly.
//!
//! The standard library's stable sort (driftsort) is fast on long slices, and is compiled whole
//! for each element type and comparison it is called with: about 4 KB of wasm per call site, 33 KB
//! before wasm-opt for the player's eight. The player sorts short lists (a change's statements,
//! an assessment's attempts, a media's played segments, the waiting queue's keys: at most
//! `xapi::outbox::MAX_WAITING`), for which an insertion sort that finds each place by binary
//! search is fast enough (2,000 keys: about 22,000 comparisons, a million swaps at worst) and a
//! few hundred bytes per use. Native-only code (`check`, `report`) keeps the standard sorts.

/// Sorts `items` so that no item is `less` than one before it, keeping equal items in their
/// order (stable), like `slice::sort_by` with `less(a, b)` meaning `a < b`.
pub fn sort_by<T>(items: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for next in 1..items.len() {
        // The place of `items[next]` among the sorted items before it: after every item it is
        // not less than, so that equal items keep their order.
        let (sorted, rest) = items.split_at(next);
        let place = sorted.partition_point(|probe| !less(&rest[0], probe));
        for at in (place..next).rev() {
            items.swap(at, at + 1);
        }
    }
}

/// [`sort_by`] on a key: stable, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: PartialOrd>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a) < key(b));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys included.
        #[test]
        fn sorts_as_the_standard_stable_sort(items in prop::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0 < b.0);
            let mut standard = items.clone();
            standard.sort_by_key(|item| item.0);
            prop_assert_eq!(ours, standard);
        }
    }

    #[test]
    fn sorts_by_a_key_and_by_floats() {
        let mut words = vec!["poire", "Abricot", "banane", "abricot"];
        sort_by_key(&mut words, |word| word.to_lowercase());
        assert_eq!(words, ["Abricot", "abricot", "banane", "poire"]);
        let mut times = vec![3.5, -1.0, 2.0, 2.0, 0.0];
        sort_by(&mut times, |a: &f64, b| a.total_cmp(b).is_lt());
        assert_eq!(times, [-1.0, 0.0, 2.0, 2.0, 3.5]);
        let mut nothing: Vec<u8> = Vec::new();
        sort_by(&mut nothing, |a, b| a < b);
        assert!(nothing.is_empty());
    }
}
