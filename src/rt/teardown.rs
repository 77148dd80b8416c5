//! Knowing when an execution is gone, so that nothing of this crate touches a checker that
//! has torn it down.
//!
//! loom detects a deadlock inside the call of the thread that blocked last, and panics right
//! there: the execution then has no active thread, and any loom operation on that thread —
//! a guard releasing its lock as the thread unwinds, loom's own `Arc` dropping — panics again
//! inside a destructor, which aborts the whole test binary (loom #291). Two defences:
//!
//! 1. every call of the facade that can block ([`blocking`]) catches loom's deadlock panic
//!    and *suspends the model thread for good* instead of unwinding it (see
//!    `loom_impl::leave_execution`): nothing on its stack is dropped, so nothing touches loom;
//!    loom's scheduler then fails the model on its own stack;
//! 2. a deadlock that loom detects in a call this crate does not see (a raw loom mutex in the
//!    user's code) does unwind the thread: the primitives' drop paths check [`torn_down`] and
//!    do nothing then.
//!
//! shuttle detects deadlocks between steps, outside every task, and abandons the failed
//! execution's stacks without unwinding them, so neither defence is needed there.

use std::cell::Cell;

std::thread_local! {
    /// The checker's deadlock panic is unwinding (or was, since the last execution began).
    static TORN_DOWN: Cell<bool> = const { Cell::new(false) };
    /// A model thread was suspended for good by [`blocking`]: the checker's next panic on
    /// this OS thread is its scheduler noticing, not a new failure.
    static LEFT: Cell<bool> = const { Cell::new(false) };
}

/// loom says "deadlock; threads = ..." (from inside the blocked call), shuttle "deadlock!
/// blocked tasks: [...]" (between steps).
pub(crate) fn is_deadlock_message(msg: &str) -> bool {
    msg.starts_with("deadlock")
}

/// Whether the calling thread unwinds out of an execution the checker has torn down: then a
/// drop path must not touch the checker. Always false in production.
#[inline]
pub(crate) fn torn_down() -> bool {
    super::MODEL && std::thread::panicking() && TORN_DOWN.with(Cell::get)
}

/// loom's own deadlock panic, raised inside the blocked thread's call.
fn is_in_thread_deadlock(msg: &str) -> bool {
    super::DEADLOCK_PANICS_IN_THREAD && msg.starts_with("deadlock; threads = ")
}

/// Called by the panic hook for every panic on this OS thread.
pub(crate) fn note_panic(msg: &str) {
    if is_in_thread_deadlock(msg) {
        TORN_DOWN.with(|t| t.set(true));
    }
}

/// A new execution begins on this OS thread: the previous one's teardown is over.
#[allow(dead_code)] // model builds only
pub(crate) fn execution_begins() {
    TORN_DOWN.with(|t| t.set(false));
    LEFT.with(|l| l.set(false));
}

/// A model thread was suspended out of a deadlocked execution.
#[allow(dead_code)] // loom only
pub(crate) fn left_execution() {
    LEFT.with(|l| l.set(true));
}

/// Whether a model thread was suspended out of a deadlocked execution and the checker has
/// not reported it yet; the report clears it.
pub(crate) fn take_left_execution() -> bool {
    LEFT.with(|l| l.replace(false))
}

/// Runs a facade call that may block. If the checker declares a deadlock inside it, the
/// thread leaves the execution without unwinding (see the module docs).
#[allow(dead_code)] // model builds only
#[inline]
pub(crate) fn blocking<R>(f: impl FnOnce() -> R) -> R {
    if !super::DEADLOCK_PANICS_IN_THREAD {
        return f();
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            if is_in_thread_deadlock(&crate::check::panic_message(&*payload)) {
                super::leave_execution();
            }
            std::panic::resume_unwind(payload)
        }
    }
}
