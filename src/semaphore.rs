//! `Semaphore` and `BoundedSemaphore`: Python's counting semaphores.
//!
//! The counter is a `usize` inside the facade's mutex and waiters park on a
//! [`clock::Condvar`] — the plain design `Lock` chose (one scheduling point per uncontended
//! call under loom, no relaxed atomics to enumerate). `release(n)` notifies at most `n`
//! waiters, and none when nobody waits. Blocking, timed and try acquires are one code path
//! over a deadline (crossbeam-channel's shape).

use crate::clock::{self, Condvar};
use crate::error::ReleaseError;
use crate::lock_order;
use crate::rt::sync::Mutex;
use crate::trace::{self, Event, Obj};
use std::fmt;
use std::time::Duration;

/// How long an acquire may wait.
#[derive(Clone, Copy)]
enum Wait {
    /// Do not wait (Python: `acquire(blocking=False)`).
    No,
    /// Wait until the deadline (`None`: forever).
    Until(Option<clock::Instant>),
}

/// The shared core of both semaphores: a counter and its bound (`usize::MAX`: unbounded).
struct Core {
    value: Mutex<usize>,
    bound: usize,
    cv: Condvar,
    obj: Obj,
}

impl Core {
    fn new(value: usize, bound: usize, kind: &'static str, name: Option<&'static str>) -> Self {
        Core {
            value: Mutex::new(value),
            bound,
            cv: Condvar::new(),
            obj: Obj::new(kind, name),
        }
    }

    /// Takes a permit; `at` is the caller's location, for the lock-order check (a permit
    /// held through a guard orders like a lock).
    fn acquire(&self, wait: Wait, at: &'static std::panic::Location<'static>) -> bool {
        if let Wait::Until(_) = wait {
            lock_order::before_acquire(&self.obj, at);
        }
        let acquired = self.take(wait);
        if acquired {
            lock_order::acquired(&self.obj, at);
        } else {
            lock_order::gave_up(&self.obj);
        }
        acquired
    }

    fn take(&self, wait: Wait) -> bool {
        let mut g = self.value.lock();
        let mut blocked = false;
        loop {
            if *g > 0 {
                *g -= 1;
                trace::event(&self.obj, Event::Acquired);
                return true;
            }
            let deadline = match wait {
                Wait::No => return false,
                Wait::Until(d) => d,
            };
            if !blocked {
                trace::event(&self.obj, Event::Blocks);
                blocked = true;
            }
            if self.cv.wait_until(&mut g, deadline) && *g == 0 {
                trace::event(&self.obj, Event::TimedOut);
                return false;
            }
        }
    }

    fn release(&self, n: usize) -> Result<(), ReleaseError> {
        if n == 0 {
            return Err(ReleaseError::ZeroPermits);
        }
        let mut g = self.value.lock();
        match g.checked_add(n) {
            Some(v) if v <= self.bound => *g = v,
            _ => return Err(ReleaseError::TooManyReleases),
        }
        trace::event(&self.obj, Event::Released);
        // Wake at most n: each takes one permit; more would only go back to sleep.
        for _ in 0..n {
            if !self.cv.notify_one(&g) {
                break;
            }
            trace::event(&self.obj, Event::Notified);
        }
        Ok(())
    }

    fn value(&self) -> usize {
        *self.value.lock()
    }
}

macro_rules! semaphore_common {
    ($Sem:ident, $Guard:ident) => {
        impl $Sem {
            /// Takes a permit, blocking until one is available (Python: `acquire()`). The
            /// guard gives it back when dropped.
            #[track_caller]
            pub fn acquire(&self) -> $Guard<'_> {
                self.core
                    .acquire(Wait::Until(None), std::panic::Location::caller());
                $Guard { sem: self }
            }

            /// Takes a permit if one is available now (Python: `acquire(blocking=False)`).
            #[track_caller]
            pub fn try_acquire(&self) -> Option<$Guard<'_>> {
                self.core
                    .acquire(Wait::No, std::panic::Location::caller())
                    .then(|| $Guard { sem: self })
            }

            /// Waits at most `timeout` for a permit, on threadcheck's clock (Python:
            /// `acquire(timeout=t)`). `None` means it timed out.
            #[track_caller]
            pub fn acquire_timeout(&self, timeout: Duration) -> Option<$Guard<'_>> {
                self.core
                    .acquire(
                        Wait::Until(clock::deadline_after(timeout)),
                        std::panic::Location::caller(),
                    )
                    .then(|| $Guard { sem: self })
            }

            /// Permits available now (Python's private `_value`).
            pub fn value(&self) -> usize {
                self.core.value()
            }

            /// The name given to `named`.
            pub fn name(&self) -> Option<&'static str> {
                self.core.obj.name
            }
        }

        impl fmt::Debug for $Sem {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut d = f.debug_struct(stringify!($Sem));
                d.field("name", &self.core.obj.name)
                    .field("value", &self.value());
                if self.core.bound != usize::MAX {
                    d.field("bound", &self.core.bound);
                }
                d.finish()
            }
        }

        /// A permit; given back to the semaphore when dropped.
        #[must_use = "dropping the guard releases the permit at once"]
        pub struct $Guard<'a> {
            sem: &'a $Sem,
        }

        impl $Guard<'_> {
            /// Keeps the permit taken: give it back later with `release(1)`, from any thread
            /// (Python's unguarded `acquire()` / `release()` style).
            pub fn forget(self) {
                lock_order::forgotten(&self.sem.core.obj);
                std::mem::forget(self);
            }
        }

        impl Drop for $Guard<'_> {
            fn drop(&mut self) {
                // Out of an execution the checker has torn down, touching it would abort.
                if crate::rt::teardown::torn_down() {
                    return;
                }
                lock_order::released(&self.sem.core.obj);
                // A guard's permit was taken, so giving it back cannot exceed the bound.
                let _ = self.sem.core.release(1);
            }
        }

        impl fmt::Debug for $Guard<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($Guard)).finish_non_exhaustive()
            }
        }
    };
}

