//! The waiter queue under `Condition`: Python's algorithm (each wait enqueues a waiter of
//! its own and `notify(n)` dequeues and wakes up to `n` of them), one shape for every build
//! but for one word. Production also mirrors the queue's length in an atomic, so a notify
//! with nobody waiting is one load and never takes the queue's mutex (STYLE habit 4:
//! measured 22.7 ns for acquire+notify+release against parking_lot's 12.0); the model builds
//! keep taking the mutex (no new modelled operation, the corpus's executions unchanged).
//!
//! Why the load cannot miss a waiter the notifier must wake: a waiter enqueues (and bumps the
//! count) while it holds the user's lock, and releases that lock only afterwards; a notifier
//! that holds the user's lock acquired it after that release, so it sees the count (a
//! notifier without the lock races the waiter anyway, and Python's semantics allow either
//! order).
//!
//! | shape | production | loom | shuttle |
//! |---|---|---|---|
//! | [`WaitQueue`]'s count | std atomic | [`NoCount`] (always "maybe") | [`NoCount`] |
//!
//! The loom build also compiles the production count on loom's atomics for the fast-path
//! models in `tests/fastpath_condition.rs`.

use super::sync::{Arc, Mutex};
use crate::clock::{Condvar, Instant};
use std::collections::VecDeque;

/// Where the queue's length is mirrored for notifiers that find it empty.
pub(crate) trait WaiterCount: Send + Sync {
    fn new() -> Self;
    /// The queue's length changed to `n` (under the queue's mutex).
    fn set(&self, n: usize);
    /// False only if nobody waits (as far as the caller is ordered after the waiters).
    fn maybe_any(&self) -> bool;
}

/// This build's waiter count.
#[cfg(not(threadcheck_model))]
pub(crate) type Count = std::sync::atomic::AtomicUsize;
/// This build's waiter count: none, notify always takes the queue's mutex.
#[cfg(threadcheck_model)]
pub(crate) type Count = NoCount;

/// No count: every notify takes the queue's mutex (the model builds).
#[cfg(threadcheck_model)]
#[derive(Debug)]
pub(crate) struct NoCount;

#[cfg(threadcheck_model)]
impl WaiterCount for NoCount {
    #[inline(always)]
    fn new() -> Self {
        NoCount
    }
    #[inline(always)]
    fn set(&self, _n: usize) {}
    #[inline(always)]
    fn maybe_any(&self) -> bool {
        true
    }
}

#[cfg(any(loom, not(feature = "shuttle")))]
macro_rules! waiter_count {
    ($t:ty) => {
        impl WaiterCount for $t {
            fn new() -> Self {
                <$t>::new(0)
            }
            // Relaxed both ways: the user's lock orders a waiter's store before a notifier's
            // load (see the module docs); the queue's mutex orders everything else.
            #[inline]
            fn set(&self, n: usize) {
                self.store(n, std::sync::atomic::Ordering::Relaxed)
            }
            #[inline]
            fn maybe_any(&self) -> bool {
                self.load(std::sync::atomic::Ordering::Relaxed) != 0
            }
        }
    };
}
#[cfg(any(loom, not(feature = "shuttle")))]
waiter_count!(std::sync::atomic::AtomicUsize);
#[cfg(loom)]
waiter_count!(loom::sync::atomic::AtomicUsize);

struct Queue {
    next: u64,
    /// Waiters not yet notified, oldest first: (ticket, its own condvar).
    waiting: VecDeque<(u64, Arc<Condvar>)>,
}

/// A FIFO of waiters, each woken by its own [`Condvar`] (a targeted wake: no thundering herd
/// in production, no extra interleavings under loom). The waiter holds the queue's mutex from
/// enqueueing until it blocks, so a notify cannot slip in between.
pub(crate) struct WaitQueue<C = Count> {
    queue: Mutex<Queue>,
    count: C,
}

impl<C: WaiterCount> WaitQueue<C> {
    pub(crate) fn new() -> Self {
        WaitQueue {
            queue: Mutex::new(Queue {
                next: 0,
                waiting: VecDeque::new(),
            }),
            count: C::new(),
        }
    }

    /// Enqueues the caller, runs `release` (which lets the user's lock go) and waits until
    /// notified (true) or `deadline` passes (false, after `on_timeout`). `on_block` runs
    /// after `release`, just before waiting. Returns `release`'s value for the caller's
    /// re-acquire.
    pub(crate) fn wait_until<S>(
        &self,
        deadline: Option<Instant>,
        release: impl FnOnce() -> S,
        on_block: impl FnOnce(),
        on_timeout: impl FnOnce(),
    ) -> (bool, S) {
        let me = Arc::new(Condvar::new());
        let mut q = self.queue.lock();
        let ticket = q.next;
        q.next += 1;
        q.waiting.push_back((ticket, me.clone()));
        self.count.set(q.waiting.len());
        // Release the user's lock while holding the queue: a notifier needs both, so it
        // cannot run between our enqueue and our wait.
        let saved = release();
        on_block();
        let notified = loop {
            if !q.waiting.iter().any(|w| w.0 == ticket) {
                break true; // dequeued by notify
            }
            if me.wait_until(&mut q, deadline) {
                match q.waiting.iter().position(|w| w.0 == ticket) {
                    Some(i) => {
                        q.waiting.remove(i);
                        self.count.set(q.waiting.len());
                        on_timeout();
                        break false;
                    }
                    None => break true, // notified as the deadline passed: take it
                }
            }
        };
        drop(q);
        (notified, saved)
    }

    /// Dequeues and wakes up to `n` waiters, oldest first; `on_notified` runs (under the
    /// queue's mutex) if any. Returns how many.
    #[inline]
    pub(crate) fn notify_n(&self, n: usize, on_notified: impl FnOnce()) -> usize {
        if !self.count.maybe_any() {
            return 0;
        }
        self.notify_slow(n, on_notified)
    }

    fn notify_slow(&self, n: usize, on_notified: impl FnOnce()) -> usize {
        let mut q = self.queue.lock();
        let mut woken = 0;
        while woken < n {
            let Some((_, cv)) = q.waiting.pop_front() else {
                break;
            };
            cv.notify_one(&q);
            woken += 1;
        }
        if woken > 0 {
            self.count.set(q.waiting.len());
            on_notified();
        }
        woken
    }
}

/// The production waiter queue (count on loom's atomics), for `tests/fastpath_condition.rs`.
/// Not API: loom build only, hidden, may change at any time.
#[cfg(loom)]
pub mod fastpath {
    /// `Condition`'s waiter queue with production's waiter count, on loom's atomics.
    pub struct WaitQueue(super::WaitQueue<loom::sync::atomic::AtomicUsize>);

    impl Default for WaitQueue {
        fn default() -> Self {
            WaitQueue::new()
        }
    }

    impl WaitQueue {
        /// No waiters.
        pub fn new() -> Self {
            WaitQueue(super::WaitQueue::new())
        }
        /// Enqueues the caller, runs `release` (letting the caller's lock go), waits until
        /// notified.
        pub fn wait(&self, release: impl FnOnce()) {
            let (notified, ()) = self.0.wait_until(None, release, || {}, || {});
            assert!(notified, "an untimed wait ends notified");
        }
        /// Wakes up to `n` waiters; how many.
        pub fn notify(&self, n: usize) -> usize {
            self.0.notify_n(n, || {})
        }
    }
}
