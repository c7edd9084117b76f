//! When a failed call is worth repeating, and how long to wait first.

use std::time::Duration;

/// 409 (the cache is busy with an earlier write), 429 (throttled) and the transient 5xx answers.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 409 | 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` as delta-seconds. The HTTP-date form is ignored (there is no clock here), in
/// which case the caller falls back to a computed delay.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Exponential back-off for retryable answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Retries allowed after the first attempt.
    pub max_retries: u32,
    /// First delay for throttling and server errors; doubles on each retry.
    pub base: Duration,
    /// First delay after 409: a busy cache needs longer than a throttled call.
    pub busy_base: Duration,
    /// No wait exceeds this, whatever `Retry-After` says.
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            max_retries: 8,
            base: Duration::from_secs(2),
            busy_base: Duration::from_secs(10),
            cap: Duration::from_secs(120),
        }
    }
}

impl Backoff {
    /// How long to wait before retry number `retry` (0 for the first retry) of a call that got
    /// `status` with the given `Retry-After` header, or `None` when it must not be retried
    /// (the error is real, or the retries are spent).
    pub fn delay(&self, status: u16, retry_after: Option<&str>, retry: u32) -> Option<Duration> {
        if !is_retryable_status(status) || retry >= self.max_retries {
            return None;
        }
        let base = if status == 409 {
            self.busy_base
        } else {
            self.base
        };
        let computed = base.saturating_mul(2u32.saturating_pow(retry));
        Some(
            retry_after
                .and_then(parse_retry_after)
                .unwrap_or(computed)
                .min(self.cap),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_are_honoured_up_to_the_cap() {
        let b = Backoff::default();
        assert_eq!(b.delay(429, Some("7"), 0), Some(Duration::from_secs(7)));
        assert_eq!(b.delay(503, Some(" 30 "), 3), Some(Duration::from_secs(30)));
        assert_eq!(b.delay(429, Some("86400"), 0), Some(b.cap));
    }

    #[test]
    fn without_retry_after_the_delay_doubles_and_busy_waits_longer() {
        let b = Backoff::default();
        let secs = |status, retry| b.delay(status, None, retry).unwrap().as_secs();
        assert_eq!([secs(429, 0), secs(429, 1), secs(429, 2)], [2, 4, 8]);
        assert_eq!([secs(409, 0), secs(409, 1)], [10, 20]);
        assert_eq!(secs(500, 7), 120);
        assert_eq!(
            b.delay(429, Some("Wed, 21 Oct 2026 07:28:00 GMT"), 0),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn real_errors_and_spent_retries_are_not_retried() {
        let b = Backoff::default();
        for status in [400, 401, 403, 404, 501] {
            assert_eq!(b.delay(status, Some("1"), 0), None, "{status}");
        }
        assert_eq!(b.delay(429, None, b.max_retries), None);
    }
}
