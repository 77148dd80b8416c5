//! `Barrier`: Python's `threading.Barrier` — `parties` threads wait until all have arrived.
//!
//! A port of CPython's algorithm (`threading.py`, `Barrier`): a count of arrived threads and
//! a four-state machine (filling, draining, resetting, broken) under one mutex, waiters on a
//! [`clock::Condvar`]. The draining state is what makes the barrier reusable: threads of the
//! next cycle wait at the door until the last thread of this one has left.
//!
//! The optional action runs as in CPython: on the last thread to arrive, with the barrier's
//! lock held, before anyone is released — exactly once per generation. If it panics the
//! barrier breaks (the others get [`BarrierError::Broken`]) and the panic continues in the
//! thread that ran it.

use crate::clock::{self, Condvar};
use crate::rt::sync::{Mutex, MutexGuard};
use crate::trace::{self, Event, Obj};
use std::fmt;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Threads are arriving.
    Filling,
    /// The barrier tripped: arrived threads are leaving.
    Draining,
    /// `reset()` was called with threads waiting: they are leaving with an error.
    Resetting,
    /// `abort()` or a timeout: every wait fails until `reset()`.
    Broken,
}

struct State {
    phase: Phase,
    /// Threads inside `wait` (arrived, not yet left).
    count: usize,
}

/// Why a [`Barrier::wait`] did not complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BarrierError {
    /// The barrier is or became broken (`abort()`, `reset()` while this thread waited, or
    /// another thread's timeout) (Python: `BrokenBarrierError`).
    Broken,
    /// This thread's timeout expired; it broke the barrier for everyone, as in Python.
    Timeout,
}

impl fmt::Display for BarrierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BarrierError::Broken => "the barrier is broken",
            BarrierError::Timeout => "timed out waiting at the barrier (it is now broken)",
        })
    }
}

impl std::error::Error for BarrierError {}

/// A reusable barrier for a fixed number of threads, as Python's `threading.Barrier`.
///
/// # Examples
/// ```
/// use threadcheck::{thread, Barrier};
/// use std::sync::Arc;
/// let b = Arc::new(Barrier::new(2));
/// let b2 = b.clone();
/// let h = thread::spawn(move || b2.wait().unwrap());
/// let mine = b.wait().unwrap();
/// let theirs = h.join().unwrap();
/// assert_eq!(mine + theirs, 1); // arrival indices 0 and 1
/// ```
///
/// # Differences from Python's `threading.Barrier`
/// - `wait()` returns `Result<usize, BarrierError>`: the arrival index (0 for the first
///   thread, `parties - 1` for the last) or why it failed, instead of raising
///   `BrokenBarrierError`. A timed-out thread gets [`BarrierError::Timeout`], the others
///   [`BarrierError::Broken`] (Python raises `BrokenBarrierError` in both).
/// - `Barrier(parties, action, timeout)` is
///   `Barrier::new(parties).with_action(action).with_timeout(timeout)`; `wait(timeout)` is
///   [`Barrier::wait_timeout`]. Timeouts run on threadcheck's clock.
/// - `Barrier::new(0)` panics (Python: `ValueError`); a negative count cannot be written.
/// - The action runs with the barrier's internal lock held, as in CPython: it must not call
///   methods of its own barrier (in CPython `abort()`/`reset()` from the action deadlock too;
///   here `n_waiting()` and `broken()` also take the lock).
pub struct Barrier {
    parties: usize,
    state: Mutex<State>,
    cv: Condvar,
    action: Option<Box<dyn Fn() + Send + Sync>>,
    /// The default timeout of `wait()`.
    timeout: Option<Duration>,
    obj: Obj,
}

