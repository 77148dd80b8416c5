//! `Condition`: Python's `threading.Condition` — a condition variable over a `Lock` or `RLock`.
//!
//! Python's algorithm (`threading.py`): each wait enqueues a waiter of its own, releases the
//! user's lock (all levels of an `RLock`), blocks on the waiter, then re-acquires the lock;
//! `notify(n)` dequeues up to `n` waiters and wakes exactly those. Here a waiter is a
//! [`clock::Condvar`] of its own (so a wake is targeted: no thundering herd in production,
//! no extra interleavings under loom), and the queue sits under an internal mutex that the
//! waiter holds from enqueueing until it blocks, so a notify cannot slip in between. The
//! queue is `src/rt/raw_condition.rs`: in production a notify that finds nobody waiting is
//! one atomic load.
//!
//! Two conditions share one lock as in Python's `Condition(lock)`: build both over an
//! `Arc<Lock>` (or a `&Lock`). Each keeps its own queue of waiters; `notify` touches only
//! that queue, which is why it does not need the caller to hold the lock for correctness.

use crate::clock;
use crate::rt::raw_condition::WaitQueue;
use crate::trace::{self, Event, Obj};
use crate::{Lock, RLock, RLockGuard};
use std::fmt;
use std::time::Duration;

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Lock {}
    impl Sealed for crate::RLock {}
    impl<L: Sealed> Sealed for &L {}
    impl<L: Sealed> Sealed for std::sync::Arc<L> {}
}

/// A lock a [`Condition`] can be built over: a [`Lock`] or an [`RLock`], owned by the
/// condition, or shared with other conditions through an `Arc` or a reference.
pub trait ConditionLock: sealed::Sealed {
    /// Acquires the lock, keeping it held.
    #[doc(hidden)]
    #[track_caller]
    fn cond_acquire(&self);
    /// Acquires the lock within `timeout` (`Some(ZERO)`: try), keeping it held.
    #[doc(hidden)]
    #[track_caller]
    fn cond_acquire_within(&self, timeout: Duration) -> bool;
    /// Releases the lock once.
    #[doc(hidden)]
    fn cond_release(&self);
    /// Releases the lock completely (every level of an `RLock`); returns what to restore.
    #[doc(hidden)]
    fn cond_release_save(&self) -> usize;
    /// Re-acquires what `cond_release_save` released.
    #[doc(hidden)]
    #[track_caller]
    fn cond_acquire_restore(&self, saved: usize);
}

const HELD: &str = "a ConditionGuard exists, so its lock is held";

impl ConditionLock for Lock {
    #[track_caller]
    fn cond_acquire(&self) {
        // Forgotten, not leaked: the condition's guard releases it, as its owner.
        std::mem::forget(self.acquire());
    }
    #[track_caller]
    fn cond_acquire_within(&self, timeout: Duration) -> bool {
        let g = match timeout {
            Duration::ZERO => self.try_acquire(),
            t => self.acquire_timeout(t),
        };
        g.map(std::mem::forget).is_some()
    }
    fn cond_release(&self) {
        self.release().expect(HELD);
    }
    fn cond_release_save(&self) -> usize {
        self.release().expect(HELD);
        1
    }
    #[track_caller]
    fn cond_acquire_restore(&self, _saved: usize) {
        std::mem::forget(self.acquire());
    }
}

impl ConditionLock for RLock {
    #[track_caller]
    fn cond_acquire(&self) {
        self.acquire().leak();
    }
    #[track_caller]
    fn cond_acquire_within(&self, timeout: Duration) -> bool {
        let g = match timeout {
            Duration::ZERO => self.try_acquire(),
            t => self.acquire_timeout(t),
        };
        g.map(RLockGuard::leak).is_some()
    }
    fn cond_release(&self) {
        self.release().expect(HELD);
    }
    fn cond_release_save(&self) -> usize {
        let depth = self.depth();
        for _ in 0..depth {
            self.release().expect(HELD);
        }
        depth
    }
    #[track_caller]
    fn cond_acquire_restore(&self, saved: usize) {
        for _ in 0..saved {
            self.acquire().leak();
        }
    }
}

