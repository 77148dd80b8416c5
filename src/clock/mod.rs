//! Time, owned by threadcheck.
//!
//! Neither loom nor shuttle models time: their `Condvar::wait_timeout` never times out and
//! shuttle's `sleep` is a bare yield. So every timed wait in this crate goes through this
//! module: in production it is `std::time::Instant` and a condvar `wait_until`; in the model
//! builds it is logical time driven per execution (see `model.rs`).
//!
//! One code path for blocking, timed and try: `deadline: Option<Instant>` (None = forever).

use std::time::Duration;

#[cfg(not(threadcheck_model))]
mod real;
#[cfg(not(threadcheck_model))]
pub use real::Instant;
#[cfg(not(threadcheck_model))]
pub(crate) use real::{now, Condvar, ThreadExit};

#[cfg(threadcheck_model)]
mod model;
#[cfg(threadcheck_model)]
pub use model::Instant;
#[cfg(threadcheck_model)]
pub(crate) use model::{at_end_of_execution, begin_execution, end_execution, execution_id};
#[cfg(threadcheck_model)]
pub(crate) use model::{now, sleep_until, Condvar, RawWaiters};

/// The exit of one model thread, as its joiners see it (the production clock's is a flag and
/// a condvar; here the model clock's own bookkeeping, so a thread's exit adds no modelled
/// operation).
#[cfg(threadcheck_model)]
#[derive(Clone, Debug)] // not Copy: the production one is not
pub(crate) struct ThreadExit(u64);

#[cfg(threadcheck_model)]
impl ThreadExit {
    /// A model thread is about to be spawned (in the parent, before the spawn).
    pub(crate) fn spawning() -> Self {
        ThreadExit(model::thread_spawning())
    }
    /// The thread is finishing (in the child, last thing, even when unwinding).
    pub(crate) fn exited(&self) {
        model::thread_exiting(self.0)
    }
    /// The caller is about to block in the backend's join of this thread.
    pub(crate) fn joining(&self) {
        model::joining(self.0)
    }
    /// Waits until the thread exits or `deadline` passes; true if it exited.
    pub(crate) fn join_until(&self, deadline: Option<Instant>) -> bool {
        model::join_until(self.0, deadline)
    }
}

std::thread_local! {
    static EARLY_ADVANCES: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// Sets how many *early* advances of the model clock each execution allows, for the checker
/// runs on the calling thread (loom and shuttle run a model on the calling thread).
///
/// An early advance fires the earliest pending deadline while other threads could still run,
/// as a loaded machine would: one is enough to catch "sleep so the other thread is ready".
/// They are bounded like preemptions, so `while !ev.is_set() { ev.wait_timeout(..) }` cannot
/// spin forever. `0` keeps only the settled clock (time passes only when every thread is
/// blocked). Default: the `THREADCHECK_EARLY_ADVANCES` environment variable, else 1. No
/// effect in production builds, which run on real time.
///
/// ```
/// threadcheck::set_early_advances(0);
/// threadcheck::set_early_advances(1);
/// ```
pub fn set_early_advances(k: usize) {
    EARLY_ADVANCES.with(|c| c.set(Some(k)));
}

/// The value set by [`set_early_advances`] on this thread, if any (to restore it later).
pub(crate) fn early_advances_setting() -> Option<usize> {
    EARLY_ADVANCES.with(|c| c.get())
}

/// Puts back what [`early_advances_setting`] returned.
pub(crate) fn restore_early_advances(v: Option<usize>) {
    EARLY_ADVANCES.with(|c| c.set(v));
}

/// The bound set by [`set_early_advances`] (or its default).
#[allow(dead_code)] // read by the model clock only
pub(crate) fn early_advances() -> usize {
    EARLY_ADVANCES.with(|c| c.get()).unwrap_or_else(|| {
        std::env::var("THREADCHECK_EARLY_ADVANCES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    })
}

/// The deadline `timeout` from now, or `None` (wait forever) when it is too far away to
/// represent, e.g. `Duration::MAX` — crossbeam-channel's convention.
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    now().checked_add(timeout)
}

/// Sleeps for `d` on threadcheck's clock: real time in production, model time under loom
/// and shuttle (where it is a timed wait with nothing to wait for).
///
/// Models never call `std::thread::sleep`: the checker cannot see it. A polling loop
/// (`while !done.load(..) { sleep(ms) }`) terminates under every checker: when the sleep
/// ends because nothing else could run, the sleeper hints to loom that it waits for progress
/// (loom's yield), and loom's loads then stop returning values the thread has already seen.
/// `sleep(Duration::ZERO)` is a yield, as Python's `time.sleep(0)`.
///
/// # Examples
/// ```
/// threadcheck::sleep(std::time::Duration::from_millis(1));
/// ```
pub fn sleep(d: Duration) {
    if d.is_zero() {
        crate::rt::thread::yield_now();
        return;
    }
    let Some(deadline) = deadline_after(d) else {
        // Sleeping "forever" is a bug in the caller, not something to hang on silently.
        panic!("threadcheck::sleep({d:?}): duration too large to represent as a deadline");
    };
    sleep_until(deadline);
}

/// Production: a timed wait on real time, with nothing to wait for.
#[cfg(not(threadcheck_model))]
fn sleep_until(deadline: Instant) {
    let m = crate::rt::sync::Mutex::new(());
    let cv = Condvar::new();
    let mut g = m.lock();
    while !cv.wait_until(&mut g, Some(deadline)) {}
}
