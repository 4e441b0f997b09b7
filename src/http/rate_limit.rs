//! Per-caller leaky buckets of query cost (DESIGN §7): a token's bucket (a client address's when
//! anonymous, if `rate_limit.anonymous`) holds up to `burst`, refills at `cost_per_second`, and
//! each operation takes its cost; an operation that does not fit is `RATE_LIMITED` with the
//! seconds until it would.
//!
//! In memory, so per replica: N replicas behind a balancer allow up to N × the rate. A shared
//! budget would need a store every replica writes on every request.
use crate::config::RateLimitSettings;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets beyond this many are pruned of full ones (callers that went quiet).
const PRUNE_ABOVE: usize = 10_000;

/// The state of a caller's budget after an operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    /// The bucket's size.
    pub limit: u64,
    /// What is left now.
    pub remaining: u64,
    /// Seconds until the bucket is full again.
    pub reset_seconds: u64,
}

/// All callers' buckets.
#[derive(Debug)]
pub struct RateLimiter {
    settings: RateLimitSettings,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    level: f64,
    at: Instant,
}

impl RateLimiter {
    /// Buckets of `settings`.
    pub fn new(settings: RateLimitSettings) -> RateLimiter {
        RateLimiter {
            settings,
            buckets: Mutex::default(),
        }
    }

    /// Do anonymous callers have buckets (`rate_limit.anonymous`)?
    pub fn limits_anonymous(&self) -> bool {
        self.settings.anonymous
    }

    /// The budget reported to a caller without a bucket: all of it, always.
    pub fn unlimited(&self) -> Budget {
        Budget {
            limit: self.settings.burst,
            remaining: self.settings.burst,
            reset_seconds: 0,
        }
    }

    /// Takes `cost` from `key`'s bucket: the budget left, or the whole seconds to wait.
    pub fn take(&self, key: &str, cost: u64, now: Instant) -> Result<Budget, u64> {
        let (rate, burst) = (self.settings.cost_per_second as f64, self.settings.burst as f64);
        if rate <= 0.0 {
            return Ok(self.unlimited());
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| b.level + now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let bucket = buckets
            .entry(key.to_owned())
            .or_insert(Bucket { level: burst, at: now });
        let level = (bucket.level + now.duration_since(bucket.at).as_secs_f64() * rate).min(burst);
        let cost = cost as f64;
        if cost > level {
            bucket.level = level;
            bucket.at = now;
            return Err(((cost.min(burst) - level) / rate).ceil().max(1.0) as u64);
        }
        bucket.level = level - cost;
        bucket.at = now;
        Ok(Budget {
            limit: self.settings.burst,
            remaining: bucket.level as u64,
            reset_seconds: ((burst - bucket.level) / rate).ceil() as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limiter(cost_per_second: u64, burst: u64) -> RateLimiter {
        RateLimiter::new(RateLimitSettings {
            cost_per_second,
            burst,
            anonymous: true,
        })
    }

    #[test]
    fn a_bucket_spends_its_burst_then_waits_for_the_refill() {
        let limiter = limiter(10, 100);
        let start = Instant::now();
        assert_eq!(limiter.take("t", 60, start).map(|b| b.remaining), Ok(40));
        assert_eq!(limiter.take("t", 60, start), Err(2), "20 short at 10 per second");
        assert!(limiter.take("other", 60, start).is_ok(), "buckets are per caller");
        assert_eq!(
            limiter
                .take("t", 60, start + Duration::from_secs(2))
                .map(|b| b.remaining),
            Ok(0)
        );
    }

    #[test]
    fn a_rate_of_zero_turns_the_limit_off() {
        assert!(limiter(0, 1).take("t", 1_000_000, Instant::now()).is_ok());
    }
}
