//! `RLock`: Python's `threading.RLock` — a reentrant lock owned by one thread at a time.
//!
//! Built to be cheap to model-check, because the headline proof (the tutorial's program on
//! one `RLock` never deadlocks, 3 threads, loom, no preemption bound) is an exhaustive search
//! whose size grows with every scheduling point:
//! - the owner word (0 = free, else the owner's thread id) lives in the facade's mutex, as
//!   [`crate::Lock`]'s flag does: a first acquire and a last release are one scheduling
//!   point each when uncontended, with no relaxed atomics for loom to enumerate;
//! - the recursion count lives in a per-thread ledger, so a nested acquire, a nested release
//!   and the "am I the owner?" check touch no shared memory and are not scheduling points.

use crate::clock::{self, Condvar};
use crate::error::ReleaseError;
use crate::rt::sync::Mutex;
use crate::rt::{self, thread::with_ledger};
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
    id: usize,
    /// 0 when free, else the owner's thread id.
    owner: Mutex<usize>,
    /// Threads waiting for `owner` to become 0.
    cv: Condvar,
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
            id: rt::next_object_id(),
            owner: Mutex::new(0),
            cv: Condvar::new(),
            obj: Obj::new("RLock", name),
        }
    }

    /// The name given to [`RLock::named`].
    pub fn name(&self) -> Option<&'static str> {
        self.obj.name
    }

    /// Blocks until this thread owns the lock; re-entering is immediate.
    pub fn acquire(&self) -> RLockGuard<'_> {
        if !self.reenter() {
            let acquired = self.acquire_until(None);
            debug_assert!(acquired, "an acquire without deadline cannot time out");
        }
        self.guard()
    }

    /// Acquires without blocking: succeeds if the lock is free or already ours.
    ///
    /// ```
    /// let r = threadcheck::RLock::new();
    /// let _a = r.try_acquire().unwrap();
    /// let _b = r.try_acquire().unwrap();
    /// ```
    pub fn try_acquire(&self) -> Option<RLockGuard<'_>> {
        if self.reenter() {
            return Some(self.guard());
        }
        let mut owner = self.owner.lock();
        if *owner != 0 {
            return None;
        }
        *owner = rt::thread::current_id();
        drop(owner);
        self.enter_first();
        Some(self.guard())
    }

    /// Waits at most `timeout` on threadcheck's clock; `Duration::MAX` waits forever.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<RLockGuard<'_>> {
        if self.reenter() || self.acquire_until(clock::deadline_after(timeout)) {
            Some(self.guard())
        } else {
            None
        }
    }

    /// Whether some thread holds the lock.
    pub fn locked(&self) -> bool {
        *self.owner.lock() != 0
    }

    /// Whether the calling thread holds the lock (Python's `_is_owned()`). Not a
    /// scheduling point.
    pub fn is_owned(&self) -> bool {
        self.depth() > 0
    }

    /// How many times the calling thread holds the lock (0 if it does not own it).
    pub fn depth(&self) -> usize {
        with_ledger(|l| l.iter().find(|e| e.0 == self.id).map_or(0, |e| e.1))
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
    pub fn release(&self) -> Result<(), ReleaseError> {
        let last = with_ledger(|l| {
            let i = l
                .iter()
                .position(|e| e.0 == self.id)
                .ok_or(ReleaseError::NotOwner)?;
            l[i].1 -= 1;
            if l[i].1 == 0 {
                l.swap_remove(i);
                return Ok(true);
            }
            Ok(false)
        })?;
        if last {
            self.unlock();
        }
        Ok(())
    }

    fn guard(&self) -> RLockGuard<'_> {
        RLockGuard {
            lock: self,
            _not_send: PhantomData,
        }
    }

    /// If this thread owns the lock, count one more level.
    #[inline]
    fn reenter(&self) -> bool {
        with_ledger(|l| match l.iter_mut().find(|e| e.0 == self.id) {
            Some(e) => {
                e.1 += 1;
                true
            }
            None => false,
        })
    }

    fn enter_first(&self) {
        with_ledger(|l| l.push((self.id, 1)));
    }

    /// First-level acquire, blocking (`None`) or timed; registers the level in the ledger.
    fn acquire_until(&self, deadline: Option<clock::Instant>) -> bool {
        let me = rt::thread::current_id();
        let mut owner = self.owner.lock();
        if *owner != 0 {
            trace::event(&self.obj, Event::Blocks);
            while *owner != 0 {
                if self.cv.wait_until(&mut owner, deadline) && *owner != 0 {
                    trace::event(&self.obj, Event::TimedOut);
                    return false;
                }
            }
        }
        *owner = me;
        trace::event(&self.obj, Event::Acquired);
        drop(owner);
        self.enter_first();
        true
    }

    /// Last-level release: hand the lock to a waiter, if any.
    fn unlock(&self) {
        let mut owner = self.owner.lock();
        *owner = 0;
        trace::event(&self.obj, Event::Released);
        self.cv.notify_one(&owner);
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
    fn drop(&mut self) {
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
