//! loom backend: every lock, atomic and spawn is a point loom's scheduler explores.

#![allow(dead_code)] // one surface for every build; not every build uses all of it

pub(crate) const BACKEND_NAME: &str = "loom";
pub(crate) const MODEL: bool = true;
/// Whether the checker prunes schedules by dependencies between modelled operations.
/// loom prunes interleavings by dependencies between modelled operations (DPOR).
pub(crate) const DPOR: bool = true;

pub mod sync {
    pub use loom::sync::atomic;
    // std's Arc, not loom's: loom models Arc's reference count, which makes every clone and
    // drop a scheduling point. Reference counting is not what this crate checks, and those
    // points multiply the executions of every model (see README, "loom figures").
    pub use std::sync::Arc;

    checker_sync!(loom);
}

/// loom panics inside the call of the thread that blocked last when it finds a deadlock
/// (see `rt/teardown.rs`).
pub(crate) const DEADLOCK_PANICS_IN_THREAD: bool = true;

/// Suspends the calling model thread for good, without unwinding it: the execution is
/// deadlocked and has no active thread, so anything its stack would drop on the way out (a
/// guard, loom's own `Arc`) would call into loom, panic again in a destructor and abort the
/// process (loom #291). loom runs each model thread as a `generator` coroutine; yielding it
/// hands control back to loom's scheduler, which finds no thread to run and fails the model
/// ("thread not terminated") on its own stack, where it drops the suspended threads' stacks
/// without unwinding them (their values are leaked: a few allocations per failed model).
pub(crate) fn leave_execution() {
    crate::rt::teardown::left_execution();
    // Deprecated for generators of its own; loom's scheduler switches with it all the same.
    #[allow(deprecated)]
    generator::yield_with(());
}

pub(crate) mod cell {
    /// loom's checked cell: a concurrent unsynchronized access is reported as a data race.
    pub(crate) type UnsafeCell<T> = loom::cell::UnsafeCell<T>;

    /// The storage of `threadcheck::cell::RaceCell`: loom's checked cell. Every access is
    /// checked against the others for a happens-before order, and a race is reported (a
    /// panic) before the access is made. loom runs every model thread on one OS thread, so
    /// the memory itself is never touched concurrently.
    #[derive(Default)]
    pub(crate) struct RaceCell<T>(loom::cell::UnsafeCell<T>);

    impl<T> RaceCell<T> {
        pub(crate) fn new(v: T) -> Self {
            RaceCell(loom::cell::UnsafeCell::new(v))
        }
        pub(crate) fn get(&self) -> T
        where
            T: Copy,
        {
            // SAFETY: a copy out, with no switch point while it is made (see the type).
            self.0.with(|p| unsafe { *p })
        }
        pub(crate) fn set(&self, v: T) {
            // SAFETY: a write, with no switch point while it is made (see the type).
            self.0.with_mut(|p| unsafe { *p = v })
        }
        /// # Safety
        /// `f` must not reach a switch point (a lock, an atomic, a spawn) while it holds the
        /// reference: another thread could then take a `&mut` to the same value.
        pub(crate) unsafe fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
            self.0.with(|p| f(unsafe { &*p }))
        }
        /// # Safety
        /// As `with`.
        pub(crate) unsafe fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
            self.0.with_mut(|p| f(unsafe { &mut *p }))
        }
    }
}

pub(crate) mod thread {
    checker_thread!(loom);

    /// Not needed under loom: its DPOR orders registry reads by their modelled atomics.
    pub(crate) fn switch_point() {}

    /// A thread that waits for others to make progress says so: loom's `yield_now`, after
    /// which its atomic loads stop returning values it has already seen while newer ones
    /// exist (loom's answer to spin loops). Then it unparks itself, which turns loom's
    /// lingering "yielded" state back into "runnable": otherwise loom would keep preferring
    /// every other thread over this one until some other thread ran, pruning the schedules
    /// where this one goes first. (If another thread did run in between, the unpark leaves a
    /// token that makes one later `park` return at once; every park here loops on its own
    /// condition.)
    pub(crate) fn progress_hint() {
        if !crate::rt::teardown::torn_down() {
            loom::thread::yield_now();
            loom::thread::current().unpark();
        }
    }

    /// Whether the calling model thread is the execution's first (the body's own).
    fn is_main_thread() -> bool {
        // loom numbers the threads of each execution from 0, the body's thread; its
        // `ThreadId` shows only that number (`ThreadId(0)`). Not a scheduling point.
        format!("{:?}", loom::thread::current().id()) == "ThreadId(0)"
    }

    /// A one-shot wakeup for the calling thread, made by the thread that will wait on it.
    /// loom: the thread's own park token (loom's `park` never wakes spuriously).
    #[derive(Debug)]
    pub(crate) struct Parker(loom::thread::Thread);

    impl Parker {
        pub(crate) fn new() -> Self {
            Parker(loom::thread::current())
        }
        /// Blocks until `unpark` (or an earlier, stale unpark of this thread: callers loop).
        pub(crate) fn park(&self) {
            crate::rt::teardown::blocking(loom::thread::park)
        }
        pub(crate) fn unpark(&self) {
            self.0.unpark()
        }
    }
}

/// Whether a panic payload is the checker's own control flow, not a failure: loom's threads
/// are `generator` coroutines, which finish (and are cancelled) by panicking with
/// `generator::Error`.
pub(crate) fn is_checker_control(payload: &(dyn std::any::Any + Send)) -> bool {
    payload.is::<generator::Error>()
}
