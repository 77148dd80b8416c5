//! `Lock`: Python's `threading.Lock` — a non-reentrant lock that any thread may release.
//!
//! Written once over the facade's raw lock (`src/rt/raw_lock.rs`), whose shape differs by
//! build. In production it is a one-byte word with parking_lot's algorithm: one CAS to
//! acquire and one to release when uncontended, brief spinning, then parking in
//! `parking_lot_core` (`cargo bench --bench locks`: within a few percent of parking_lot's
//! `Mutex`). In the model builds it is the checker's own lock, held from acquire to release:
//! a program on `Lock` costs loom what the same program on loom's `Mutex` costs
//! (`tests/loom_cost.rs`). Two earlier shapes were measured and dropped: an atomic fast path
//! in front of a mutex (`lock/ordered_locks`, 2 threads: 5,654,526 loom executions), then a
//! flag in a mutex with waiters on a condvar (a 4-thread wrong-lock counter: 6.7× the
//! executions of loom's `Mutex`). The production word is checked on loom's atomics by its own
//! models (`tests/fastpath.rs`).

use crate::clock;
use crate::error::ReleaseError;
use crate::lock_order::{self, Wait};
use crate::rt::raw_lock::{RawLock, RawLockApi};
use crate::trace::{self, Event, Obj};
use std::fmt;
use std::time::Duration;

/// A primitive lock, as Python's `threading.Lock`.
///
/// Not reentrant: a thread that acquires it twice waits for itself forever (the corpus model
/// `lock/self_deadlock` shows a checker catching exactly that). Unlike `std::sync::Mutex`, the
/// lock is not tied to the thread that acquired it: [`LockGuard::leak`] keeps it held and any
/// thread may then call [`Lock::release`].
///
/// # Examples
/// ```
/// use threadcheck::Lock;
/// let lock = Lock::new();
/// {
///     let _g = lock.acquire();
///     assert!(lock.locked());
///     assert!(lock.try_acquire().is_none());
/// }
/// assert!(!lock.locked());
/// ```
///
/// # Differences from Python's `threading.Lock`
/// - `acquire()` returns a guard that releases on drop (Python's `with lock:`); the
///   unguarded `acquire(); ...; release()` style is `acquire().leak()` then [`Lock::release`].
/// - `acquire(blocking=False)` is [`Lock::try_acquire`]; `acquire(timeout=t)` is
///   [`Lock::acquire_timeout`].
/// - Releasing an unlocked lock is `Err(ReleaseError::Unlocked)`, not a `RuntimeError`.
pub struct Lock {
    raw: RawLock,
    obj: Obj,
}

/// Releases the [`Lock`] when dropped.
#[must_use = "dropping the guard releases the lock at once"]
pub struct LockGuard<'a> {
    lock: &'a Lock,
}

impl Lock {
    /// An unlocked lock.
    pub fn new() -> Self {
        Lock::build(None)
    }

    /// An unlocked lock with a name, used in counterexamples ("Lock A").
    ///
    /// ```
    /// let a = threadcheck::Lock::named("A");
    /// assert_eq!(a.name(), Some("A"));
    /// ```
    pub fn named(name: &'static str) -> Self {
        Lock::build(Some(name))
    }

    fn build(name: Option<&'static str>) -> Self {
        Lock {
            raw: RawLock::default(),
            obj: Obj::new("Lock", name),
        }
    }

    /// The name given to [`Lock::named`].
    pub fn name(&self) -> Option<&'static str> {
        self.obj.name
    }

    /// Blocks until the lock is acquired.
    #[inline]
    #[track_caller]
    pub fn acquire(&self) -> LockGuard<'_> {
        let acquired = self.acquire_until(None);
        debug_assert!(acquired, "an acquire without deadline cannot time out");
        LockGuard { lock: self }
    }

    /// Acquires the lock if it is free, without blocking (Python: `acquire(blocking=False)`).
    ///
    /// ```
    /// let lock = threadcheck::Lock::new();
    /// let g = lock.try_acquire().expect("free");
    /// assert!(lock.try_acquire().is_none());
    /// drop(g);
    /// ```
    #[track_caller]
    pub fn try_acquire(&self) -> Option<LockGuard<'_>> {
        if !self.raw.try_lock() {
            return None;
        }
        trace::event(&self.obj, Event::Acquired);
        lock_order::acquired(&self.obj, std::panic::Location::caller());
        Some(LockGuard { lock: self })
    }

    /// Waits at most `timeout` for the lock (Python: `acquire(timeout=t)`), on threadcheck's
    /// clock. A timeout too large to represent (`Duration::MAX`) waits forever.
    ///
    /// ```
    /// use std::time::Duration;
    /// let lock = threadcheck::Lock::new();
    /// let _g = lock.acquire();
    /// assert!(lock.acquire_timeout(Duration::from_millis(1)).is_none());
    /// ```
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<LockGuard<'_>> {
        if self.acquire_until(clock::deadline_after(timeout)) {
            Some(LockGuard { lock: self })
        } else {
            None
        }
    }

    /// Whether the lock is held by some thread (Python: `locked()`).
    pub fn locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// Releases a lock held through [`LockGuard::leak`], from any thread (Python:
    /// `release()`). Releasing an unlocked lock is an error and changes nothing.
    ///
    /// ```
    /// use threadcheck::{Lock, ReleaseError};
    /// let lock = Lock::new();
    /// lock.acquire().leak();
    /// assert_eq!(lock.release(), Ok(()));
    /// assert_eq!(lock.release(), Err(ReleaseError::Unlocked));
    /// ```
    pub fn release(&self) -> Result<(), ReleaseError> {
        if self.raw.release(|| {
            trace::event(&self.obj, Event::Released);
            lock_order::released(&self.obj);
        }) {
            Ok(())
        } else {
            Err(ReleaseError::Unlocked)
        }
    }

    /// One code path for blocking (`None`) and timed acquires. Returns false if the deadline
    /// passed with the lock still held by someone else.
    #[inline]
    #[track_caller]
    fn acquire_until(&self, deadline: Option<clock::Instant>) -> bool {
        let wait = Wait::until(&deadline);
        trace::acquire(
            &self.obj,
            std::panic::Location::caller(),
            wait,
            |blocking| self.raw.lock_until(deadline, blocking),
        )
    }
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("name", &self.obj.name)
            .field("locked", &self.locked())
            .finish()
    }
}

impl LockGuard<'_> {
    /// Keeps the lock held after the guard is gone; some thread must call
    /// [`Lock::release`]. This is Python's unguarded `lock.acquire()`.
    pub fn leak(self) {
        lock_order::leaked(&self.lock.obj);
        std::mem::forget(self)
    }
}

impl Drop for LockGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        // Out of an execution the checker has torn down, touching it would abort.
        if crate::rt::teardown::torn_down() {
            return;
        }
        let lock = self.lock;
        // Fails only if another thread released the lock behind the guard's back (Python
        // allows that; the guard then has nothing left to release).
        let released = lock.raw.unlock(|| {
            trace::event(&lock.obj, Event::Released);
            lock_order::released(&lock.obj);
        });
        debug_assert!(
            released || std::thread::panicking(),
            "a LockGuard's lock was released behind its back"
        );
    }
}

impl fmt::Debug for LockGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard")
            .field("lock", self.lock)
            .finish()
    }
}
