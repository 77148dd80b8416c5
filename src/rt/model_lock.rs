//! The model builds' lock: the checker's own lock, *held* from acquire to release — the shape
//! that is cheapest for the checkers (shared/DESIGN.md, "Model shapes and production shapes").
//!
//! Under loom an acquire is one mutex acquire (one scheduling point; a contended one simply
//! blocks, with no condvar dance to interleave) and an unlock is a mutex release, which loom
//! does not count as a scheduling point: a program on `Lock` costs loom what the same program
//! on loom's `Mutex` costs (`tests/loom_cost.rs`: ratio 1.00 on the programs measured).
//! Measured against the previous shape (a flag in a mutex, waiters on a condvar):
//! `lock/ordered_locks` (2 threads) 309 → 42 executions, `lock/mutual_exclusion` (3 threads)
//! 6,191 → 414, `condition/producer_consumer` 91,000 → 42,692.
//!
//! - loom: a `loom::sync::Mutex<()>` whose guard is parked here between acquire and release;
//!   loom lets any thread drop it, which is Python's release from another thread.
//! - shuttle: a one-permit `BatchSemaphore` — shuttle's `Mutex` is one, minus its "relock by
//!   the holder" assertion, which a Python `Lock` must not trip (a thread may block on a lock
//!   it acquired until another thread releases it).
//!
//! Bookkeeping no checker needs to see (who holds the parked guard, how many timed waiters
//! there are) is plain memory: loom and shuttle run every model thread on one OS thread and
//! switch only at modelled operations, so a check-and-update with none in between is atomic.
//! A timed acquire cannot block in the checker's lock with a deadline, so it polls `try_lock`
//! and sleeps on a model-clock condvar that an unlock signals only when a timed waiter is
//! registered. [`RawWaiters`] tells the model clock which threads are blocked in the lock.

use crate::clock::{Condvar, Instant, RawWaiters};
use crate::rt::raw_lock::RawLockApi;
use crate::rt::sync::Mutex;
use std::cell::Cell;

#[cfg(loom)]
use loom_lock::CheckerLock;
#[cfg(loom)]
mod loom_lock {
    use std::cell::UnsafeCell;

    /// loom's mutex, its guard parked in `held` while locked.
    #[derive(Debug)]
    pub(super) struct CheckerLock {
        /// Declared before `mutex` so a guard still parked at drop goes first.
        held: UnsafeCell<Option<loom::sync::MutexGuard<'static, ()>>>,
        /// Boxed: `held` borrows it, so it must not move with the lock.
        mutex: Box<loom::sync::Mutex<()>>,
    }

    impl CheckerLock {
        pub(super) fn new() -> Self {
            CheckerLock {
                held: UnsafeCell::new(None),
                mutex: Box::new(loom::sync::Mutex::new(())),
            }
        }
        pub(super) fn is_held(&self) -> bool {
            // SAFETY: one OS thread, no modelled operation while the reference lives.
            unsafe { (*self.held.get()).is_some() }
        }
        pub(super) fn lock(&self) {
            // loom may declare a deadlock inside this call: see rt/teardown.rs.
            let g = crate::rt::teardown::blocking(|| {
                self.mutex.lock().unwrap_or_else(|e| e.into_inner())
            });
            self.park(g);
        }
        pub(super) fn try_lock(&self) -> bool {
            match self.mutex.try_lock() {
                Ok(g) => {
                    self.park(g);
                    true
                }
                Err(_) => false,
            }
        }
        fn park(&self, g: loom::sync::MutexGuard<'_, ()>) {
            // SAFETY: only the lifetime changes. The guard borrows `*self.mutex`, boxed (stable
            // address) and dropped after `held` (field order).
            let g: loom::sync::MutexGuard<'static, ()> = unsafe { std::mem::transmute(g) };
            // SAFETY: one OS thread; we just locked, so the slot is empty.
            unsafe { *self.held.get() = Some(g) };
        }
        pub(super) fn unlock(&self) {
            // SAFETY: one OS thread, no modelled operation while the reference lives.
            let g = unsafe { (*self.held.get()).take() };
            if std::thread::panicking() {
                // Unwinding out of a torn-down execution: touching loom again would abort the
                // process (loom#291). The execution is over; leak the guard.
                std::mem::forget(g);
            } else {
                drop(g);
            }
        }
    }

    impl Drop for CheckerLock {
        fn drop(&mut self) {
            if std::thread::panicking() {
                std::mem::forget(self.held.get_mut().take());
            }
        }
    }
}

#[cfg(all(feature = "shuttle", not(loom)))]
use shuttle_lock::CheckerLock;
#[cfg(all(feature = "shuttle", not(loom)))]
mod shuttle_lock {
    use shuttle::future::batch_semaphore::{BatchSemaphore, Fairness};
    use std::cell::Cell;