/// Shared locks: several conditions over one lock (Python's `Condition(lock)`).
macro_rules! shared_condition_lock {
    ($($ptr:ty),*) => {$(
        impl<L: ConditionLock> ConditionLock for $ptr {
            #[track_caller]
            fn cond_acquire(&self) {
                (**self).cond_acquire()
            }
            #[track_caller]
            fn cond_acquire_within(&self, timeout: Duration) -> bool {
                (**self).cond_acquire_within(timeout)
            }
            fn cond_release(&self) {
                (**self).cond_release()
            }
            fn cond_release_save(&self) -> usize {
                (**self).cond_release_save()
            }
            #[track_caller]
            fn cond_acquire_restore(&self, saved: usize) {
                (**self).cond_acquire_restore(saved)
            }
        }
    )*};
}
shared_condition_lock!(&L, std::sync::Arc<L>);

/// A condition variable over a [`Lock`] (default) or an [`RLock`], as Python's
/// `threading.Condition`. Several conditions can share one lock (`Condition(lock)`): build
/// each over an `Arc<Lock>`, see [`Condition::with_lock`].
///
/// # Examples
/// ```
/// use threadcheck::{thread, Condition};
/// use threadcheck::sync::{Arc, atomic::{AtomicBool, Ordering}};
/// let cond = Arc::new(Condition::new());
/// let ready = Arc::new(AtomicBool::new(false));
/// let (c, r) = (cond.clone(), ready.clone());
/// let h = thread::spawn(move || {
///     let g = c.acquire();
///     r.store(true, Ordering::Relaxed);
///     g.notify_all();
/// });
/// let mut g = cond.acquire();
/// g.wait_for(|| ready.load(Ordering::Relaxed));
/// drop(g);
/// h.join().unwrap();
/// ```
///
/// # Differences from Python's `threading.Condition`
/// - `with cond:` is [`Condition::acquire`], which returns a guard; `wait` is a method of the
///   guard, so "not holding the lock" (Python's `RuntimeError: cannot wait on un-acquired
///   lock`) cannot be written.
/// - `notify` and `notify_all` are methods of the guard and also of the condition itself
///   ([`Condition::notify`]), which, like `std::sync::Condvar`, does not require the lock:
///   Python raises `RuntimeError: cannot notify on un-acquired lock`. Notifying without the
///   lock cannot corrupt the condition, but change the state the waiters test under the lock,
///   or a waiter can check it, miss the notify and sleep on.
/// - `wait(timeout)` is [`ConditionGuard::wait_timeout`] and `wait_for(pred, timeout)` is
///   [`ConditionGuard::wait_for_timeout`]; timeouts run on threadcheck's clock. The predicate
///   returns `bool` (Python's returns any value and `wait_for` returns it).
/// - `Condition()` defaults to an `RLock` in Python, to a [`Lock`] here (`Condition::new`);
///   `Condition::with_lock(RLock::new())` is Python's default. The lock is owned, or shared
///   through an `Arc` or a reference; reach it with [`Condition::lock`].
pub struct Condition<L: ConditionLock = Lock> {
    lock: L,
    queue: WaitQueue,
    obj: Obj,
}

impl Condition<Lock> {
    /// A condition over a fresh [`Lock`] (Python: `Condition()`).
    pub fn new() -> Self {
        Condition::with_lock(Lock::new())
    }
}

impl Default for Condition<Lock> {
    fn default() -> Self {
        Condition::new()
    }
}

