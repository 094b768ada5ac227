//! What the generator makes: its random source, the generated call (`GenStep`) and the
//! sequence, with the one rule shrinking needs of a sequence (no step may use a binding that
//! no earlier step makes).

/// A deterministic pseudo-random source (SplitMix64): small, seedable, no dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One generated call: the function, its arguments as scenario TOML values, the outputs it
/// binds, and the model state it was made in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenStep {
    pub call: String,
    /// (parameter name, TOML value), in the order written.
    pub args: Vec<(String, String)>,
    /// (output parameter, binding name without `$`).
    pub bind: Vec<(String, String)>,
    /// The model state before the call (`online/SD`, `online/SLf+stop`, ...).
    pub state: String,
    /// Part of the setup every sequence starts with.
    pub setup: bool,
}

impl GenStep {
    pub fn new(call: &str, state: &str) -> GenStep {
        GenStep {
            call: call.to_string(),
            args: Vec::new(),
            bind: Vec::new(),
            state: state.to_string(),
            setup: false,
        }
    }
    pub fn arg(mut self, name: &str, value: impl Into<String>) -> GenStep {
        self.args.push((name.to_string(), value.into()));
        self
    }
    pub fn bind(mut self, out: &str, name: &str) -> GenStep {
        self.bind.push((out.to_string(), name.to_string()));
        self
    }
    /// The bindings (without `$`) its arguments use.
    pub fn uses(&self) -> Vec<String> {
        self.args
            .iter()
            .filter_map(|(_, v)| {
                let v = v.trim().strip_prefix("\"$")?;
                Some(v.trim_end_matches('"').to_string())
            })
            .collect()
    }
}

/// A generated call sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    pub steps: Vec<GenStep>,
}

impl Sequence {
    /// Drops, in order, every step that uses a binding no earlier step binds (after steps
    /// were deleted, their dependents cannot be loaded).
    pub fn without_dangling(mut self) -> Sequence {
        let mut bound: Vec<String> = Vec::new();
        self.steps.retain(|s| {
            if s.uses().iter().all(|u| bound.contains(u)) {
                bound.extend(s.bind.iter().map(|(_, n)| n.clone()));
                true
            } else {
                false
            }
        });
        self
    }
}
