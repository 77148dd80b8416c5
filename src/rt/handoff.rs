//! Brief spinning before a queue parks, the shape under `Queue`'s blocking `put`/`get`.
//!
//! A getter that finds the queue empty (or a putter that finds it full) is usually one
//! handoff away from success: the other side is running and will push (pop) within a few
//! hundred nanoseconds. Parking then costs both sides a futex round trip (tens of µs to wake
//! on a loaded 2-vCPU machine, measured by issue #11), and the notifier pays the syscall
//! because the parked thread counts as a waiter. So production first lets the mutex go and
//! watches the queue's length (a hint published after every push and pop) with
//! crossbeam-utils' `Backoff` — spinning, then yielding — as crossbeam-channel does before
//! it parks; only if nothing changes does it take the mutex again and wait on the condvar.
//!
//! Correctness never rests on the hint: whatever it says, the caller re-checks its predicate
//! under the mutex before it waits, and a waiter is counted and notified as before. The hint
//! only decides how long to spin.
//!
//! | shape | production | loom | shuttle |
//! |---|---|---|---|
//! | [`HandoffApi`] | [`Spin`] on a std atomic | [`NoSpin`]: nothing (no scheduling point added) | [`NoSpin`] |
//!
//! The loom build also compiles [`Spin`] on loom's atomics (its spin cut to one look) for the
//! queue's fast-path models in `tests/fastpath_queue.rs`.

use super::sync::MutexGuard;

/// What the queue core needs from its spin-before-park shape.
pub(crate) trait HandoffApi: Send + Sync {
    fn new() -> Self;
    /// The queue's length after a push or pop (called with the queue's mutex held).
    fn publish(&self, len: usize);
    /// The caller is about to wait because `blocked(len)`: spin a little with the mutex let
    /// go, until the hint says it no longer holds or the spin budget is spent. The mutex is
    /// held again on return; the caller re-checks its predicate.
    fn spin_while<T>(&self, guard: &mut MutexGuard<'_, T>, blocked: impl Fn(usize) -> bool);
}

/// This build's handoff shape.
#[cfg(not(threadcheck_model))]
pub(crate) type Handoff = Spin<std::sync::atomic::AtomicUsize>;
/// This build's handoff shape: the model builds park at once, as before.
#[cfg(threadcheck_model)]
pub(crate) type Handoff = NoSpin;

/// Parks at once: the model builds' shape, which adds no modelled operation.
#[cfg(threadcheck_model)]
#[derive(Debug, Default)]
pub(crate) struct NoSpin;

#[cfg(threadcheck_model)]
impl HandoffApi for NoSpin {
    #[inline(always)]
    fn new() -> Self {
        NoSpin
    }
    #[inline(always)]
    fn publish(&self, _len: usize) {}
    #[inline(always)]
    fn spin_while<T>(&self, _guard: &mut MutexGuard<'_, T>, _blocked: impl Fn(usize) -> bool) {}
}

#[cfg(any(loom, not(feature = "shuttle")))]
/// A `usize` the hint lives in: std's atomic in production, loom's in the fast-path models.
pub(crate) trait LenWord: Send + Sync {
    fn new(v: usize) -> Self;
    fn get(&self) -> usize;
    fn set(&self, v: usize);
}

#[cfg(any(loom, not(feature = "shuttle")))]
macro_rules! len_word {
    ($t:ty) => {
        impl LenWord for $t {
            fn new(v: usize) -> Self {
                <$t>::new(v)
            }
            // Relaxed: a hint; the mutex orders everything the caller relies on.
            #[inline]
            fn get(&self) -> usize {
                self.load(std::sync::atomic::Ordering::Relaxed)
            }
            #[inline]
            fn set(&self, v: usize) {
                self.store(v, std::sync::atomic::Ordering::Relaxed)
            }
        }
    };
}
#[cfg(any(loom, not(feature = "shuttle")))]
len_word!(std::sync::atomic::AtomicUsize);
#[cfg(loom)]
len_word!(loom::sync::atomic::AtomicUsize);

/// Spins with the mutex let go while the published length says the caller would block.
/// Padded: the spinner reads the hint while the other side writes the queue's mutex line.
#[cfg(any(loom, not(feature = "shuttle")))]
#[derive(Debug)]
#[repr(align(128))]
pub(crate) struct Spin<W> {
    len: W,
}

#[cfg(any(loom, not(feature = "shuttle")))]
impl<W: LenWord> HandoffApi for Spin<W> {
    fn new() -> Self {
        Spin { len: W::new(0) }
    }

    #[inline]
    fn publish(&self, len: usize) {
        self.len.set(len);
    }

    #[cold]
    fn spin_while<T>(&self, guard: &mut MutexGuard<'_, T>, blocked: impl Fn(usize) -> bool) {
        MutexGuard::unlocked(guard, || spin(|| !blocked(self.len.get())));
    }
}

/// Production: crossbeam's `Backoff` (a few rounds of spin hints, then yields) until `done`.
#[cfg(not(threadcheck_model))]
fn spin(done: impl Fn() -> bool) {
    let backoff = crossbeam_utils::Backoff::new();
    while !backoff.is_completed() {
        backoff.snooze();
        if done() {
            return;
        }
    }
}

/// loom: one look at the hint (every look is a scheduling point; a longer spin multiplies
/// the executions without reaching new states of the queue).
#[cfg(loom)]
fn spin(done: impl Fn() -> bool) {
    let _ = done();
}

/// Production's spin on loom's atomics, for the queue's fast-path models.
#[cfg(loom)]
pub(crate) type LoomSpin = Spin<loom::sync::atomic::AtomicUsize>;
