//! `Lock`: Python's `threading.Lock` — a non-reentrant lock that any thread may release.
//!
//! The algorithm is parking_lot's `raw_mutex.rs` in miniature: one lock word, an inlined
//! compare-exchange fast path, and a cold slow path that parks on a mutex + condvar. Keeping
//! the uncontended path to a single atomic operation matters twice: it is fast in production
//! and it is a single scheduling point for loom.

use crate::clock::{self, Condvar};
use crate::error::ReleaseError;
use crate::rt::sync::atomic::{AtomicU8, Ordering};
use crate::rt::sync::Mutex;
use crate::trace::{self, Event, Obj};
use std::fmt;
use std::time::Duration;

/// Lock word bits.
///
/// | bit      | meaning                                                    |
/// |----------|------------------------------------------------------------|
/// | `LOCKED` | the lock is held                                           |
/// | `PARKED` | some thread may be waiting in the slow path: release must wake it |
const LOCKED: u8 = 0b01;
const PARKED: u8 = 0b10;

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
    state: AtomicU8,
    slow: Mutex<()>,
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
            state: AtomicU8::new(0),
            slow: Mutex::new(()),
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
        if !self.try_lock_fast() {
            self.lock_slow(None);
        }
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
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & LOCKED != 0 {
                return None;
            }
            match self.state.compare_exchange_weak(
                s,
                s | LOCKED,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    trace::event(&self.obj, Event::Acquired);
                    return Some(LockGuard { lock: self });
                }
                Err(actual) => s = actual,
            }
        }
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
        if self.try_lock_fast() || self.lock_slow(clock::deadline_after(timeout)) {
            Some(LockGuard { lock: self })
        } else {
            None
        }
    }

    /// Whether the lock is held by some thread (Python: `locked()`).
    pub fn locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) & LOCKED != 0
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
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & LOCKED == 0 {
                return Err(ReleaseError::Unlocked);
            }
            if s & PARKED != 0 {
                self.unlock_slow();
                return Ok(());
            }
            match self
                .state
                .compare_exchange_weak(s, 0, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => {
                    trace::event(&self.obj, Event::Released);
                    return Ok(());
                }
                Err(actual) => s = actual,
            }
        }
    }

    #[inline]
    fn try_lock_fast(&self) -> bool {
        let ok = self
            .state
            .compare_exchange(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok();
        if ok {
            trace::event(&self.obj, Event::Acquired);
        }
        ok
    }

    /// Returns false if the deadline passed first.
    #[cold]
    fn lock_slow(&self, deadline: Option<clock::Instant>) -> bool {
        let mut g = self.slow.lock();
        trace::event(&self.obj, Event::Blocks);
        loop {
            let s = self.state.load(Ordering::Relaxed);
            if s & LOCKED == 0 {
                if self
                    .state
                    .compare_exchange(s, s | LOCKED, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
                {
                    trace::event(&self.obj, Event::Acquired);
                    return true;
                }
                continue;
            }
            if s & PARKED == 0
                && self
                    .state
                    .compare_exchange(s, s | PARKED, Ordering::Relaxed, Ordering::Relaxed)
                    .is_err()
            {
                continue;
            }
            if self.cv.wait_until(&mut g, deadline) {
                // Timed out. If nobody else waits, clear PARKED so release takes the fast path.
                if self.cv.waiters(&g) == 0 {
                    self.state.fetch_and(!PARKED, Ordering::Relaxed);
                }
                trace::event(&self.obj, Event::TimedOut);
                return false;
            }
        }
    }

    #[cold]
    fn unlock_slow(&self) {
        let g = self.slow.lock();
        // Under `slow`, the waiter count is exact: keep PARKED iff someone still waits after
        // the one we wake, so the next release wakes them too.
        let keep = if self.cv.waiters(&g) > 1 { PARKED } else { 0 };
        self.state.store(keep, Ordering::Release);
        trace::event(&self.obj, Event::Released);
        self.cv.notify_one(&g);
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
