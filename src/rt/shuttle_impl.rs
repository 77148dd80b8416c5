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
}

pub(crate) mod thread {
    checker_thread!(shuttle);

    /// A point where shuttle's scheduler may switch threads, with no other effect: a load of
    /// a fresh atomic (a yield would tell PCT to deprioritize the caller).
    pub(crate) fn switch_point() {
        shuttle::sync::atomic::AtomicUsize::new(0).load(std::sync::atomic::Ordering::Relaxed);
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
