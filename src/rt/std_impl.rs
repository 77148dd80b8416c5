//! Production backend: parking_lot locks, std atomics and threads, real time.

#![allow(dead_code)] // one surface for every build; not every build uses all of it

pub(crate) const BACKEND_NAME: &str = "production";
/// Production code runs on real threads with real time.
pub(crate) const MODEL: bool = false;
/// Whether the checker prunes schedules by dependencies between modelled operations.
/// Production: no checker.
pub(crate) const DPOR: bool = false;

pub mod sync {
    pub use std::sync::atomic;
    pub use std::sync::Arc;
    /// For process-wide services (the production `Timer` thread).
    pub(crate) use std::sync::OnceLock;

    pub(crate) type Mutex<T> = parking_lot::Mutex<T>;
    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

    /// parking_lot's condvar; `wait_until` is the production clock's timed wait.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(parking_lot::Condvar);

    impl Condvar {
        pub(crate) const fn new() -> Self {
            Condvar(parking_lot::Condvar::new())
        }
        pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
            self.0.wait(guard)
        }
        /// Returns true if the deadline passed before a notification.
        pub(crate) fn wait_until<T>(
            &self,
            guard: &mut MutexGuard<'_, T>,
            deadline: std::time::Instant,
        ) -> bool {
            self.0.wait_until(guard, deadline).timed_out()
        }
        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }
        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

pub(crate) mod cell {
    /// `std::cell::UnsafeCell` with loom's closure API.
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

    /// The storage of `threadcheck::cell::RaceCell`. On real threads an unsynchronized
    /// access is undefined behaviour, so each access takes a lock of its own: every access
    /// is atomic, and a read-then-write still loses updates, as the model builds show.
    #[derive(Default)]
    pub(crate) struct RaceCell<T>(parking_lot::Mutex<T>);

    impl<T> RaceCell<T> {
        pub(crate) const fn new(v: T) -> Self {
            RaceCell(parking_lot::Mutex::new(v))
        }
        pub(crate) fn get(&self) -> T
        where
            T: Copy,
        {
            *self.0.lock()
        }
        pub(crate) fn set(&self, v: T) {
            *self.0.lock() = v;
        }
        /// # Safety
        /// None needed here; the model builds' contract (see `cell.rs`) is the caller's.
        pub(crate) unsafe fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
            f(&self.0.lock())
        }
        /// # Safety
        /// As `with`.
        pub(crate) unsafe fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
            f(&mut self.0.lock())
        }
    }
}

pub(crate) mod thread {
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub(crate) type JoinHandle<T> = std::thread::JoinHandle<T>;

    pub(crate) fn spawn<F, T>(name: Option<String>, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let mut b = std::thread::Builder::new();
        if let Some(n) = name {
            b = b.name(n);
        }
        b.spawn(f)
            .expect("threadcheck: the OS refused to spawn a thread")
    }

    pub(crate) fn join<T>(h: JoinHandle<T>) -> std::thread::Result<T> {
        h.join()
    }

    pub(crate) fn yield_now() {
        std::thread::yield_now()
    }

    /// Real threads switch on their own.
    pub(crate) fn switch_point() {}

    static NEXT_ID: AtomicUsize = AtomicUsize::new(1);
    std::thread_local!(static ID: usize = NEXT_ID.fetch_add(1, Ordering::Relaxed));

    /// A nonzero id unique to the calling thread (never reused in this process).
    pub(crate) fn current_id() -> usize {
        ID.with(|id| *id)
    }

    pub(crate) fn current_name() -> Option<String> {
        std::thread::current().name().map(str::to_owned)
    }

    // Per-thread reentrancy ledger: (object id, count) pairs for the RLocks this thread
    // owns. Thread-local, so checking "do I own it?" is not a scheduling point.
    std::thread_local!(static LEDGER: std::cell::RefCell<Vec<(usize, usize)>> = std::cell::RefCell::new(Vec::new()));

    pub(crate) fn with_ledger<R>(f: impl FnOnce(&mut Vec<(usize, usize)>) -> R) -> R {
        LEDGER.with(|l| f(&mut l.borrow_mut()))
    }

    // The calling thread's `threadcheck::thread::Thread`.
    std::thread_local!(static BINDING: std::cell::RefCell<Option<crate::thread::Binding>> =
        const { std::cell::RefCell::new(None) });

    pub(crate) fn with_binding<R>(f: impl FnOnce(&mut Option<crate::thread::Binding>) -> R) -> R {
        BINDING.with(|b| f(&mut b.borrow_mut()))
    }

    /// std names the process's main thread `main`.
    pub(crate) fn is_process_main() -> bool {
        std::thread::current().name() == Some("main")
    }
}

/// Whether the checker panics inside the blocked thread's own call when it finds a deadlock
/// (see `rt/teardown.rs`). No checker here.
pub(crate) const DEADLOCK_PANICS_IN_THREAD: bool = false;

/// Never called: see [`DEADLOCK_PANICS_IN_THREAD`].
pub(crate) fn leave_execution() {}

/// Whether a panic payload is the checker's own control flow: no checker here.
pub(crate) fn is_checker_control(_payload: &(dyn std::any::Any + Send)) -> bool {
    false
}
