//! shuttle backend: every lock, atomic and spawn is a point shuttle's schedulers choose at.

#![allow(dead_code)] // one surface for every build; not every build uses all of it

pub(crate) const BACKEND_NAME: &str = "shuttle";
pub(crate) const MODEL: bool = true;
/// Whether the checker prunes schedules by dependencies between modelled operations.
/// shuttle's schedulers choose at every switch point; no dependency pruning.
pub(crate) const DPOR: bool = false;

pub mod sync {
    pub use shuttle::sync::atomic;
    pub use shuttle::sync::Arc;

    checker_sync!(shuttle);
}

/// shuttle finds deadlocks between steps, outside every task, and abandons the failed
/// execution's stacks without unwinding them (see `rt/teardown.rs`).
pub(crate) const DEADLOCK_PANICS_IN_THREAD: bool = false;

/// Never called: see [`DEADLOCK_PANICS_IN_THREAD`].
pub(crate) fn leave_execution() {}

pub(crate) mod cell {
    /// shuttle does not check data races; this is std's cell with loom's closure API.
    #[derive(Debug, Default)]
    pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(v: T) -> Self {
            UnsafeCell(std::cell::UnsafeCell::new(v))
        }
        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }
        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }

    /// The storage of `threadcheck::cell::RaceCell`. shuttle checks no data races, but every
    /// access is a switch point, so its schedulers interleave the accesses of different
    /// threads (a read-then-write can lose an update, as on real hardware). shuttle runs every
    /// task on one OS thread, so the memory itself is never touched concurrently.
    #[derive(Default)]
    pub(crate) struct RaceCell<T>(std::cell::UnsafeCell<T>);

    /// A switch point (not a yield: PCT keeps the task's priority), inside an execution.
    pub(crate) fn switch() {
        if shuttle::current::try_get_current_task().is_some() {
            shuttle_engine::runtime::thread::switch();
        }
    }

    impl<T> RaceCell<T> {
        pub(crate) const fn new(v: T) -> Self {
            RaceCell(std::cell::UnsafeCell::new(v))
        }
        pub(crate) fn get(&self) -> T
        where
            T: Copy,
        {
            switch();
            // SAFETY: a copy out, with no switch point while it is made (see the type).
            unsafe { *self.0.get() }
        }
        pub(crate) fn set(&self, v: T) {
            switch();
            // SAFETY: a write, with no switch point while it is made (see the type).
            unsafe { *self.0.get() = v }
        }
        /// # Safety
        /// `f` must not reach a switch point (a lock, an atomic, a spawn) while it holds the
        /// reference: another task could then take a `&mut` to the same value.
        pub(crate) unsafe fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
            switch();
            f(unsafe { &*self.0.get() })
        }
        /// # Safety
        /// As `with`.
        pub(crate) unsafe fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
            switch();
            f(unsafe { &mut *self.0.get() })
        }
    }
}

pub(crate) mod thread {
    checker_thread!(shuttle);

    /// A point where shuttle's scheduler may switch threads, with no other effect (a yield
    /// would tell PCT to deprioritize the caller).
    pub(crate) fn switch_point() {
        super::cell::switch();
    }

    /// Nothing: shuttle's atomics are sequentially consistent, a load sees the last store.
    pub(crate) fn progress_hint() {}

    /// Whether the calling model thread is the execution's first (the body's own task).
    fn is_main_thread() -> bool {
        shuttle::current::try_get_current_task().is_some_and(|t| usize::from(t) == 0)
    }

    /// A one-shot wakeup for the calling thread, made by the thread that will wait on it.
    /// shuttle: a one-slot channel holding the token. Not `thread::park`, which in shuttle may
    /// wake spuriously at the scheduler's choice (a DFS would spin a park loop forever, and a
    /// thread parked for good would not be reported as deadlocked); and a channel costs one
    /// switch point per park or unpark where a mutex and condvar cost four.
    #[derive(Debug)]
    pub(crate) struct Parker {
        tx: shuttle::sync::mpsc::SyncSender<()>,
        rx: shuttle::sync::mpsc::Receiver<()>,
    }

    impl Parker {
        pub(crate) fn new() -> Self {
            let (tx, rx) = shuttle::sync::mpsc::sync_channel(1);
            Parker { tx, rx }
        }
        /// Blocks until `unpark`, consuming the token.
        pub(crate) fn park(&self) {
            self.rx.recv().expect("the parker holds its own sender");
        }
        pub(crate) fn unpark(&self) {
            // Full: the token is already there (unparks do not accumulate).
            let _ = self.tx.try_send(());
        }
    }
}

/// Whether a panic payload is the checker's own control flow, not a failure: shuttle's
/// coroutines unwind with `resume_unwind`, which no hook sees.
pub(crate) fn is_checker_control(_payload: &(dyn std::any::Any + Send)) -> bool {
    false
}