    /// A one-permit semaphore: a lock with no owner.
    pub(super) struct CheckerLock {
        sem: BatchSemaphore,
        held: Cell<bool>,
    }

    impl std::fmt::Debug for CheckerLock {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("CheckerLock")
                .field("held", &self.held.get())
                .finish()
        }
    }

    impl CheckerLock {
        pub(super) fn new() -> Self {
            CheckerLock {
                sem: BatchSemaphore::new(1, Fairness::Unfair),
                held: Cell::new(false),
            }
        }
        pub(super) fn is_held(&self) -> bool {
            self.held.get()
        }
        pub(super) fn lock(&self) {
            // An unfair semaphore's acquire that will block is no scheduling point (it
            // commutes); a contended lock acquire should be one, as shuttle's `Mutex::lock`
            // always is, or a program whose only race is a blocked acquire shows shuttle no
            // choice at all. So a contended acquire tries first: one switch, then block.
            if self.held.get() && self.sem.try_acquire(1).is_ok() {
                self.held.set(true);
                return;
            }
            // Fails only once the execution is torn down; the lock is then as good as held.
            let _ = self.sem.acquire_blocking(1);
            self.held.set(true);
        }
        pub(super) fn try_lock(&self) -> bool {
            let ok = self.sem.try_acquire(1).is_ok();
            if ok {
                self.held.set(true);
            }
            ok
        }
        pub(super) fn unlock(&self) {
            self.held.set(false);
            // A scheduling point, and safe while a torn-down execution unwinds (shuttle
            // returns the permit then too).
            self.sem.release(1);
        }
    }
}

/// A lock for the model builds; see the module docs. Same surface as the production word.
#[derive(Debug)]
pub(crate) struct ModelLock {
    lock: CheckerLock,
    /// Threads in a timed acquire, waiting to hear of an unlock.
    timed: Cell<usize>,
    released: Mutex<()>,
    released_cv: Condvar,
    raw: RawWaiters,
}

// SAFETY: the checkers run every model thread on one OS thread (module docs); the cells are
// never touched across a modelled operation.
unsafe impl Send for ModelLock {}
// SAFETY: as above.
unsafe impl Sync for ModelLock {}

impl Default for ModelLock {
    fn default() -> Self {
        ModelLock::new()
    }
}

impl ModelLock {
    pub(crate) fn new() -> Self {
        ModelLock {
            lock: CheckerLock::new(),
            timed: Cell::new(0),
            released: Mutex::new(()),
            released_cv: Condvar::new(),
            raw: RawWaiters::default(),
        }
    }

    /// Takes the lock and gives it back if it is free: a question the checker sees.
    fn was_free(&self) -> bool {
        let free = self.try_lock();
        if free {
            self.unlock(|| {});
        }
        free
    }
}

impl RawLockApi for ModelLock {
    /// Waits on the model clock. `blocking` runs when a timed acquire finds the lock held; an
    /// untimed one blocks inside the checker's lock, where we cannot see it happen (the
    /// caller marks the wait as tentative in the trace instead).
    fn lock_until(&self, deadline: Option<Instant>, blocking: impl FnOnce()) -> bool {
        let Some(deadline) = deadline else {
            self.raw.before_lock();
            self.lock.lock();
            self.raw.after_lock();
            return true;
        };
        if self.try_lock() {
            return true;
        }
        blocking();
        // Count ourselves before each try; an unlock checks the count after unlocking, so it
        // either lets a try succeed or sees the count and signals.
        self.timed.set(self.timed.get() + 1);
        let mut r = self.released.lock();
        let got = loop {
            if self.lock.try_lock() {
                break true;
            }
            if self.released_cv.wait_until(&mut r, Some(deadline)) {
                break self.lock.try_lock();
            }
        };
        drop(r);
        self.timed.set(self.timed.get() - 1);
        if got {
            self.raw.after_lock();
        }
        got
    }

    fn try_lock(&self) -> bool {
        let ok = self.lock.try_lock();
        if ok {
            self.raw.after_lock();
        }
        ok
    }

    /// Not a scheduling point under loom (a mutex release).
    fn unlock(&self, on_release: impl FnOnce()) -> bool {
        if !self.lock.is_held() {
            return false;
        }
        on_release();
        self.raw.before_unlock();
        self.lock.unlock();
        if self.timed.get() > 0 && !std::thread::panicking() {
            let r = self.released.lock();
            self.released_cv.notify_all(&r);
        }
        true
    }

    /// First a `try_lock`, a scheduling point on the lock, so the checker orders a release
    /// by any thread against every acquire.
    fn release(&self, on_release: impl FnOnce()) -> bool {
        !self.was_free() && self.unlock(on_release)
    }

    /// A scheduling point on the lock (a `try_lock`).
    fn is_locked(&self) -> bool {
        !self.was_free()
    }
}