impl Barrier {
    /// A barrier for `parties` threads.
    ///
    /// # Panics
    /// If `parties` is 0 (Python: `ValueError`).
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "a Barrier needs at least one party");
        Barrier {
            parties,
            state: Mutex::new(State {
                phase: Phase::Filling,
                count: 0,
            }),
            cv: Condvar::new(),
            action: None,
            timeout: None,
            obj: Obj::new("Barrier", None),
        }
    }

    /// Runs `action` once per generation, on the last thread to arrive, before any thread
    /// is released (Python: `Barrier(parties, action)`).
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// use threadcheck::{thread, Barrier};
    /// let trips = Arc::new(AtomicUsize::new(0));
    /// let t = trips.clone();
    /// let b = Arc::new(Barrier::new(2).with_action(move || {
    ///     t.fetch_add(1, Ordering::SeqCst);
    /// }));
    /// let b2 = b.clone();
    /// let h = thread::spawn(move || b2.wait().unwrap());
    /// b.wait().unwrap();
    /// h.join().unwrap();
    /// assert_eq!(trips.load(Ordering::SeqCst), 1);
    /// ```
    pub fn with_action(mut self, action: impl Fn() + Send + Sync + 'static) -> Self {
        self.action = Some(Box::new(action));
        self
    }

    /// Sets the timeout [`Barrier::wait`] uses (Python: `Barrier(parties, timeout=t)`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use threadcheck::{Barrier, BarrierError};
    /// let b = Barrier::new(2).with_timeout(Duration::from_millis(1));
    /// assert_eq!(b.wait(), Err(BarrierError::Timeout));
    /// ```
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The default timeout of [`Barrier::wait`], if one was set (Python: `_timeout`).
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Waits until `parties` threads have called `wait`, or the default timeout passes
    /// ([`Barrier::with_timeout`]; none: forever); returns this thread's arrival index.
    pub fn wait(&self) -> Result<usize, BarrierError> {
        match self.timeout {
            Some(t) => self.wait_timeout(t),
            None => self.wait_until(None),
        }
    }

    /// As [`Barrier::wait`], for at most `timeout` on threadcheck's clock. On timeout the
    /// barrier breaks for every waiter (Python's semantics).
    ///
    /// ```
    /// use threadcheck::{Barrier, BarrierError};
    /// let b = Barrier::new(2);
    /// assert_eq!(b.wait_timeout(std::time::Duration::from_millis(1)), Err(BarrierError::Timeout));
    /// assert!(b.broken());
    /// ```
    pub fn wait_timeout(&self, timeout: Duration) -> Result<usize, BarrierError> {
        self.wait_until(clock::deadline_after(timeout))
    }

    fn wait_until(&self, deadline: Option<clock::Instant>) -> Result<usize, BarrierError> {
        let mut g = self.state.lock();
        // Wait at the door while the previous cycle drains or a reset completes.
        while matches!(g.phase, Phase::Draining | Phase::Resetting) {
            self.cv.wait(&mut g);
        }
        if g.phase == Phase::Broken {
            return Err(BarrierError::Broken);
        }
        let index = g.count;
        g.count += 1;
        let mut panicked = None;
        let r = if index + 1 == self.parties {
            // CPython's `_release`: the action runs before anyone leaves; if it fails, the
            // barrier breaks and the failure goes to the thread that ran it.
            let acted = match &self.action {
                Some(action) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| action())),
                None => Ok(()),
            };
            match acted {
                Ok(()) => {
                    g.phase = Phase::Draining;
                    trace::event(&self.obj, Event::Notified);
                    self.cv.notify_all(&g);
                    Ok(index)
                }
                Err(p) => {
                    panicked = Some(p);
                    self.break_locked(&mut g);
                    Err(BarrierError::Broken)
                }
            }
        } else {
            trace::event(&self.obj, Event::Blocks);
            self.wait_to_trip(&mut g, deadline).map(|()| index)
        };
        g.count -= 1;
        if g.count == 0 && matches!(g.phase, Phase::Draining | Phase::Resetting) {
            g.phase = Phase::Filling;
            self.cv.notify_all(&g);
        }
        drop(g);
        if let Some(p) = panicked {
            std::panic::resume_unwind(p);
        }
        r
    }

    fn wait_to_trip(
        &self,
        g: &mut MutexGuard<'_, State>,
        deadline: Option<clock::Instant>,
    ) -> Result<(), BarrierError> {
        while g.phase == Phase::Filling {
            if self.cv.wait_until(g, deadline) && g.phase == Phase::Filling {
                trace::event(&self.obj, Event::TimedOut);
                self.break_locked(g);
                return Err(BarrierError::Timeout);
            }
        }
        match g.phase {
            Phase::Draining => {
                trace::event(&self.obj, Event::Woke);
                Ok(())
            }
            _ => Err(BarrierError::Broken),
        }
    }

    fn break_locked(&self, g: &mut MutexGuard<'_, State>) {
        g.phase = Phase::Broken;
        self.cv.notify_all(g);
    }

    /// Puts the barrier in the broken state: current and future waits fail with
    /// [`BarrierError::Broken`] until [`Barrier::reset`] (Python: `abort()`).
    pub fn abort(&self) {
        let mut g = self.state.lock();
        self.break_locked(&mut g);
    }

    /// Returns the barrier to its initial state; threads waiting now fail with
    /// [`BarrierError::Broken`] (Python: `reset()`).
    ///
    /// ```
    /// let b = threadcheck::Barrier::new(1);
    /// b.abort();
    /// assert!(b.wait().is_err());
    /// b.reset();
    /// assert_eq!(b.wait(), Ok(0));
    /// ```
    pub fn reset(&self) {
        let mut g = self.state.lock();
        if g.count > 0 {
            g.phase = match g.phase {
                // Waiters leave with an error; the last one out reopens the door.
                Phase::Filling | Phase::Broken => Phase::Resetting,
                p => p,
            };
        } else {
            g.phase = Phase::Filling;
        }
        self.cv.notify_all(&g);
    }

    /// The number of threads required to trip the barrier.
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// The number of threads waiting for the barrier to trip (Python: `n_waiting`).
    pub fn n_waiting(&self) -> usize {
        let g = self.state.lock();
        if g.phase == Phase::Filling {
            g.count
        } else {
            0
        }
    }

    /// Whether the barrier is broken (Python: `broken`).
    pub fn broken(&self) -> bool {
        self.state.lock().phase == Phase::Broken
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.state.lock();
        f.debug_struct("Barrier")
            .field("parties", &self.parties)
            .field("timeout", &self.timeout)
            .field("phase", &g.phase)
            .field("count", &g.count)
            .finish()
    }
}
