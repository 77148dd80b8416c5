//! Model clock (loom and shuttle builds): logical time.
//!
//! PLACEHOLDER until the model-time issue lands: untimed waits work, a timed wait panics
//! with a clear message.

use crate::rt::sync::{Condvar as RawCondvar, MutexGuard};
use std::cell::Cell;
use std::time::Duration;

/// A point on threadcheck's model clock: time since the start of the execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(Duration);

impl Instant {
    /// `self + d`, or `None` if it overflows.
    pub fn checked_add(&self, d: Duration) -> Option<Instant> {
        self.0.checked_add(d).map(Instant)
    }
    /// Time since the start of the execution.
    pub fn since_start(&self) -> Duration {
        self.0
    }
}

pub(crate) fn now() -> Instant {
    Instant(Duration::ZERO)
}

pub(crate) fn begin_execution() {}
pub(crate) fn end_execution() {}

#[derive(Debug, Default)]
pub(crate) struct Condvar {
    raw: RawCondvar,
    waiters: Cell<usize>,
}

// SAFETY: see clock/real.rs — only touched with the associated mutex held.
unsafe impl Sync for Condvar {}

impl Condvar {
    pub(crate) fn new() -> Self {
        Condvar {
            raw: RawCondvar::new(),
            waiters: Cell::new(0),
        }
    }
    pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
        self.waiters.set(self.waiters.get() + 1);
        self.raw.wait(guard);
        self.waiters.set(self.waiters.get() - 1);
    }
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
            Some(_) => {
                panic!("threadcheck: timed waits under a model checker are not implemented yet")
            }
        }
    }
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

/// A model thread is about to be spawned (called in the parent, before the spawn).
pub(crate) fn thread_spawning() {}
/// A model thread is finishing (called in the child, last thing, even when unwinding).
pub(crate) fn thread_exiting() {}
