//! `Lock`: Python's `threading.Lock` — a non-reentrant lock that any thread may release.
//!
//! The lock word is a `bool` inside the facade's mutex, and waiters park on a
//! [`clock::Condvar`]. This is deliberately the plain design, in every build: under loom an
//! uncontended acquire or release is exactly one scheduling point (the mutex acquire; a
//! release skips the notify when the condvar counts no waiter), and there are no relaxed
//! atomics whose stale values loom would have to enumerate. An atomic fast path in front
//! (parking_lot's `raw_mutex.rs` shape) was measured here first: `lock/ordered_locks` with 2
//! threads took 5,654,526 loom executions (188 s); this design explores the same program in
//! a small fraction of that (see the README's figures). In production the mutex is
//! parking_lot's, itself a one-CAS fast path, so an uncontended acquire+release costs two
//! uncontended mutex round trips; `cargo bench` reports the ratio to parking_lot's `Mutex`.

use crate::clock::{self, Condvar};
use crate::error::ReleaseError;
use crate::rt::sync::Mutex;
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
    /// Whether the lock is held.
    locked: Mutex<bool>,
    /// Threads waiting for `locked` to become false.
    cv: Condvar,
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
            locked: Mutex::new(false),
            cv: Condvar::new(),
            obj: Obj::new("Lock", name),
        }
    }

    /// The name given to [`Lock::named`].
    pub fn name(&self) -> Option<&'static str> {
        self.obj.name
    }

    /// Blocks until the lock is acquired.
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
    pub fn try_acquire(&self) -> Option<LockGuard<'_>> {
        let mut held = self.locked.lock();
        if *held {
            return None;
        }
        *held = true;
        trace::event(&self.obj, Event::Acquired);
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
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<LockGuard<'_>> {
        if self.acquire_until(clock::deadline_after(timeout)) {
            Some(LockGuard { lock: self })
        } else {
            None
        }
    }

    /// Whether the lock is held by some thread (Python: `locked()`).
    pub fn locked(&self) -> bool {
        *self.locked.lock()
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
        let mut held = self.locked.lock();
        if !*held {
            return Err(ReleaseError::Unlocked);
        }
        *held = false;
        trace::event(&self.obj, Event::Released);
        self.cv.notify_one(&held);
        Ok(())
    }

    /// One code path for blocking (`None`) and timed acquires. Returns false if the deadline
    /// passed with the lock still held by someone else.
    fn acquire_until(&self, deadline: Option<clock::Instant>) -> bool {
        let mut held = self.locked.lock();
        if *held {
            trace::event(&self.obj, Event::Blocks);
            while *held {
                if self.cv.wait_until(&mut held, deadline) && *held {
                    trace::event(&self.obj, Event::TimedOut);
                    return false;
                }
            }
        }
        *held = true;
        trace::event(&self.obj, Event::Acquired);
        true
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
        std::mem::forget(self)
    }
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        // Out of an execution the checker has torn down, touching it would abort.
        if crate::rt::teardown::torn_down() {
            return;
        }
        // The guard proves the lock is held, so this cannot fail.
        let r = self.lock.release();
        debug_assert!(r.is_ok(), "a LockGuard's lock was released behind its back");
    }
}

impl fmt::Debug for LockGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard")
            .field("lock", self.lock)
            .finish()
    }
}
