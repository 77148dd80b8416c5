//! Production clock: `std::time::Instant` and parking_lot's `Condvar::wait_until`.

use crate::rt::sync::{Arc, Condvar as RawCondvar, Mutex, MutexGuard};
use std::cell::Cell;

/// A point on threadcheck's clock. In production builds it is [`std::time::Instant`].
pub type Instant = std::time::Instant;

pub(crate) fn now() -> Instant {
    Instant::now()
}

/// A condvar on threadcheck's clock that counts its waiters, so a notify with nobody
/// waiting is a plain load instead of a syscall (STYLE habit 4).
///
/// The waiter count is only touched with the associated mutex held: `wait*` take the guard,
/// and `notify_*` take it too, which is how every primitive in this crate calls them.
#[derive(Debug, Default)]
pub(crate) struct Condvar {
    raw: RawCondvar,
    // Guarded by the associated mutex (see above); a Cell because it's only ever touched
    // under that mutex.
    waiters: Cell<usize>,
}

// SAFETY: `waiters` is only read or written while the caller holds the mutex whose guard it
// passes in, so accesses are serialized by that mutex.
unsafe impl Sync for Condvar {}

impl Condvar {
    pub(crate) fn new() -> Self {
        Condvar {
            raw: RawCondvar::new(),
            waiters: Cell::new(0),
        }
    }

    /// Waits until notified. Spurious wakeups are possible: callers loop on their predicate.
    pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
        self.waiters.set(self.waiters.get() + 1);
        self.raw.wait(guard);
        self.waiters.set(self.waiters.get() - 1);
    }

    /// Waits until notified or `deadline` passes; returns true if it timed out.
    pub(crate) fn wait_until<T>(
        &self,
        guard: &mut MutexGuard<'_, T>,
        deadline: Option<Instant>,
    ) -> bool {
        match deadline {
            None => {
                self.wait(guard);
                false
            }
            Some(d) => {
                self.waiters.set(self.waiters.get() + 1);
                let timed_out = self.raw.wait_until(guard, d);
                self.waiters.set(self.waiters.get() - 1);
                timed_out
            }
        }
    }

    /// Number of threads waiting (with the mutex held, exact).
    #[allow(dead_code)] // not every primitive needs it
    pub(crate) fn waiters<T>(&self, _guard: &MutexGuard<'_, T>) -> usize {
        self.waiters.get()
    }

    pub(crate) fn notify_one<T>(&self, _guard: &MutexGuard<'_, T>) -> bool {
        if self.waiters.get() == 0 {
            return false;
        }
        self.raw.notify_one();
        true
    }

    pub(crate) fn notify_all<T>(&self, _guard: &MutexGuard<'_, T>) -> usize {
        let n = self.waiters.get();
        if n > 0 {
            self.raw.notify_all();
        }
        n
    }
}

/// The exit of one thread, as its joiners see it: a flag the thread sets last thing, and a
/// condvar for timed joins (std's `JoinHandle::join` cannot time out).
#[derive(Clone, Debug, Default)]
pub(crate) struct ThreadExit(Arc<(Mutex<bool>, Condvar)>);

impl ThreadExit {
    /// A thread is about to be spawned (in the parent, before the spawn).
    pub(crate) fn spawning() -> Self {
        ThreadExit::default()
    }
    /// The thread is finishing (in the child, last thing, even when unwinding).
    pub(crate) fn exited(&self) {
        let mut done = self.0 .0.lock();
        *done = true;
        self.0 .1.notify_all(&done);
    }
    /// The caller is about to block in std's join: nothing to account for on real time.
    #[inline(always)]
    pub(crate) fn joining(&self) {}
    /// Waits until the thread exits or `deadline` passes; true if it exited.
    pub(crate) fn join_until(&self, deadline: Option<Instant>) -> bool {
        let mut done = self.0 .0.lock();
        while !*done {
            if self.0 .1.wait_until(&mut done, deadline) {
                break;
            }
        }
        *done
    }
}