/// A counting semaphore, as Python's `threading.Semaphore`: `acquire` takes one of `value`
/// permits, waiting while there are none; `release(n)` adds `n` and wakes up to `n` waiters.
///
/// # Examples
/// ```
/// use threadcheck::Semaphore;
/// let sem = Semaphore::new(2);
/// let a = sem.acquire();
/// let _b = sem.acquire();
/// assert!(sem.try_acquire().is_none());
/// drop(a);
/// assert!(sem.try_acquire().is_some());
/// ```
///
/// # Differences from Python's `threading.Semaphore`
/// - `acquire()` returns a guard that releases on drop (`with sem:`); for the unguarded
///   style call [`SemaphoreGuard::forget`] and later [`Semaphore::release`].
/// - `acquire(blocking=False)` is [`Semaphore::try_acquire`], `acquire(timeout=t)` is
///   [`Semaphore::acquire_timeout`]; timeouts run on threadcheck's clock.
/// - Releases have no upper bound (as in Python) short of `usize::MAX`, where `release`
///   returns [`ReleaseError::TooManyReleases`] instead of overflowing.
/// - `release(0)` is `Err(ReleaseError::ZeroPermits)` (Python: `ValueError`); a negative
///   count cannot be written (`usize`), nor can a negative initial value.
pub struct Semaphore {
    core: Core,
}

impl Semaphore {
    /// A semaphore with `value` permits.
    pub fn new(value: usize) -> Self {
        Semaphore {
            core: Core::new(value, usize::MAX, "Semaphore", None),
        }
    }

    /// A semaphore with a name, used in counterexamples ("Semaphore pool").
    pub fn named(value: usize, name: &'static str) -> Self {
        Semaphore {
            core: Core::new(value, usize::MAX, "Semaphore", Some(name)),
        }
    }

    /// Adds `n` permits and wakes up to `n` waiting threads (Python: `release(n)`).
    /// `release(0)` is an error and changes nothing (Python: `ValueError`).
    ///
    /// ```
    /// use threadcheck::{ReleaseError, Semaphore};
    /// let sem = Semaphore::new(0);
    /// sem.release(2).unwrap();
    /// assert_eq!(sem.value(), 2);
    /// assert_eq!(sem.release(0), Err(ReleaseError::ZeroPermits));
    /// ```
    pub fn release(&self, n: usize) -> Result<(), ReleaseError> {
        self.core.release(n)
    }
}

semaphore_common!(Semaphore, SemaphoreGuard);

/// A semaphore that refuses to be released above its initial value, as Python's
/// `threading.BoundedSemaphore`: over-release is a bug in the caller, caught at once.
///
/// # Examples
/// ```
/// use threadcheck::{BoundedSemaphore, ReleaseError};
/// let sem = BoundedSemaphore::new(1);
/// assert_eq!(sem.release(1), Err(ReleaseError::TooManyReleases));
/// sem.acquire().forget();
/// assert_eq!(sem.release(1), Ok(()));
/// assert_eq!(sem.value(), 1);
/// ```
///
/// # Differences from Python's `threading.BoundedSemaphore`
/// - Over-release is `Err(ReleaseError::TooManyReleases)` (Python: `ValueError`) and, as in
///   Python, changes nothing: `release(n)` adds all `n` permits or none. `release(0)` is
///   `Err(ReleaseError::ZeroPermits)`.
/// - Guards and timeouts as for [`Semaphore`].
pub struct BoundedSemaphore {
    core: Core,
}

impl BoundedSemaphore {
    /// A bounded semaphore with `value` permits, which is also its bound.
    pub fn new(value: usize) -> Self {
        BoundedSemaphore {
            core: Core::new(value, value, "BoundedSemaphore", None),
        }
    }

    /// A bounded semaphore with a name, used in counterexamples.
    pub fn named(value: usize, name: &'static str) -> Self {
        BoundedSemaphore {
            core: Core::new(value, value, "BoundedSemaphore", Some(name)),
        }
    }

    /// Adds `n` permits and wakes up to `n` waiters, unless that would exceed the initial
    /// value: then `Err(TooManyReleases)` and nothing changes (Python: `release(n)`).
    /// `release(0)` is `Err(ZeroPermits)` and changes nothing (Python: `ValueError`).
    pub fn release(&self, n: usize) -> Result<(), ReleaseError> {
        self.core.release(n)
    }
}

semaphore_common!(BoundedSemaphore, BoundedSemaphoreGuard);
