//! `Event`: Python's `threading.Event` — a flag threads can wait on.
//!
//! Python's own design — a flag under a lock, waiters on a condition — is the model builds'
//! shape; production keeps the flag in an atomic word beside it, so `is_set` is one load and
//! `set` with nobody waiting one read-modify-write (`src/rt/raw_event.rs`, one interface for
//! both). Waiters park on a [`clock::Condvar`], so `wait_timeout` runs on threadcheck's clock:
//! real time in production, model time under loom and shuttle; `set` skips the notify when
//! nobody waits.
//!
//! Beside the flag, a generation count that `set()` bumps. A waiter remembers the
//! generation it blocked in and returns true once the flag is set *or the generation has
//! moved*: a waiter woken by `set()` returns true even if `clear()` ran before it was
//! scheduled (CPython gh-57711, `test_set_and_clear`). Re-checking the flag alone sent such a
//! waiter back to sleep, possibly forever (corpus model `event/set_then_clear_wakes_waiters`).

use crate::clock;
use crate::rt::raw_event::{RawEvent, RawEventApi};
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
/// - `wait(timeout=t)` is [`Event::wait_timeout`]; as in Python, `false` means it timed out.
///   A `Duration` cannot be negative (Python treats a negative timeout as 0), and one too
///   large to represent waits forever.
/// - Timeouts run on threadcheck's clock, so under loom and shuttle a timeout is a modelled
///   event the checker schedules (see [`crate::set_early_advances`]).
pub struct Event {
    raw: RawEvent,
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
            raw: RawEvent::new(),
            obj: Obj::new("Event", name),
        }
    }

    /// Whether the flag is set (Python: `is_set()`).
    pub fn is_set(&self) -> bool {
        self.raw.is_set()
    }

    /// Sets the flag and wakes every waiting thread (Python: `set()`). Each of them returns
    /// true, even if the flag is cleared again before it runs.
    ///
    /// ```
    /// let ev = threadcheck::Event::new();
    /// ev.set();
    /// assert!(ev.wait_timeout(std::time::Duration::ZERO));
    /// ```
    pub fn set(&self) {
        self.raw.set(
            || trace::event(&self.obj, Ev::Set),
            || trace::event(&self.obj, Ev::Notified),
        );
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
        self.raw.clear(|| trace::event(&self.obj, Ev::Cleared));
    }

    /// Blocks until the flag is set; returns true, as Python's `wait()` does.
    ///
    /// A thread woken by [`Event::set`] returns even if the flag was cleared again before it
    /// ran (Python's guarantee since 3.3, gh-57711).
    ///
    /// ```
    /// use threadcheck::{thread, Event};
    /// use std::sync::Arc;
    /// let ev = Arc::new(Event::new());
    /// let e = ev.clone();
    /// let h = thread::spawn(move || e.set());
    /// assert!(ev.wait());
    /// h.join().unwrap();
    /// ```
    pub fn wait(&self) -> bool {
        let woke = self.wait_until(None);
        debug_assert!(woke, "a wait without deadline cannot time out");
        woke
    }

    /// Blocks until the flag is set or `timeout` passes on threadcheck's clock; returns false
    /// only if it timed out (Python: `wait(timeout)`). As with [`Event::wait`], a thread woken
    /// by `set()` returns true whatever the flag is by the time it runs.
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
        self.raw.wait_until(
            deadline,
            || trace::event(&self.obj, Ev::Blocks),
            |woken| trace::event(&self.obj, if woken { Ev::Acquired } else { Ev::TimedOut }),
        )
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
