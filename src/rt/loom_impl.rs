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

pub(crate) mod cell {
    /// loom's checked cell: a concurrent unsynchronized access is reported as a data race.
    pub(crate) type UnsafeCell<T> = loom::cell::UnsafeCell<T>;
}

pub(crate) mod thread {
    checker_thread!(loom);

    /// Not needed under loom: its DPOR orders registry reads by their modelled atomics.
    pub(crate) fn switch_point() {}

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
            loom::thread::park()
        }
        pub(crate) fn unpark(&self) {
            self.0.unpark()
        }
    }
}