impl<L: ConditionLock> Condition<L> {
    /// A condition over `lock` (Python: `Condition(lock)`): an owned [`Lock`] or [`RLock`],
    /// or one shared with other conditions as `Arc<Lock>`, `Arc<RLock>`, `&Lock`, `&RLock`.
    ///
    /// ```
    /// let cond = threadcheck::Condition::with_lock(threadcheck::RLock::new());
    /// let g = cond.acquire();
    /// let _inner = cond.lock().acquire(); // reentrant
    /// drop(g);
    /// ```
    ///
    /// Two conditions over one lock, the classic bounded buffer (`not_empty` and `not_full`,
    /// each woken only by the kind of change it waits for):
    ///
    /// ```
    /// use std::sync::Arc;
    /// use threadcheck::cell::RaceCell;
    /// use threadcheck::{thread, Condition, Lock};
    ///
    /// struct Buffer {
    ///     not_empty: Condition<Arc<Lock>>,
    ///     not_full: Condition<Arc<Lock>>,
    ///     len: RaceCell<usize>, // guarded by the shared lock; capacity 2
    /// }
    /// impl Buffer {
    ///     fn put(&self) {
    ///         let mut g = self.not_full.acquire();
    ///         // SAFETY: `len` is touched only with the lock held.
    ///         g.wait_for(|| unsafe { self.len.get() } < 2);
    ///         unsafe { self.len.set(self.len.get() + 1) };
    ///         self.not_empty.notify(1); // the shared lock is held through `g`
    ///     }
    ///     fn get(&self) {
    ///         let mut g = self.not_empty.acquire();
    ///         g.wait_for(|| unsafe { self.len.get() } > 0);
    ///         unsafe { self.len.set(self.len.get() - 1) };
    ///         self.not_full.notify(1);
    ///     }
    /// }
    /// let lock = Arc::new(Lock::new());
    /// let buf = Arc::new(Buffer {
    ///     not_empty: Condition::with_lock(lock.clone()),
    ///     not_full: Condition::with_lock(lock),
    ///     len: RaceCell::new(0),
    /// });
    /// let b = buf.clone();
    /// let producer = thread::spawn(move || (0..5).for_each(|_| b.put()));
    /// (0..5).for_each(|_| buf.get());
    /// producer.join().unwrap();
    /// ```
    pub fn with_lock(lock: L) -> Self {
        Condition {
            lock,
            queue: WaitQueue::new(),
            obj: Obj::new("Condition", None),
        }
    }

    /// The underlying lock.
    pub fn lock(&self) -> &L {
        &self.lock
    }

    /// Acquires the underlying lock (Python: `with cond:`); the guard waits and notifies.
    #[track_caller]
    pub fn acquire(&self) -> ConditionGuard<'_, L> {
        self.lock.cond_acquire();
        ConditionGuard { cond: self }
    }

    /// Acquires the underlying lock if it is free now (Python: `cond.acquire(False)`).
    ///
    /// ```
    /// let cond = threadcheck::Condition::new();
    /// let g = cond.acquire();
    /// assert!(cond.try_acquire().is_none());
    /// drop(g);
    /// assert!(cond.try_acquire().is_some());
    /// ```
    #[track_caller]
    pub fn try_acquire(&self) -> Option<ConditionGuard<'_, L>> {
        self.lock
            .cond_acquire_within(Duration::ZERO)
            .then(|| ConditionGuard { cond: self })
    }

    /// Waits at most `timeout` for the underlying lock, on threadcheck's clock (Python:
    /// `cond.acquire(timeout=t)`).
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<ConditionGuard<'_, L>> {
        self.lock
            .cond_acquire_within(timeout)
            .then(|| ConditionGuard { cond: self })
    }

    /// Wakes up to `n` threads waiting on this condition, longest-waiting first; returns how
    /// many (Python: `notify(n)`). Unlike Python, the lock need not be held (see the
    /// type's "Differences from Python"); with two conditions over one lock, this is how the
    /// holder of one condition's guard wakes the other's waiters.
    pub fn notify(&self, n: usize) -> usize {
        self.notify_n(n)
    }

    /// Wakes every thread waiting on this condition; returns how many (Python:
    /// `notify_all()`). The lock need not be held, as for [`Condition::notify`].
    pub fn notify_all(&self) -> usize {
        self.notify_n(usize::MAX)
    }

    /// Returns true if notified, false if the deadline passed first.
    #[track_caller]
    fn wait_until(&self, deadline: Option<clock::Instant>) -> bool {
        let (notified, saved) = self.queue.wait_until(
            deadline,
            || self.lock.cond_release_save(),
            || trace::event(&self.obj, Event::Blocks),
            || trace::event(&self.obj, Event::TimedOut),
        );
        self.lock.cond_acquire_restore(saved);
        notified
    }

    #[inline]
    fn notify_n(&self, n: usize) -> usize {
        self.queue
            .notify_n(n, || trace::event(&self.obj, Event::Notified))
    }
}

