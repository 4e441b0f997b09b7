//! Random draws for the demo book. Everything goes through ChaCha8, whose stream is specified, and
//! through plain arithmetic (no `ln`/`cos`), so a seed gives the same book on every platform.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded source of the draws the generator needs.
pub(super) struct Dice(ChaCha8Rng);

impl Dice {
    /// A stream for `seed`.
    pub(super) fn new(seed: u64) -> Self {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A seed for a sub-stream: each client draws from its own stream, so one client's history
    /// does not shift when another one's changes.
    pub(super) fn seed(&mut self) -> u64 {
        self.0.random()
    }

    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        self.0.random()
    }

    /// Uniform in [lo, hi).
    pub(super) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// True with probability `p`.
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Approximately normal: the sum of four uniforms, scaled to unit variance. Bounded at
    /// ±3.46 sd, which keeps the demo free of absurd outliers.
    pub(super) fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let sum: f64 = (0..4).map(|_| self.unit()).sum();
        mean + sd * (sum - 2.0) * 3f64.sqrt()
    }

    /// Uniform integer in [lo, hi].
    pub(super) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        self.0.random_range(lo..=hi)
    }

    /// One element, uniformly. `items` must not be empty.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // i64, not usize: usize ranges may sample differently on 32-bit targets.
        &items[self.int(0, items.len() as i64 - 1) as usize]
    }

    /// One value, with probability proportional to its weight. Weights must not all be zero.
    pub(super) fn weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut target = self.unit() * total;
        for &(item, weight) in items {
            if target < weight {
                return item;
            }
            target -= weight;
        }
        items[items.len() - 1].0
    }
}

/// The logistic function.
pub(super) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Rounds to `places` decimals, so stored rates compare exactly after a round trip.
pub(super) fn round_to(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

/// A 0–100 score from a raw value.
pub(super) fn score(value: f64) -> i32 {
    value.round().clamp(0.0, 100.0) as i32
}
