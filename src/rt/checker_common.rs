//! The part of the loom and shuttle backends that is the same but for the checker's crate:
//! each backend file calls these macros with `loom` or `shuttle`.

/// Mutex, guard and condvar over the checker's own, without poisoning and parking_lot-shaped.
macro_rules! checker_sync {
    ($b:ident) => {
        /// The checker's mutex without poisoning; the guard is parking_lot-shaped (a condvar waits on
        /// `&mut guard`), so it carries the checker's guard in an `Option` while waiting.
        #[derive(Debug)]
        pub(crate) struct Mutex<T>($b::sync::Mutex<T>);

        pub(crate) struct MutexGuard<'a, T>(
            Option<$b::sync::MutexGuard<'a, T>>,
            &'a $b::sync::Mutex<T>,
        );

        impl<T> Mutex<T> {
            pub(crate) fn new(v: T) -> Self {
                Mutex($b::sync::Mutex::new(v))
            }
            pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
                let g = crate::rt::teardown::blocking(|| self.0.lock());
                MutexGuard(Some(g.unwrap_or_else(|e| e.into_inner())), &self.0)
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
                let g = crate::rt::teardown::blocking(|| guard.1.lock());
                guard.0 = Some(g.unwrap_or_else(|e| e.into_inner()));
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

        /// The checker's condvar. It never times out (the checkers have no time); timed waits are built on
        /// it by `crate::clock`.
        #[derive(Debug)]
        pub(crate) struct Condvar($b::sync::Condvar);

        impl Default for Condvar {
            fn default() -> Self {
                Condvar::new()
            }
        }

        impl Condvar {
            pub(crate) fn new() -> Self {
                Condvar($b::sync::Condvar::new())
            }
            pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
                let g = guard.0.take().expect("guard present");
                let g = crate::rt::teardown::blocking(|| self.0.wait(g));
                guard.0 = Some(g.unwrap_or_else(|e| e.into_inner()));
            }
            pub(crate) fn notify_one(&self) {
                self.0.notify_one();
            }
            pub(crate) fn notify_all(&self) {
                self.0.notify_all();
            }
        }
    };
}

/// Spawning, yielding, thread ids and the RLock ledger on the checker's threads.
macro_rules! checker_thread {
    ($b:ident) => {
    pub(crate) type JoinHandle<T> = $b::thread::JoinHandle<T>;

    pub(crate) fn spawn<F, T>(name: Option<String>, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let mut b = $b::thread::Builder::new();
        if let Some(n) = name {
            b = b.name(n);
        }
        b.spawn(f).expect(concat!(stringify!($b), " refused to spawn a thread"))
    }

    /// Waits for the thread to finish (a blocking call: see `rt/teardown.rs`).
    pub(crate) fn join<T>(h: JoinHandle<T>) -> std::thread::Result<T> {
        crate::rt::teardown::blocking(|| h.join())
    }

    pub(crate) fn yield_now() {
        $b::thread::yield_now()
    }

    // Ids are unmodelled bookkeeping: only compared for equality, never branched on
    // beyond that, so a process-wide counter is fine.
    static NEXT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

    /// A model thread of the current execution, as the event trace knows it. The checker's
    /// thread-locals live as long as the model thread, in one execution: creating this value
    /// (the thread's first use of the crate) and dropping it (the thread's end, or the
    /// execution's teardown) tell the trace where executions begin and end, even under a
    /// plain `loom::model` or `shuttle::check_*` that never calls into `crate::check`.
    struct ModelThread(usize);

    impl ModelThread {
        fn register() -> ModelThread {
            let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            crate::trace::thread_started(id, is_main_thread(), current_name());
            ModelThread(id)
        }
    }

    impl Drop for ModelThread {
        fn drop(&mut self) {
            crate::trace::thread_finished(self.0);
        }
    }

    $b::thread_local!(static ID: ModelThread = ModelThread::register());

    /// A nonzero id unique to the calling model thread (never reused in this process).
    pub(crate) fn current_id() -> usize {
        ID.with(|id| id.0)
    }

    pub(crate) fn current_name() -> Option<String> {
        $b::thread::current().name().map(str::to_owned)
    }

    // Per-thread reentrancy ledger: (object id, count) pairs for the RLocks this thread
    // owns. Thread-local, so checking "do I own it?" is not a scheduling point.
    $b::thread_local!(static LEDGER: std::cell::RefCell<Vec<(usize, usize)>> = std::cell::RefCell::new(Vec::new()));

    pub(crate) fn with_ledger<R>(f: impl FnOnce(&mut Vec<(usize, usize)>) -> R) -> R {
        LEDGER.with(|l| f(&mut l.borrow_mut()))
    }

    // The calling model thread's `threadcheck::thread::Thread`. The checker's own thread-local:
    // its model threads share one OS thread, so a `std::thread_local!` would be shared too.
    $b::thread_local!(static BINDING: std::cell::RefCell<Option<crate::thread::Binding>> =
        std::cell::RefCell::new(None));

    pub(crate) fn with_binding<R>(f: impl FnOnce(&mut Option<crate::thread::Binding>) -> R) -> R {
        BINDING.with(|b| f(&mut b.borrow_mut()))
    }
    };
}
