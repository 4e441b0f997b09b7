//! Keeps DataLoader batches whole.
//!
//! A DataLoader batch starts a short timer when its first key arrives and then loads every key
//! registered so far. async-graphql resolves a list of more than 30 items through
//! `FuturesUnordered`, which yields to the scheduler after each round of polls (waking itself at
//! once) — long enough, in a slow build, for the timer to fire while half the list has not asked
//! for its key yet: one batch becomes two and the statement count grows with the page size.
//!
//! [`WholeLevels`] polls the execution again straight away whenever it only yielded (woke itself
//! during the poll), so it returns to the scheduler only when it truly waits — on a loader, the
//! database, a timer. Actix workers run single-threaded runtimes, so the batch timer (spawned on
//! the same worker) cannot run in between: every key of a resolver level is registered first.
use futures_util::task::{waker, ArcWake};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// At most this many immediate re-polls per poll, so a future that always yields (or runs out of
/// the runtime's cooperative budget) still lets others run.
const MAX_IMMEDIATE_REPOLLS: usize = 256;

/// Wraps an execution future; see the module docs.
pub struct WholeLevels<F> {
    inner: Pin<Box<F>>,
}

/// Polls `future` without yielding between resolver rounds.
pub fn whole_levels<F: Future>(future: F) -> WholeLevels<F> {
    WholeLevels {
        inner: Box::pin(future),
    }
}

/// A waker that records being woken during a poll, and passes the wake on.
struct Recording {
    woken: AtomicBool,
    outer: Waker,
}

impl ArcWake for Recording {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.woken.store(true, Ordering::Release);
        arc_self.outer.wake_by_ref();
    }
}

impl<F: Future> Future for WholeLevels<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // One recording waker per poll, reset before each re-poll (not one allocation per round).
        let recording = Arc::new(Recording {
            woken: AtomicBool::new(false),
            outer: cx.waker().clone(),
        });
        let inner_waker = waker(recording.clone());
        for _ in 0..MAX_IMMEDIATE_REPOLLS {
            recording.woken.store(false, Ordering::Release);
            match self.inner.as_mut().poll(&mut Context::from_waker(&inner_waker)) {
                Poll::Ready(output) => return Poll::Ready(output),
                Poll::Pending if !recording.woken.load(Ordering::Acquire) => return Poll::Pending,
                Poll::Pending => continue,
            }
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Yields (waking itself) `n` times, then completes.
    struct YieldTimes(usize);

    impl Future for YieldTimes {
        type Output = usize;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            if self.0 == 0 {
                return Poll::Ready(7);
            }
            self.0 -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[test]
    fn a_future_that_only_yields_completes_in_one_poll() {
        let waker = futures_util::task::noop_waker();
        let mut future = whole_levels(YieldTimes(100));
        let polled = Pin::new(&mut future).poll(&mut Context::from_waker(&waker));
        assert_eq!(polled, Poll::Ready(7));
    }

    #[test]
    fn endless_yielding_still_returns_to_the_scheduler() {
        let waker = futures_util::task::noop_waker();
        let mut future = whole_levels(YieldTimes(usize::MAX));
        assert_eq!(
            Pin::new(&mut future).poll(&mut Context::from_waker(&waker)),
            Poll::Pending
        );
    }
}
