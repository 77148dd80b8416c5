//! `Event` models: the tutorial's waiters, its `wait(timeout)` polling loop, and a timeout
//! that must be seen to expire.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use std::time::Duration;
use threadcheck::model::observe;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Event;

/// All `Event` models.
pub const ALL: &[&Model] = &[
    &TUTORIAL_WAITERS_PROCEED,
    &TUTORIAL_WAIT_TIMEOUT_LOOP,
    &WAIT_TIMEOUT_RETURNS_FALSE,
    &SET_THEN_CLEAR_WAKES_WAITERS,
    &crate::bugs::lost_wakeup::LOST_WAKEUP_BUG,
];

define_model! {
    /// The tutorial's `conn_mysql` threads each call `event.wait()` until `check_mysql` (here
    /// the main thread) finds the database up and calls `event.set()`. The set can land
    /// before, between or after the waits; a lost wakeup would leave a waiter asleep forever
    /// and the checker would report a deadlock. Every waiter proceeds on every schedule: Pass.
    pub TUTORIAL_WAITERS_PROCEED = "event/tutorial_waiters_proceed" {
        about: "n conn_mysql threads wait on an Event, check_mysql sets it: all proceed",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 10,
        real: Some(10),
        preemptions: None,
        run: tutorial_waiters_proceed,
    }
}

fn tutorial_waiters_proceed(n: usize) {
    let db_up = Arc::new(Event::named("db_up"));
    let e = db_up.clone();
    let conns = spawn_n(n, move |_| {
        e.wait();
        assert!(e.is_set(), "conn_mysql woke up with the event clear");
    });
    db_up.set(); // check_mysql
    join_all(conns);
}

const SET_FIRST: &str = "set before the first timeout";
const TIMED_OUT: &str = "timed out at least once";

define_model! {
    /// The tutorial's polling loop: `while not event.is_set(): event.wait(0.1)` in the
    /// waiter, and a checker thread that sleeps 250 ms and then sets the event (here 2.5
    /// waits' worth: 25 ms against 10 ms; model time is scale-free). On an idle
    /// machine the waiter times out twice and then sees the flag; on a loaded one the
    /// checker's sleep can end before the waiter first waits. The model clock explores both:
    /// the settled clock gives the first, one early advance (the default) the second.
    ///
    /// The loop terminates on every schedule (no spin: early advances are bounded), and the
    /// outcome set is exactly {"set before the first timeout", "timed out at least once"}:
    /// loom must see both, and nothing else. Not run on real threads: the harness collects
    /// outcomes only from the model checkers.
    pub TUTORIAL_WAIT_TIMEOUT_LOOP = "event/tutorial_wait_timeout_loop" {
        about: "while !ev.is_set() { ev.wait_timeout(100ms) } against a checker that sleeps then sets",
        expect: Expect::Outcomes(&[SET_FIRST, TIMED_OUT]),
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: tutorial_wait_timeout_loop,
    }
}

fn tutorial_wait_timeout_loop(_n: usize) {
    let ev = Arc::new(Event::named("db_up"));
    let e = ev.clone();
    let checker = Builder::new().name("check_mysql").spawn(move || {
        threadcheck::sleep(Duration::from_millis(25));
        e.set();
    });
    let mut timeouts = 0;
    while !ev.is_set() {
        if !ev.wait_timeout(Duration::from_millis(10)) {
            timeouts += 1;
        }
    }
    checker.join().unwrap();
    observe(if timeouts == 0 { SET_FIRST } else { TIMED_OUT });
}

const RETURNED_FALSE: &str = "wait_timeout returned false";

define_model! {
    /// Nobody sets the event, so `wait_timeout` must return false once its time is up — under
    /// loom and shuttle as on real threads. Without a model clock this model would hang (a
    /// checker's own timed wait never times out) or be reported as a deadlock. The single
    /// outcome, observed by loom and every shuttle scheduler, is the proof that timeouts are
    /// modelled. (Real threads: see `tests/timed.rs`; the harness collects outcomes only from
    /// the model checkers.)
    pub WAIT_TIMEOUT_RETURNS_FALSE = "event/wait_timeout_returns_false" {
        about: "wait_timeout on an Event nobody sets returns false",
        expect: Expect::Outcomes(&[RETURNED_FALSE]),
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: wait_timeout_returns_false,
    }
}

fn wait_timeout_returns_false(_n: usize) {
    let ev = Arc::new(Event::named("never"));
    let e = ev.clone();
    // A second thread that waits too, so the timeout fires while another thread is blocked.
    let other = Builder::new()
        .name("Thread-1")
        .spawn(move || e.wait_timeout(Duration::from_millis(5)));
    let got = ev.wait_timeout(Duration::from_millis(1));
    assert!(
        !other.join().unwrap(),
        "the other wait_timeout returned true"
    );
    if !got {
        observe(RETURNED_FALSE);
    }
}

define_model! {
    /// CPython's `test_set_and_clear` (gh-57711): threads block in `event.wait()`, then the
    /// main thread calls `set()` and at once `clear()`. Python's promise is that a waiter woken
    /// by `set()` returns true, whatever the flag is by the time it runs. An `Event` that wakes
    /// its waiters and lets each re-check the flag sends them back to sleep: the flag is clear
    /// again, nobody will set it, and the checker reports every waiter blocked forever.
    ///
    /// Like CPython's test, the main thread sleeps until the waiters are blocked. The model
    /// pins the settled clock (no early advance), where a sleep ends only once every other
    /// thread is blocked — so each waiter is inside `wait()` when `set()` runs, on every
    /// schedule. Every waiter returns true: Pass. (On real threads a sleep proves nothing,
    /// so this model does not run there; `tests/cpython_lock_tests.rs` runs Python's own
    /// real-thread version.)
    pub SET_THEN_CLEAR_WAKES_WAITERS = "event/set_then_clear_wakes_waiters" {
        about: "waiters blocked in wait() return true after set(); clear(), though the flag is clear again",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 5,
        real: None,
        preemptions: None,
        early_advances: Some(0),
        run: set_then_clear_wakes_waiters,
    }
}

fn set_then_clear_wakes_waiters(n: usize) {
    let ev = Arc::new(Event::named("flag"));
    let woke = Arc::new(AtomicUsize::new(0));
    let (e, w) = (ev.clone(), woke.clone());
    let waiters = spawn_n(n, move |_| {
        assert!(e.wait(), "Event::wait returned false");

        w.fetch_add(1, Ordering::SeqCst);
    });
    // Settled clock: this sleep ends only when every waiter is blocked in `wait()`.
    threadcheck::sleep(Duration::from_millis(1));
    ev.set();
    ev.clear();
    join_all(waiters);
    assert_eq!(woke.load(Ordering::SeqCst), n);
}
