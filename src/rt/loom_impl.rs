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

    /// loom's mutex without poisoning; the guard is parking_lot-shaped (a condvar waits on
    /// `&mut guard`), so it carries the loom guard in an `Option` while waiting.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    pub(crate) struct MutexGuard<'a, T>(
        Option<loom::sync::MutexGuard<'a, T>>,
        &'a loom::sync::Mutex<T>,
    );

    impl<T> Mutex<T> {
        pub(crate) fn new(v: T) -> Self {
            Mutex(loom::sync::Mutex::new(v))
        }
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            MutexGuard(
                Some(self.0.lock().unwrap_or_else(|e| e.into_inner())),
                &self.0,
            )
        }
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0.try_lock().ok().map(|g| MutexGuard(Some(g), &self.0))
        }
    }

    impl<T: Default> Default for Mutex<T> {
        fn default() -> Self {
            Mutex::new(T::default())
        }
    }

    impl<T> MutexGuard<'_, T> {
        /// Unlocks the mutex, runs `f`, locks it again (parking_lot's `MutexGuard::unlocked`).
        /// The model clock parks a waiter this way.
        pub(crate) fn unlocked<R>(guard: &mut Self, f: impl FnOnce() -> R) -> R {
            drop(guard.0.take().expect("guard present"));
            let r = f();
            guard.0 = Some(guard.1.lock().unwrap_or_else(|e| e.into_inner()));
            r
        }
    }

    impl<T> std::ops::Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.0
                .as_ref()
                .expect("guard is only empty inside Condvar::wait")
        }
    }
    impl<T> std::ops::DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.0
                .as_mut()
                .expect("guard is only empty inside Condvar::wait")
        }
    }

    /// loom's condvar. It never times out (loom has no time); timed waits are built on
    /// it by `crate::clock`.
    #[derive(Debug)]
    pub(crate) struct Condvar(loom::sync::Condvar);

    impl Default for Condvar {
        fn default() -> Self {
            Condvar::new()
        }
    }

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(loom::sync::Condvar::new())
        }
        pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
            let g = guard.0.take().expect("guard present");
            guard.0 = Some(self.0.wait(g).unwrap_or_else(|e| e.into_inner()));
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
    /// loom's checked cell: a concurrent unsynchronized access is reported as a data race.
    pub(crate) type UnsafeCell<T> = loom::cell::UnsafeCell<T>;
}

pub(crate) mod thread {
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub(crate) type JoinHandle<T> = loom::thread::JoinHandle<T>;

    pub(crate) fn spawn<F, T>(name: Option<String>, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let mut b = loom::thread::Builder::new();
        if let Some(n) = name {
            b = b.name(n);
        }
        b.spawn(f).expect("loom refused to spawn a thread")
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
            loom::thread::park()
        }
        pub(crate) fn unpark(&self) {
            self.0.unpark()
        }
    }

    pub(crate) fn yield_now() {
        loom::thread::yield_now()
    }

    // Ids are unmodelled bookkeeping: only compared for equality, never branched on
    // beyond that, so a process-wide counter is fine.
    static NEXT_ID: AtomicUsize = AtomicUsize::new(1);
    loom::thread_local!(static ID: usize = NEXT_ID.fetch_add(1, Ordering::Relaxed));

    pub(crate) fn current_id() -> usize {
        ID.with(|id| *id)
    }

    pub(crate) fn current_name() -> Option<String> {
        loom::thread::current().name().map(str::to_owned)
    }

    // Per-thread reentrancy ledger: (object id, count) pairs for the RLocks this thread
    // owns. Thread-local, so checking "do I own it?" is not a scheduling point.
    loom::thread_local!(static LEDGER: std::cell::RefCell<Vec<(usize, usize)>> = std::cell::RefCell::new(Vec::new()));

    pub(crate) fn with_ledger<R>(f: impl FnOnce(&mut Vec<(usize, usize)>) -> R) -> R {
        LEDGER.with(|l| f(&mut l.borrow_mut()))
    }
}

static NEXT_OBJECT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// A process-unique id for a primitive instance (unmodelled bookkeeping).
pub(crate) fn next_object_id() -> usize {
    NEXT_OBJECT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}
