//! `Event`: Python's `threading.Event` — a flag threads can wait on.
//!
//! Python's own design: a flag under a lock, waiters on a condition. Here the flag is a `bool`
//! inside the facade's mutex (the plain design `Lock` chose, for the same reason: every call
//! is one mutex round trip, a single scheduling point under loom, and no relaxed atomics for
//! loom to enumerate). Waiters park on a [`clock::Condvar`], so `wait_timeout` runs on
//! threadcheck's clock: real time in production, model time under loom and shuttle; `set`
//! skips the notify when nobody waits.

use crate::clock::{self, Condvar};
use crate::rt::sync::Mutex;
use crate::trace::{self, Event as Ev, Obj};
use std::fmt;
use std::time::Duration;

/// A flag that threads can set, clear and wait for, as Python's `threading.Event`.
///
/// # Examples
/// ```
/// use threadcheck::{thread, Event};
/// use std::sync::Arc;
/// let ready = Arc::new(Event::new());
/// let r = ready.clone();
/// let h = thread::spawn(move || r.set());
/// ready.wait();
/// assert!(ready.is_set());
/// h.join().unwrap();
/// ```
///
/// # Differences from Python's `threading.Event`
/// - `wait(timeout=t)` is [`Event::wait_timeout`]; like Python it returns the flag (`false`
///   means it timed out). `wait()` with no timeout returns nothing: it only returns once set.
/// - Timeouts run on threadcheck's clock, so under loom and shuttle a timeout is a modelled
///   event the checker schedules (see [`crate::set_early_advances`]).
pub struct Event {
    flag: Mutex<bool>,
    cv: Condvar,
    obj: Obj,
}

impl Event {
    /// An event whose flag is clear.
    pub fn new() -> Self {
        Event::build(None)
    }

    /// A clear event with a name, used in counterexamples ("Event ready").
    pub fn named(name: &'static str) -> Self {
        Event::build(Some(name))
    }

    fn build(name: Option<&'static str>) -> Self {
        Event {
            flag: Mutex::new(false),
            cv: Condvar::new(),
            obj: Obj::new("Event", name),
        }
    }

    /// Whether the flag is set (Python: `is_set()`).
    pub fn is_set(&self) -> bool {
        *self.flag.lock()
    }

    /// Sets the flag and wakes every waiting thread (Python: `set()`).
    ///
    /// ```
    /// let ev = threadcheck::Event::new();
    /// ev.set();
    /// assert!(ev.wait_timeout(std::time::Duration::ZERO));
    /// ```
    pub fn set(&self) {
        let mut g = self.flag.lock();
        *g = true;
        trace::event(&self.obj, Ev::Set);
        if self.cv.notify_all(&g) > 0 {
            trace::event(&self.obj, Ev::Notified);
        }
    }

    /// Clears the flag: later waits block until it is set again (Python: `clear()`).
    ///
    /// ```
    /// let ev = threadcheck::Event::new();
    /// ev.set();
    /// ev.clear();
    /// assert!(!ev.is_set());
    /// ```
    pub fn clear(&self) {
        let mut g = self.flag.lock();
        *g = false;
        trace::event(&self.obj, Ev::Cleared);
    }

    /// Blocks until the flag is set.
    pub fn wait(&self) {
        self.wait_until(None);
    }

    /// Blocks until the flag is set or `timeout` passes on threadcheck's clock; returns the
    /// flag, so `false` means it timed out (Python: `wait(timeout)`).
    ///
    /// ```
    /// use std::time::Duration;
    /// let ev = threadcheck::Event::new();
    /// assert!(!ev.wait_timeout(Duration::from_millis(1)));
    /// ```
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.wait_until(clock::deadline_after(timeout))
    }

    /// One code path for both waits: `None` waits forever.
    fn wait_until(&self, deadline: Option<clock::Instant>) -> bool {
        let mut g = self.flag.lock();
        if *g {
            return true;
        }
        trace::event(&self.obj, Ev::Blocks);
        loop {
            let timed_out = self.cv.wait_until(&mut g, deadline);
            if *g {
                trace::event(&self.obj, Ev::Acquired);
                return true;
            }
            if timed_out {
                trace::event(&self.obj, Ev::TimedOut);
                return false;
            }
        }
    }
}

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("name", &self.obj.name)
            .field("set", &self.is_set())
            .finish()
    }
}
