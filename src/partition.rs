//! `--partition K/N`: one deterministic slice of a run's planned trials, so N machines (or
//! CI jobs) can share a corpus. The planned trials are sorted by trial name
//! (`scenario[runner@version]`), and slice K (1-based) takes those whose index in that order
//! is K-1 modulo N. The same corpus, runners and versions give every slice the same trials
//! wherever it runs; together the N slices are the whole plan, each trial in exactly one.

use std::str::FromStr;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// 1-based slice number.
    pub k: usize,
    pub n: usize,
}

impl FromStr for Partition {
    type Err = String;
    fn from_str(s: &str) -> Result<Partition, String> {
        let bad = || format!("`{s}` is not a partition: write K/N with 1 <= K <= N (e.g. 2/4)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Partition { k, n })
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Partition {
    /// Keeps this slice of `items`, named by `name`; the order of what is kept is the input's.
    pub fn select<T>(&self, items: Vec<T>, name: impl Fn(&T) -> String) -> Vec<T> {
        let mut names: Vec<(String, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, t)| (name(t), i))
            .collect();
        names.sort();
        let mut keep = vec![false; items.len()];
        for (pos, (_, i)) in names.iter().enumerate() {
            keep[*i] = pos % self.n == self.k - 1;
        }
        items
            .into_iter()
            .zip(keep)
            .filter_map(|(t, k)| k.then_some(t))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_plan_exactly_once() {
        let items: Vec<String> = (0..10).map(|i| format!("t{}", 9 - i)).collect();
        let mut all = Vec::new();
        for k in 1..=3 {
            let p = Partition { k, n: 3 };
            all.extend(p.select(items.clone(), |s| s.clone()));
        }
        all.sort();
        let mut want = items.clone();
        want.sort();
        assert_eq!(all, want);
        let first = Partition { k: 1, n: 3 }.select(items, |s| s.clone());
        assert_eq!(first, vec!["t9", "t6", "t3", "t0"]);
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!("2/4".parse::<Partition>(), Ok(Partition { k: 2, n: 4 }));
        for bad in ["0/4", "5/4", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }
}
