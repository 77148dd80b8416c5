//! `RLock`: Python's `threading.RLock` — a reentrant lock owned by one thread at a time.
//!
//! Built to be cheap to model-check, because the headline proof (the tutorial's program on
//! one `RLock` never deadlocks, 3 threads, loom, no preemption bound) is an exhaustive search
//! whose size grows with every scheduling point:
//! - the owner *holds the facade's mutex itself* from its first acquire to its last release
//!   (the guard is parked in the `RLock`, touched only by the owner). A first acquire is one
//!   mutex acquire — one scheduling point, and a contended one simply blocks in the checker,
//!   with no condvar wait/notify/reacquire dance for it to interleave; a last release is an
//!   unlock, which loom does not even count as a scheduling point;
//! - the recursion count lives in a per-thread ledger, so a nested acquire, a nested release
//!   and the "am I the owner?" check touch no shared memory and are not scheduling points;
//! - a timed acquire cannot block in a mutex, so it polls `try_lock` and sleeps on a clock
//!   condvar that the releaser signals only when a timed waiter is registered.
//!
//! Measured under loom on the tutorial's program with 3 threads: the previous design (owner
//! word in the mutex, waiters on a condvar) needed 104,439 executions at preemption bound 5
//! and did not finish unbounded in 10 minutes; this one is exhausted unbounded (README).

use crate::clock::{self, Condvar, RawWaiters};
use crate::error::ReleaseError;
use crate::rt::cell::UnsafeCell;
use crate::rt::sync::atomic::{fence, AtomicUsize, Ordering};
use crate::rt::sync::{Mutex, MutexGuard};
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
    /// The owner's guard of `mutex`, parked here from the first acquire to the last release.
    /// Declared before `mutex` so it drops first. Only the owner touches it: the ledger
    /// admits no one else to `release`, and an acquirer writes it only once it holds `mutex`.
    held: UnsafeCell<Option<MutexGuard<'static, ()>>>,
    /// Held by the owner for as long as it owns the lock. Boxed: `held` borrows it, so it
    /// must not move when the `RLock` does.
    mutex: Box<Mutex<()>>,
    /// Threads in a timed acquire, waiting to hear of a release.
    timed: AtomicUsize,
    released: Mutex<()>,
    released_cv: Condvar,
    /// The model clock's view of threads blocked on `mutex` (nothing in production).
    raw: RawWaiters,
    obj: Obj,
}

// SAFETY: `held` is only accessed by the thread that holds `mutex` (see the field), so the
// parked guard is created and dropped by its owner — except when an `RLock` still held
// through a leaked guard is dropped, where dropping the guard unlocks a mutex about to be
// freed; parking_lot and the checkers' mutexes allow an unlock from any thread.
unsafe impl Send for RLock {}
// SAFETY: as above.
unsafe impl Sync for RLock {}

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
            held: UnsafeCell::new(None),
            mutex: Box::new(Mutex::new(())),
            timed: AtomicUsize::new(0),
            released: Mutex::new(()),
            released_cv: Condvar::new(),
            raw: RawWaiters::default(),
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
        let g = self.mutex.try_lock()?;
        self.enter_first(g);
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
        if self.is_owned() {
            return true;
        }
        // Held by someone else iff it cannot be taken.
        self.mutex.try_lock().is_none()
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

    /// Becomes the owner: parks the guard and opens the ledger entry.
    fn enter_first(&self, g: MutexGuard<'_, ()>) {
        // SAFETY: only the lifetime changes. The guard borrows `*self.mutex`, which is boxed
        // (stable address) and outlives the guard: the guard is dropped at the last release or
        // in `RLock`'s drop, before the box (field order).
        let g: MutexGuard<'static, ()> = unsafe { std::mem::transmute(g) };
        // SAFETY: we hold `mutex`, so no other thread touches `held` (see the field).
        self.held.with_mut(|h| unsafe { *h = Some(g) });
        trace::event(&self.obj, Event::Acquired);
        with_ledger(|l| l.push((self.id, 1)));
    }

    /// First-level acquire, blocking (`None`) or timed.
    fn acquire_until(&self, deadline: Option<clock::Instant>) -> bool {
        let Some(deadline) = deadline else {
            trace::event(&self.obj, Event::Blocks);
            self.raw.before_lock();
            let g = self.mutex.lock();
            self.raw.after_lock();
            self.enter_first(g);
            return true;
        };
        if let Some(g) = self.mutex.try_lock() {
            self.raw.after_lock();
            self.enter_first(g);
            return true;
        }
        trace::event(&self.obj, Event::Blocks);
        // A mutex cannot time out: poll it, sleeping on `released_cv` between tries. The
        // count comes before each try and the releaser's check after its unlock, each side
        // fenced, so a release either lets the try succeed or sees the count and signals.
        self.timed.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        let mut r = self.released.lock();
        let got = loop {
            if let Some(g) = self.mutex.try_lock() {
                break Some(g);
            }
            if self.released_cv.wait_until(&mut r, Some(deadline)) {
                break self.mutex.try_lock();
            }
        };
        drop(r);
        self.timed.fetch_sub(1, Ordering::SeqCst);
        match got {
            Some(g) => {
                self.raw.after_lock();
                self.enter_first(g);
                true
            }
            None => {
                trace::event(&self.obj, Event::TimedOut);
                false
            }
        }
    }

    /// Last-level release: unlock, and tell timed waiters.
    fn unlock(&self) {
        // SAFETY: we are the owner (the ledger said so), the only thread touching `held`.
        let g = self.held.with_mut(|h| unsafe { (*h).take() });
        trace::event(&self.obj, Event::Released);
        self.raw.before_unlock();
        drop(g);
        fence(Ordering::SeqCst);
        if self.timed.load(Ordering::SeqCst) > 0 {
            let r = self.released.lock();
            self.released_cv.notify_all(&r);
        }
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
