//! Catalogue look-ups: each catalogue (functions, codes, grbits, parameters) is sorted once
//! into an index searched by bisection, instead of being scanned in full on every look-up.
//! Every step of every scenario names a function and an expected code, often grbits too.

/// Positions in a catalogue, sorted by a key; the first entry wins when keys repeat, as it
/// did with a scan.
pub(crate) struct Index<K> {
    sorted: Vec<(K, usize)>,
}

impl<K: Ord + Copy> Index<K> {
    pub(crate) fn new(keys: impl Iterator<Item = K>) -> Index<K> {
        let mut sorted: Vec<(K, usize)> = keys.enumerate().map(|(i, k)| (k, i)).collect();
        sorted.sort();
        Index { sorted }
    }

    /// The position of the first entry with `key`.
    pub(crate) fn find<Q>(&self, key: &Q) -> Option<usize>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let at = self.sorted.partition_point(|(k, _)| k.borrow() < key);
        self.sorted
            .get(at)
            .filter(|(k, _)| k.borrow() == key)
            .map(|&(_, i)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_of_repeated_keys_and_nothing_else() {
        let index = Index::new(["b", "a", "c", "a"].into_iter());
        assert_eq!(index.find("a"), Some(1));
        assert_eq!(index.find("b"), Some(0));
        assert_eq!(index.find("c"), Some(2));
        assert_eq!(index.find("ab"), None);
        assert_eq!(index.find(""), None);
        assert_eq!(index.find("d"), None);
    }

    /// Each look-up gives what a scan of its catalogue gives, for every key there is.
    #[test]
    fn catalogue_look_ups_agree_with_a_scan() {
        use crate::errors::{ErrorCode, ERRORS};
        use crate::functions::{Function, FUNCTIONS};
        use crate::grbits::{self, GRBITS};
        use crate::sysparams::{self, SYSPARAMS};
        for f in FUNCTIONS {
            let scan = FUNCTIONS
                .iter()
                .find(|x| x.name == f.name)
                .map(|x| x.function);
            assert_eq!(Function::by_name(f.name), scan);
        }
        for e in ERRORS {
            let scan = ERRORS.iter().find(|x| x.name == e.name).map(|x| x.value);
            assert_eq!(ErrorCode::by_name(e.name).map(|c| c.0), scan);
            let scan = ERRORS.iter().find(|x| x.value == e.value).map(|x| x.name);
            assert_eq!(ErrorCode(e.value).info().map(|x| x.name), scan);
        }
        for g in GRBITS {
            let scan = GRBITS.iter().position(|x| x.name == g.name);
            let found = grbits::by_name(g.name).map(|x| x as *const _);
            assert_eq!(found, scan.map(|i| &GRBITS[i] as *const _));
        }
        for p in SYSPARAMS {
            let scan = SYSPARAMS.iter().position(|x| x.name == p.name);
            let found = sysparams::by_name(p.name).map(|x| x as *const _);
            assert_eq!(found, scan.map(|i| &SYSPARAMS[i] as *const _));
            let scan = SYSPARAMS.iter().position(|x| x.id == p.id);
            let found = sysparams::by_id(p.id).map(|x| x as *const _);
            assert_eq!(found, scan.map(|i| &SYSPARAMS[i] as *const _));
        }
        assert_eq!(Function::by_name("JetNoSuchFunction"), None);
        assert_eq!(ErrorCode(-123456).info().map(|x| x.name), None);
    }
}
