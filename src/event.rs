//! `Event`: Python's `threading.Event` — a flag threads can wait on.
//!
//! Python's own design: a flag under a lock, waiters on a condition. Here the flag is a `bool`
//! inside the facade's mutex (the plain design `Lock` chose, for the same reason: every call
//! is one mutex round trip, a single scheduling point under loom, and no relaxed atomics for
//! loom to enumerate). Waiters park on a [`clock::Condvar`], so `wait_timeout` runs on
//! threadcheck's clock: real time in production, model time under loom and shuttle; `set`
//! skips the notify when nobody waits.
//!
//! Beside the flag, a generation count that every `set()` bumps. A waiter remembers the
//! generation it blocked in and returns true once the flag is set *or the generation has
//! moved*: a waiter woken by `set()` returns true even if `clear()` ran before it was
//! scheduled (CPython gh-57711, `test_set_and_clear`). Re-checking the flag alone sent such a
//! waiter back to sleep, possibly forever (corpus model `event/set_then_clear_wakes_waiters`).

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
/// - `wait(timeout=t)` is [`Event::wait_timeout`]; as in Python, `false` means it timed out.
///   A `Duration` cannot be negative (Python treats a negative timeout as 0), and one too
///   large to represent waits forever.
/// - Timeouts run on threadcheck's clock, so under loom and shuttle a timeout is a modelled
///   event the checker schedules (see [`crate::set_early_advances`]).
pub struct Event {
    state: Mutex<State>,
    cv: Condvar,
    obj: Obj,
}

struct State {
    flag: bool,
    /// Bumped by every `set()`: a waiter that sees it move was woken by a set.
    generation: u64,
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
            state: Mutex::new(State {
                flag: false,
                generation: 0,
            }),
            cv: Condvar::new(),
            obj: Obj::new("Event", name),
        }
    }

    /// Whether the flag is set (Python: `is_set()`).
    pub fn is_set(&self) -> bool {
        self.state.lock().flag
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
        let mut g = self.state.lock();
        g.flag = true;
        g.generation = g.generation.wrapping_add(1);
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
        let mut g = self.state.lock();
        g.flag = false;
        trace::event(&self.obj, Ev::Cleared);
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
        let mut g = self.state.lock();
        if g.flag {
            return true;
        }
        let blocked_in = g.generation;
        trace::event(&self.obj, Ev::Blocks);
        loop {
            let timed_out = self.cv.wait_until(&mut g, deadline);
            // A set since we blocked wakes us for good, even if the flag is clear again.
            if g.flag || g.generation != blocked_in {
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