impl<L: ConditionLock + fmt::Debug> fmt::Debug for Condition<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("lock", &self.lock)
            .finish_non_exhaustive()
    }
}

/// The lock of a [`Condition`], held; releases it when dropped.
#[must_use = "dropping the guard releases the lock at once"]
pub struct ConditionGuard<'a, L: ConditionLock = Lock> {
    cond: &'a Condition<L>,
}

impl<L: ConditionLock> ConditionGuard<'_, L> {
    /// Releases the lock, waits for a notify, re-acquires the lock; returns true, as
    /// Python's `wait()` does. Wakeups can be stale — the state may have changed again — so
    /// wait in a loop on your predicate, or use [`ConditionGuard::wait_for`].
    #[track_caller]
    pub fn wait(&mut self) -> bool {
        let notified = self.cond.wait_until(None);
        debug_assert!(notified, "a wait without deadline cannot time out");
        notified
    }

    /// As [`ConditionGuard::wait`], for at most `timeout` on threadcheck's clock; false if
    /// it timed out (Python: `wait(timeout)`).
    ///
    /// ```
    /// let cond = threadcheck::Condition::new();
    /// let mut g = cond.acquire();
    /// assert!(!g.wait_timeout(std::time::Duration::from_millis(1)));
    /// ```
    #[track_caller]
    pub fn wait_timeout(&mut self, timeout: Duration) -> bool {
        self.cond.wait_until(clock::deadline_after(timeout))
    }

    /// Waits until `pred()` holds, checking it with the lock held; returns the predicate's
    /// last value, which is true (Python: `wait_for(pred)`).
    ///
    /// ```
    /// let cond = threadcheck::Condition::new();
    /// let mut g = cond.acquire();
    /// assert!(g.wait_for(|| true));
    /// ```
    #[track_caller]
    pub fn wait_for(&mut self, mut pred: impl FnMut() -> bool) -> bool {
        while !pred() {
            self.wait();
        }
        true
    }

    /// Waits until `pred()` holds or `timeout` passes; returns the last value of `pred()`
    /// (Python: `wait_for(pred, timeout)`).
    #[track_caller]
    pub fn wait_for_timeout(&mut self, mut pred: impl FnMut() -> bool, timeout: Duration) -> bool {
        let deadline = clock::deadline_after(timeout);
        loop {
            if pred() {
                return true;
            }
            if !self.cond.wait_until(deadline) && deadline.is_some_and(|d| clock::now() >= d) {
                return pred();
            }
        }
    }

    /// Wakes up to `n` threads waiting on the condition, longest-waiting first; returns how
    /// many (Python: `notify(n)`).
    pub fn notify(&self, n: usize) -> usize {
        self.cond.notify_n(n)
    }

    /// Wakes every thread waiting on the condition (Python: `notify_all()`).
    pub fn notify_all(&self) -> usize {
        self.cond.notify_n(usize::MAX)
    }
}

impl<L: ConditionLock> Drop for ConditionGuard<'_, L> {
    fn drop(&mut self) {
        // Out of an execution the checker has torn down, touching it would abort.
        if crate::rt::teardown::torn_down() {
            return;
        }
        self.cond.lock.cond_release();
    }
}

impl<L: ConditionLock> fmt::Debug for ConditionGuard<'_, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConditionGuard").finish_non_exhaustive()
    }
}
