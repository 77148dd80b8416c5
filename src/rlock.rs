//! `RLock`: Python's `threading.RLock` — a reentrant lock owned by one thread at a time.
//!
//! Written once over the facade's raw reentrant lock (`src/rt/raw_lock.rs`): an owner id and
//! a level count in front of the raw `Lock` shape, as parking_lot's `ReentrantMutex`. A nested
//! acquire or release and the "am I the owner?" check compare the owner word with the
//! caller's id and touch nothing shared: not a scheduling point in the model builds, two
//! loads and no atomic read-modify-write in production. A first acquire is the raw lock's:
//! one CAS in production; in the model builds the checker's own lock, held from first acquire
//! to last release — the shape that took the headline proof (the tutorial's program on one
//! `RLock`, 3 threads, loom, no preemption bound) from unfinished in 10 minutes (owner word in
//! a mutex, waiters on a condvar: 104,439 executions at preemption bound 5) to 7,847
//! executions, the same as the program on loom's own `Mutex` (`tests/loom_cost.rs`).

use crate::clock;
use crate::error::ReleaseError;
use crate::lock_order::{self, Wait};
use crate::rt::raw_lock::{self, RawRLock};
use crate::trace::{self, Event, Obj};
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// A reentrant lock, as Python's `threading.RLock`.
///
/// The thread that holds it may acquire it again; it is released to other threads when the
/// owner has released it as many times as it acquired it.
///
/// # Examples
/// ```
/// use threadcheck::RLock;
/// let r = RLock::new();
/// let a = r.acquire();
/// let b = r.acquire(); // same thread: no deadlock
/// assert_eq!(r.depth(), 2);
/// drop(b);
/// drop(a);
/// assert!(!r.locked());
/// ```
///
/// # Differences from Python's `threading.RLock`
/// - `acquire()` returns a guard (Python's `with rlock:`); for the unguarded style use
///   [`RLockGuard::leak`] then [`RLock::release`].
/// - A release by a thread that does not own the lock is `Err(ReleaseError::NotOwner)`,
///   not a `RuntimeError`, and changes nothing.
/// - Guards are `!Send`: an `RLock` is released by its owner, as in Python.
pub struct RLock {
    raw: RawRLock,
    obj: Obj,
}

/// Releases one level of the [`RLock`] when dropped. Not `Send`: the owner releases.
#[must_use = "dropping the guard releases the lock at once"]
pub struct RLockGuard<'a> {
    lock: &'a RLock,
    _not_send: PhantomData<*const ()>,
}

impl RLock {
    /// An unlocked reentrant lock.
    pub fn new() -> Self {
        RLock::build(None)
    }

    /// An unlocked reentrant lock with a name for counterexamples.
    pub fn named(name: &'static str) -> Self {
        RLock::build(Some(name))
    }

    fn build(name: Option<&'static str>) -> Self {
        RLock {
            raw: RawRLock::default(),
            obj: Obj::new("RLock", name),
        }
    }

    /// The name given to [`RLock::named`].
    pub fn name(&self) -> Option<&'static str> {
        self.obj.name
    }

    /// Blocks until this thread owns the lock; re-entering is immediate.
    #[inline]
    #[track_caller]
    pub fn acquire(&self) -> RLockGuard<'_> {
        let acquired = self.acquire_until(None);
        debug_assert!(acquired, "an acquire without deadline cannot time out");
        self.guard()
    }

    /// Acquires without blocking: succeeds if the lock is free or already ours.
    ///
    /// ```
    /// let r = threadcheck::RLock::new();
    /// let _a = r.try_acquire().unwrap();
    /// let _b = r.try_acquire().unwrap();
    /// ```
    #[track_caller]
    pub fn try_acquire(&self) -> Option<RLockGuard<'_>> {
        let me = raw_lock::me();
        if self.raw.reenter(me) {
            return Some(self.guard());
        }
        if !self.raw.try_lock(me) {
            return None;
        }
        trace::event(&self.obj, Event::Acquired);
        lock_order::acquired(&self.obj, std::panic::Location::caller());
        Some(self.guard())
    }

    /// Waits at most `timeout` on threadcheck's clock; `Duration::MAX` waits forever.
    ///
    /// ```
    /// use std::time::Duration;
    /// let r = threadcheck::RLock::new();
    /// let _g = r.acquire_timeout(Duration::from_millis(1)).expect("free");
    /// ```
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<RLockGuard<'_>> {
        if self.acquire_until(clock::deadline_after(timeout)) {
            Some(self.guard())
        } else {
            None
        }
    }

    /// Whether some thread holds the lock.
    pub fn locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// Whether the calling thread holds the lock (Python's `_is_owned()`). Not a
    /// scheduling point.
    pub fn is_owned(&self) -> bool {
        self.depth() > 0
    }

    /// How many times the calling thread holds the lock (0 if it does not own it).
    pub fn depth(&self) -> usize {
        self.raw.depth()
    }

    /// Releases one level held through [`RLockGuard::leak`]. Only the owner may release.
    ///
    /// ```
    /// use threadcheck::{RLock, ReleaseError};
    /// let r = RLock::new();
    /// assert_eq!(r.release(), Err(ReleaseError::NotOwner));
    /// r.acquire().leak();
    /// assert_eq!(r.release(), Ok(()));
    /// ```
    #[inline]
    pub fn release(&self) -> Result<(), ReleaseError> {
        if self.raw.unlock(|| {
            trace::event(&self.obj, Event::Released);
            lock_order::released(&self.obj);
        }) {
            Ok(())
        } else {
            Err(ReleaseError::NotOwner)
        }
    }

    fn guard(&self) -> RLockGuard<'_> {
        RLockGuard {
            lock: self,
            _not_send: PhantomData,
        }
    }

    /// Re-enters, or acquires the first level, blocking (`None`) or timed.
    #[inline]
    #[track_caller]
    fn acquire_until(&self, deadline: Option<clock::Instant>) -> bool {
        let me = raw_lock::me();
        if self.raw.reenter(me) {
            return true;
        }
        let wait = Wait::until(&deadline);
        trace::acquire(
            &self.obj,
            std::panic::Location::caller(),
            wait,
            |blocking| self.raw.lock_until(me, deadline, blocking),
        )
    }
}

impl Default for RLock {
    fn default() -> Self {
        RLock::new()
    }
}

impl fmt::Debug for RLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLock")
            .field("name", &self.obj.name)
            .field("locked", &self.locked())
            .finish()
    }
}

impl RLockGuard<'_> {
    /// Keeps this level held after the guard is gone; the owner must call
    /// [`RLock::release`].
    pub fn leak(self) {
        std::mem::forget(self)
    }
}

impl Drop for RLockGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        // Out of an execution the checker has torn down, touching it would abort.
        if crate::rt::teardown::torn_down() {
            return;
        }
        let r = self.lock.release();
        debug_assert!(
            r.is_ok(),
            "an RLockGuard's level was released behind its back"
        );
    }
}

impl fmt::Debug for RLockGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLockGuard")
            .field("lock", self.lock)
            .finish()
    }
}
